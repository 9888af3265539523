import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';

/**
 * UK-AIR's Sensor Observation Service, through its 52°North Timeseries REST API
 * (https://uk-air.defra.gov.uk/sos-ukair/api/v1). No key. Shapes as that API documents them:
 * - `/stations` → GeoJSON features `{properties: {id, label}, geometry: {coordinates: [lat, lon, alt]}}`
 *   (UK-AIR writes latitude first);
 * - `/timeseries?station={id}&expanded=true` → `[{id, label, uom, station, parameters: {phenomenon: {id, label}},
 *   lastValue: {timestamp, value}}]`;
 * - `/timeseries/{id}/getData?timespan=PT24H/<end>` → `{values: [{timestamp: <epoch ms>, value}]}`;
 * - errors → `{statusCode, userMessage, developerMessage, hints}` with that HTTP status.
 */
interface DefraFeature {
  properties: { id: string | number; label: string };
  geometry?: { coordinates?: Array<number | string> };
}

interface DefraTimeseries {
  id: string | number;
  label?: string;
  uom?: string;
  station?: DefraFeature;
  parameters?: { phenomenon?: { id?: string | number; label?: string } };
}

export interface DefraStation {
  id: string;
  label: string;
  latitude?: number;
  longitude?: number;
}

/** The original's species codes, with the EEA pollutant code UK-AIR's phenomena carry. */
export const DEFRA_SPECIES = {
  PM25: { name: 'PM2.5', eea: '6001', unit: 'µg/m³' },
  PM10: { name: 'PM10', eea: '5', unit: 'µg/m³' },
  NO2: { name: 'Nitrogen dioxide', eea: '8', unit: 'µg/m³' },
  O3: { name: 'Ozone', eea: '7', unit: 'µg/m³' },
  SO2: { name: 'Sulphur dioxide', eea: '1', unit: 'µg/m³' },
  CO: { name: 'Carbon monoxide', eea: '10', unit: 'mg/m³' },
  NOX: { name: 'Nitrogen oxides', eea: '9', unit: 'µg/m³' },
} as const;
export type DefraSpecies = keyof typeof DEFRA_SPECIES;

export interface DefraSeries {
  timeseriesId: string;
  station: DefraStation;
  species: DefraSpecies;
  phenomenon: string;
  unit: string;
  /** Hourly means, UTC. UK-AIR writes missing hours as negative fill values: left out. */
  points: Array<{ time: string; value: number }>;
}

const coord = (v: number | string | undefined): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

function toStation(f: DefraFeature): DefraStation {
  const [lat, lon] = f.geometry?.coordinates ?? [];
  return { id: String(f.properties.id), label: f.properties.label, latitude: coord(lat), longitude: coord(lon) };
}

export class DefraClient {
  readonly configured = true;

  constructor(private readonly opts: { http: SourceHttp; baseUrl: () => string }) {}

  private interpret<T>(reply: HttpReply, check: (body: unknown) => boolean): T {
    const body = reply.body as { userMessage?: string } | undefined;
    const said = body?.userMessage ? `: ${body.userMessage}` : '';
    if (reply.status === 404) throw new SourceError('defra', 'not_found', `UK-AIR has no such resource${said}`, 404);
    if (reply.status === 400) throw new SourceError('defra', 'bad_request', `UK-AIR refused the request${said}`, 400);
    if (reply.status >= 400 || !check(reply.body))
      throw new SourceError('defra', 'bad_response', `UK-AIR sent an unexpected reply (HTTP ${reply.status})`);
    return reply.body as T;
  }

  async stations(signal?: AbortSignal): Promise<DefraStation[]> {
    const list = await this.opts.http.get(
      joinUrl(this.opts.baseUrl(), '/stations'),
      (r) => this.interpret<DefraFeature[]>(r, Array.isArray),
      { signal },
    );
    return list.filter((f) => f?.properties?.label).map(toStation);
  }

  /** The station's series for one species, or null when it does not measure it. */
  async seriesFor(station: DefraStation, species: DefraSpecies, signal?: AbortSignal): Promise<DefraTimeseries | null> {
    const list = await this.opts.http.get(
      joinUrl(this.opts.baseUrl(), '/timeseries', { station: station.id, expanded: 'true' }),
      (r) => this.interpret<DefraTimeseries[]>(r, Array.isArray),
      { signal },
    );
    const eea = DEFRA_SPECIES[species].eea;
    return (
      list.find(
        (t) =>
          String(t.parameters?.phenomenon?.id ?? '')
            .split('/')
            .pop() === eea,
      ) ?? null
    );
  }

  /** The last `hours` hours of one species at a station, ending at `endMs`. */
  async data(
    station: DefraStation,
    species: DefraSpecies,
    hours: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<DefraSeries | null> {
    const ts = await this.seriesFor(station, species, signal);
    if (!ts) return null;
    const end = new Date(Math.floor(endMs / 3_600_000) * 3_600_000).toISOString().replace('.000Z', 'Z');
    const body = await this.opts.http.get(
      joinUrl(this.opts.baseUrl(), `/timeseries/${encodeURIComponent(String(ts.id))}/getData`, {
        timespan: `PT${hours}H/${end}`,
      }),
      (r) =>
        this.interpret<{ values: Array<{ timestamp: number; value: number | null }> }>(r, (b) =>
          Array.isArray((b as { values?: unknown })?.values),
        ),
      { signal },
    );
    return {
      timeseriesId: String(ts.id),
      station,
      species,
      phenomenon: ts.parameters?.phenomenon?.label ?? DEFRA_SPECIES[species].name,
      unit: ts.uom === 'ug.m-3' || !ts.uom ? DEFRA_SPECIES[species].unit : ts.uom,
      points: body.values
        .filter((v) => typeof v.value === 'number' && v.value >= 0)
        .map((v) => ({ time: new Date(v.timestamp).toISOString(), value: v.value as number })),
    };
  }
}
