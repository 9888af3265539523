import type { ChartSpec } from './tools/chart-tool';
import type { ToolOutcome } from './tools/tool-types';

// The shapes are the contract's: what the engine keeps is exactly what the chat shows.
import type { AqiBadgeDto as AqiBadge, ToolActivityDto as ToolActivity } from '../../preload/contract/airquality';

export type { ToolActivity };

const LABEL_KEYS = ['city', 'location', 'site_code', 'site_id', 'pollutant', 'title', 'category'];

/** The argument a person recognises the call by ("Kampala", "pm25"). */
export function labelFor(args: unknown): string | null {
  if (!args || typeof args !== 'object') return null;
  const a = args as Record<string, unknown>;
  for (const k of LABEL_KEYS) {
    const v = a[k];
    if ((typeof v === 'string' && v.trim()) || typeof v === 'number') return String(v).slice(0, 60);
  }
  if (typeof a.latitude === 'number' && typeof a.longitude === 'number') return `${a.latitude}, ${a.longitude}`;
  return null;
}

const clip = (s: string, n = 200): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function isChart(v: unknown): v is ChartSpec {
  return Boolean(
    v && typeof v === 'object' && (v as ChartSpec).type === 'chart' && Array.isArray((v as ChartSpec).series),
  );
}

/** Pulls what the UI shows out of a tool's result: a one-line summary, an AQI for the badge, a chart. */
export function describeOutcome(
  o: ToolOutcome,
): Pick<ToolActivity, 'summary' | 'aqi' | 'chart' | 'sources' | 'cached' | 'stale'> {
  const base = { sources: o.meta.sources, cached: o.meta.cached, stale: o.meta.stale };
  if (!o.result.ok) return { ...base, summary: clip(o.result.error.message), aqi: null, chart: null };
  const d = (o.result.data ?? {}) as Record<string, unknown>;
  let aqi: AqiBadge | null = null;
  const reading = d.aqi as
    { value?: unknown; category?: unknown; color?: unknown; dominantPollutant?: unknown } | number | null;
  const place =
    (d.place as { name?: string } | undefined)?.name ?? (d.station as { name?: string } | undefined)?.name ?? null;
  if (reading && typeof reading === 'object' && typeof reading.value === 'number') {
    // A reading: AqiSummary from the source chain.
    aqi = {
      value: reading.value,
      category: typeof reading.category === 'string' ? reading.category : '',
      color: typeof reading.color === 'string' ? reading.color : '#888888',
      pollutant: typeof reading.dominantPollutant === 'string' ? reading.dominantPollutant : null,
      place,
      measuredAt: typeof d.measured_at === 'string' ? d.measured_at : null,
    };
  } else if (typeof reading === 'number' && typeof d.category === 'string' && typeof d.color === 'string') {
    // compute_aqi's flat result.
    aqi = {
      value: reading,
      category: d.category,
      color: d.color,
      pollutant: typeof d.pollutant === 'string' ? d.pollutant : null,
      place: null,
    };
  }
  const chart = isChart(d.chart) ? d.chart : null;
  const summary =
    typeof d.summary === 'string'
      ? d.summary
      : aqi
        ? `AQI ${aqi.value} (${aqi.category})`
        : typeof d.category === 'string'
          ? d.category
          : null;
  return { ...base, summary: summary ? clip(summary) : null, aqi, chart };
}
