import type { ChartProvenanceDto as ChartProvenance } from '../../preload/contract/airquality';
import type { ToolOutcome } from './tools/tool-types';

/** Tools whose results are not data about the air at a place (their outcome never names a chart's source). */
const NOT_DATA = new Set(['generate_chart', 'compute_aqi', 'get_health_advice', 'get_defra_species_codes']);

export const isDataTool = (name: string): boolean => !NOT_DATA.has(name);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const first = (v: unknown): Json | null => (Array.isArray(v) ? obj(v[0]) : null);

/** The name a person knows the place by, from the shapes the data tools answer with. */
function placeOf(d: Json): string | null {
  const station = obj(d.station);
  const place = obj(d.place);
  const location = obj(d.location);
  const nested = first(d.stations) ?? first(d.sites);
  const nestedStation = obj(nested?.station) ?? obj(nested?.site) ?? nested;
  return (
    str(station?.name) ??
    str(d.site_name) ??
    str(place?.name) ??
    str(location?.name) ??
    str(nestedStation?.name) ??
    str(nested?.site) ??
    str(nested?.station) ??
    str(d.region) ??
    null
  );
}

/** The newest time the data speaks of. */
function timeOf(d: Json): string | null {
  const latest = obj(d.latest) ?? obj(first(d.stations)?.latest);
  const points = Array.isArray(d.points) ? d.points : Array.isArray(d.values) ? d.values : null;
  const last = points ? obj(points[points.length - 1]) : null;
  // A period (daily history): its dates, as a range.
  if (str(d.start_date) && str(d.end_date)) return `${str(d.start_date)} to ${str(d.end_date)}`;
  return (
    str(d.measured_at) ??
    str(first(d.sites)?.measurement_time) ??
    str(latest?.time) ??
    str(d.local_time) ??
    str(last?.time) ??
    null
  );
}

/**
 * What a chart's caption says about its data, from the data tool that ran last before it in the reply: its
 * source, station or site, time, and whether it was live, from the cache (with its age) or imported. With no
 * data tool before it, the chart says its values are unsourced rather than borrowing a source.
 */
export function chartProvenance(dataOutcome: ToolOutcome | null, label: string | null): ChartProvenance {
  if (!dataOutcome || !dataOutcome.result.ok)
    return { source: null, place: null, time: null, status: 'unsourced', cacheNote: null };
  const d = obj(dataOutcome.result.data) ?? {};
  const cache = obj(d.cache);
  const imported = dataOutcome.name === 'query_imported_data';
  return {
    source:
      str(d.source) ??
      str(first(d.sites)?.source) ??
      (imported ? 'your imported data' : dataOutcome.meta.sources.join(', ') || null),
    place: placeOf(d) ?? label,
    time: timeOf(d),
    status: imported ? 'imported' : dataOutcome.meta.cached ? 'cached' : 'live',
    cacheNote: dataOutcome.meta.cached ? (str(cache?.note) ?? 'cached answer') : null,
  };
}
