import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';

/**
 * Germany's Umweltbundesamt air data API v3 (https://www.umweltbundesamt.de/api/air_data/v3). No key.
 * Its replies are positional, as documented:
 * - `/stations/json?lang=en` → `{indices: [...], data: {"<id>": [id, code, name, city, synonym, active from,
 *   active to, longitude, latitude, network id, setting id, type id, network code, ...]}}`;
 * - `/measures/json?date_from&time_from&date_to&time_to&station&component&scope` → `{data: {"<station id>":
 *   {"<date start>": [component id, scope id, value, date end, index]}}, count}`; dates are German standard time
 *   (CET, UTC+1 all year), hours 1–24; a station without values is absent from `data`.
 */
export const UBA_COMPONENTS = {
  pm10: { id: 1, name: 'PM10', unit: 'µg/m³' },
  co: { id: 2, name: 'Carbon monoxide', unit: 'mg/m³' },
  o3: { id: 3, name: 'Ozone', unit: 'µg/m³' },
  so2: { id: 4, name: 'Sulphur dioxide', unit: 'µg/m³' },
  no2: { id: 5, name: 'Nitrogen dioxide', unit: 'µg/m³' },
  'pm2.5': { id: 9, name: 'PM2.5', unit: 'µg/m³' },
} as const;
export type UbaComponent = keyof typeof UBA_COMPONENTS;

/** The original's scopes: hourly means, 8-hour moving means, daily means. */
export const UBA_SCOPES = {
  '1h': { id: 2, name: 'one-hour mean' },
  '8h': { id: 4, name: 'eight-hour moving mean' },
  '24h': { id: 1, name: 'daily mean' },
} as const;
export type UbaScope = keyof typeof UBA_SCOPES;

export interface UbaStation {
  id: string;
  code: string;
  name: string;
  city: string;
  latitude?: number;
  longitude?: number;
  active: boolean;
}

export interface UbaSeries {
  station: UbaStation;
  component: UbaComponent;
  scope: UbaScope;
  unit: string;
  /** Start of each averaging period, ISO with the +01:00 offset UBA's times are in. */
  points: Array<{ time: string; value: number; index: number | null }>;
}

const CET_MS = 3_600_000;

/** "2026-01-10 13:00:00" (CET) → ISO with its offset. */
const cetIso = (s: string) => `${s.replace(' ', 'T')}+01:00`;

export class UbaClient {
  readonly configured = true;

  constructor(private readonly opts: { http: SourceHttp; baseUrl: () => string }) {}

  private interpret<T>(reply: HttpReply): T {
    const body = reply.body as { data?: unknown; message?: string } | undefined;
    if (reply.status === 400 || reply.status === 422)
      throw new SourceError('uba', 'bad_request', `UBA refused the request (HTTP ${reply.status})`, reply.status);
    if (reply.status === 404) throw new SourceError('uba', 'not_found', 'UBA has no such resource', 404);
    if (reply.status >= 400 || !body || typeof body !== 'object' || !('data' in body))
      throw new SourceError('uba', 'bad_response', `UBA sent an unexpected reply (HTTP ${reply.status})`);
    return body as T;
  }

  async stations(signal?: AbortSignal): Promise<UbaStation[]> {
    const body = await this.opts.http.get(
      joinUrl(this.opts.baseUrl(), '/stations/json', { lang: 'en' }),
      (r) => this.interpret<{ data: Record<string, Array<string | number | null>> }>(r),
      { signal },
    );
    return Object.values(body.data ?? {})
      .filter((row) => Array.isArray(row) && row.length >= 9)
      .map((row) => ({
        id: String(row[0]),
        code: String(row[1]),
        name: String(row[2]),
        city: String(row[3] ?? ''),
        longitude: Number.isFinite(Number(row[7])) ? Number(row[7]) : undefined,
        latitude: Number.isFinite(Number(row[8])) ? Number(row[8]) : undefined,
        active: row[6] === null || row[6] === '',
      }));
  }

  /** The last `hours` hours (whole CET hours) of one component at one station, ending at `endMs`. */
  async measures(
    station: UbaStation,
    component: UbaComponent,
    scope: UbaScope,
    hours: number,
    endMs: number,
    signal?: AbortSignal,
  ): Promise<UbaSeries> {
    // UBA counts hours 1–24 of a CET day: hour h is the period ending at h:00.
    const span = (ms: number) => {
      const d = new Date(Math.floor((ms + CET_MS) / 3_600_000) * 3_600_000);
      const h = d.getUTCHours();
      const day = h === 0 ? new Date(d.getTime() - 86_400_000) : d;
      return { date: day.toISOString().slice(0, 10), hour: h === 0 ? 24 : h };
    };
    // Both ends count: `hours` periods end from `endMs - (hours - 1) h` to `endMs`.
    const from = span(endMs - (hours - 1) * 3_600_000);
    const to = span(endMs);
    const body = await this.opts.http.get(
      joinUrl(this.opts.baseUrl(), '/measures/json', {
        date_from: from.date,
        time_from: from.hour,
        date_to: to.date,
        time_to: to.hour,
        station: station.id,
        component: UBA_COMPONENTS[component].id,
        scope: UBA_SCOPES[scope].id,
      }),
      (r) => this.interpret<{ data: Record<string, Record<string, Array<string | number | null>>> | unknown[] }>(r),
      { signal },
    );
    // An empty answer comes as `data: []` (a PHP empty array), not `{}`.
    const rows = Array.isArray(body.data) ? {} : (body.data[station.id] ?? {});
    const points = Object.entries(rows)
      .map(([start, rec]) => ({ start, value: rec[2], index: rec[4] }))
      .filter((p) => p.value !== null && p.value !== '' && Number.isFinite(Number(p.value)))
      .map((p) => ({
        time: cetIso(p.start),
        value: Number(p.value),
        index: p.index === null || p.index === '' || p.index === undefined ? null : Number(p.index),
      }))
      .sort((a, b) => a.time.localeCompare(b.time));
    return { station, component, scope, unit: UBA_COMPONENTS[component].unit, points };
  }
}
