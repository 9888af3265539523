/**
 * A loopback stand-in for the Umweltbundesamt air data API v3 (base `${url}/api/air_data/v3`), in its documented
 * positional shapes: `/stations/json` → `{indices, data: {"<id>": [id, code, name, city, synonym, active from,
 * active to, longitude, latitude, ...]}}`; `/measures/json` → `{request, indices, data: {"<station>":
 * {"<date start>": [component, scope, value, "<date end>", index]}}, count}` in CET (UTC+1), hours 1–24. A query
 * that finds nothing answers `data: []`. A missing or malformed date, hour, component or scope is refused with
 * HTTP 400, as the real service refuses it; no fields are guessed.
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

type Row = [
  string,
  string,
  string,
  string,
  string | null,
  string,
  string | null,
  string,
  string,
  string,
  string,
  string,
  string,
];

const STATIONS: Row[] = [
  ['282', 'DEBE010', 'Berlin Wedding', 'Berlin', null, '1986-10-01', null, '13.3493', '52.5430', '3', '1', '1', 'BE'],
  ['285', 'DEBE034', 'Berlin Neukölln', 'Berlin', null, '1986-10-01', null, '13.4308', '52.4895', '3', '1', '1', 'BE'],
  [
    '290',
    'DEBE061',
    'Berlin Steglitz (closed)',
    'Berlin',
    null,
    '1995-01-01',
    '2010-12-31',
    '13.3175',
    '52.4637',
    '3',
    '1',
    '2',
    'BE',
  ],
  ['630', 'DEBY039', 'München/Stachus', 'München', null, '1976-01-01', null, '11.5650', '48.1373', '2', '1', '2', 'BY'],
];

const INDICES = [
  'station id',
  'station code',
  'station name',
  'station city',
  'station synonym',
  'station active from',
  'station active to',
  'station longitude',
  'station latitude',
  'network id',
  'station setting id',
  'station type id',
  'network code',
];

const COMPONENTS = new Set([1, 2, 3, 4, 5, 9]);
const SCOPES = new Set([1, 2, 4]);
const CET = 3_600_000;

export class UbaEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string; query: Record<string, string> }> = [];
  private readonly now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      });
    });
  }

  get baseUrl(): string {
    return `${this.url}/api/air_data/v3`;
  }

  async start(): Promise<this> {
    this.url = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  /** Deterministic value for a station, component and period start (CET ms). */
  value(station: string, component: number, start: number): number {
    const base = { 1: 18, 2: 0.3, 3: 45, 4: 2, 5: 28, 9: 11 }[component] ?? 10;
    const h = Math.floor(start / 3_600_000);
    return Math.round((base + (base / 4) * Math.sin((h + Number(station)) / 4)) * 10) / 10;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const handled = await applyFault(this.faults.take(), res, (m) =>
      sendJson(res, 500, { message: m ?? 'Internal Server Error' }),
    );
    if (handled) return;
    const path = url.pathname.replace(/^\/api\/air_data\/v3/, '').replace(/\/+$/, '');
    if (path === '/stations/json') {
      return sendJson(res, 200, {
        request: Object.fromEntries(url.searchParams),
        indices: INDICES,
        data: Object.fromEntries(STATIONS.map((r) => [r[0], r])),
        count: STATIONS.length,
      });
    }
    if (path !== '/measures/json') return sendJson(res, 404, { message: 'Not Found' });
    const q = url.searchParams;
    const date = /^\d{4}-\d{2}-\d{2}$/;
    const hour = (v: string | null) =>
      v !== null && /^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 24 ? Number(v) : null;
    const component = Number(q.get('component'));
    const scope = Number(q.get('scope'));
    const tf = hour(q.get('time_from'));
    const tt = hour(q.get('time_to'));
    if (!date.test(q.get('date_from') ?? '') || !date.test(q.get('date_to') ?? '') || tf === null || tt === null)
      return sendJson(res, 400, {
        message: 'date_from, time_from, date_to and time_to are required (YYYY-MM-DD, hours 1-24)',
      });
    if (!COMPONENTS.has(component) || !SCOPES.has(scope))
      return sendJson(res, 400, { message: 'unknown component or scope' });
    // Hour h of a CET day is the period that ends at h:00.
    const at = (d: string, h: number) => Date.parse(`${d}T00:00:00Z`) - CET + h * 3_600_000;
    const fromEnd = at(q.get('date_from')!, tf);
    const toEnd = Math.min(at(q.get('date_to')!, tt), this.now());
    const stationId = q.get('station');
    const station = STATIONS.find((r) => r[0] === stationId);
    const step = scope === 1 ? 86_400_000 : 3_600_000;
    const rows: Record<string, [number, number, number, string, string]> = {};
    if (station && station[6] === null) {
      const cet = (ms: number) => new Date(ms + CET).toISOString().slice(0, 19).replace('T', ' ');
      // Daily means are dated by their CET day and exist once the day is over.
      const first = scope === 1 ? Math.ceil((fromEnd + CET) / step) * step - CET : fromEnd;
      for (let end = first; end <= toEnd; end += step) {
        const start = end - step;
        const v = this.value(station[0], component, start);
        rows[cet(start)] = [component, scope, v, cet(end), v > 50 ? '3' : v > 20 ? '2' : '1'];
      }
    }
    const count = Object.keys(rows).length;
    sendJson(res, 200, {
      request: Object.fromEntries(q),
      indices: { data: { 'station id': { 'date start': ['component id', 'scope id', 'value', 'date end', 'index'] } } },
      data: count && station ? { [station[0]]: rows } : [],
      count,
    });
  }
}
