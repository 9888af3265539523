/**
 * A loopback stand-in for OpenAQ v3 (`/v3/locations`, `/v3/locations/{id}/latest`): `{meta, results}` replies,
 * the X-API-Key header required (401 without a valid one), 404 for an unknown location. Faults via `faults`.
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

interface OpenAqEmulatedLocation {
  id: number;
  name: string;
  locality: string;
  country: { code: string; name: string };
  latitude: number;
  longitude: number;
  tz: string;
  latest: Array<{ sensorId: number; parameter: string; units: string; value: number }>;
}

const OPENAQ_LOCATIONS: OpenAqEmulatedLocation[] = [
  {
    id: 2178,
    name: 'Lima - Campo de Marte',
    locality: 'Lima',
    country: { code: 'PE', name: 'Peru' },
    latitude: -12.0705,
    longitude: -77.0433,
    tz: '-05:00',
    latest: [
      { sensorId: 3917, parameter: 'pm25', units: 'µg/m³', value: 24.3 },
      { sensorId: 3918, parameter: 'pm10', units: 'µg/m³', value: 51 },
    ],
  },
];

export class OpenAqEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string; query: Record<string, string>; apiKey?: string }> = [];
  readonly keys: Set<string>;
  locations: OpenAqEmulatedLocation[];

  constructor(opts: { keys?: string[]; locations?: OpenAqEmulatedLocation[]; now?: () => number } = {}) {
    this.keys = new Set(opts.keys ?? ['test-openaq-key']);
    this.locations = structuredClone(opts.locations ?? OPENAQ_LOCATIONS);
    const now = opts.now ?? Date.now;
    this.server = http.createServer((req, res) => {
      void this.handle(req, res, now);
    });
  }

  get baseUrl(): string {
    return `${this.url}/v3`;
  }

  async start(): Promise<this> {
    this.url = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, now: () => number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const apiKey = req.headers['x-api-key'] as string | undefined;
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), apiKey });
    if (await applyFault(this.faults.take(), res, (m) => sendJson(res, 500, { message: m ?? 'Internal Server Error' })))
      return;
    if (!apiKey || !this.keys.has(apiKey))
      return sendJson(res, 401, { message: 'Unauthorized. A valid API key must be provided in the X-API-Key header.' });
    const meta = (found: number) => ({ name: 'openaq-api', website: '/', page: 1, limit: 100, found });
    if (url.pathname === '/v3/locations') {
      const [lat, lon] = (url.searchParams.get('coordinates') ?? '').split(',').map(Number);
      if (!Number.isFinite(lat) || !Number.isFinite(lon))
        return sendJson(res, 422, { detail: [{ loc: ['query', 'coordinates'], msg: 'invalid coordinates' }] });
      const radius = Number(url.searchParams.get('radius') ?? 1000);
      const results = this.locations
        .map((l) => ({ l, d: Math.hypot((l.latitude - lat!) * 111_000, (l.longitude - lon!) * 111_000) }))
        .filter((x) => x.d <= radius)
        .map(({ l, d }) => ({
          id: l.id,
          name: l.name,
          locality: l.locality,
          timezone: 'America/Lima',
          country: { id: 1, ...l.country },
          provider: { id: 1, name: 'Servicio Nacional de Meteorología e Hidrología' },
          isMobile: false,
          isMonitor: true,
          sensors: l.latest.map((s) => ({
            id: s.sensorId,
            name: `${s.parameter} ${s.units}`,
            parameter: { id: 2, name: s.parameter, units: s.units, displayName: s.parameter.toUpperCase() },
          })),
          coordinates: { latitude: l.latitude, longitude: l.longitude },
          licenses: [{ id: 1, name: 'CC BY 4.0', attribution: { name: 'SENAMHI', url: null } }],
          distance: Math.round(d),
        }));
      return sendJson(res, 200, { meta: meta(results.length), results });
    }
    const m = url.pathname.match(/^\/v3\/locations\/(\d+)\/latest$/);
    const loc = m ? this.locations.find((l) => l.id === Number(m[1])) : undefined;
    if (!m) return sendJson(res, 404, { detail: 'Not Found' });
    if (!loc) return sendJson(res, 404, { detail: 'Location not found' });
    const hour = Math.floor(now() / 3_600_000) * 3_600_000;
    const sign = loc.tz.startsWith('-') ? -1 : 1;
    const offsetMs = sign * Number(loc.tz.slice(1, 3)) * 3_600_000;
    const local = new Date(hour + offsetMs).toISOString().slice(0, 19) + loc.tz;
    sendJson(res, 200, {
      meta: meta(loc.latest.length),
      results: loc.latest.map((s) => ({
        datetime: { utc: new Date(hour).toISOString().replace('.000Z', 'Z'), local },
        value: s.value,
        coordinates: { latitude: loc.latitude, longitude: loc.longitude },
        sensorsId: s.sensorId,
        locationsId: loc.id,
      })),
    });
  }
}
