/**
 * A loopback stand-in for the WAQI API (api.waqi.info), faithful to shared/reference/air-quality.md:
 * `{status:"ok", data:{...}}` feeds whose `iaqi` values are US AQI sub-indices, `aqi` that may be "-",
 * and errors as HTTP 200 `{"status":"error","data":"Invalid key" | "Unknown station"}`.
 * Tokens are checked on every endpoint, as the real service does. Failures are scriptable via `faults`.
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

interface WaqiStation {
  idx: number;
  name: string;
  /** Keywords the `/feed/{city}/` path accepts (lower case). */
  keys: string[];
  geo: [number, number];
  tz: string;
  aqi: number | '-';
  dominentpol?: string;
  /** US AQI sub-indices (and t/h weather in real units). */
  iaqi: Record<string, number>;
  attributions?: Array<{ name: string; url?: string }>;
  forecastPm25?: Array<{ avg: number; max: number; min: number }>;
}

const WAQI_STATIONS: WaqiStation[] = [
  {
    idx: 8675,
    name: 'Kampala US Embassy, Uganda',
    keys: ['kampala'],
    geo: [0.3, 32.59],
    tz: '+03:00',
    aqi: 158,
    dominentpol: 'pm25',
    iaqi: { pm25: 158, pm10: 62, t: 24, h: 70 },
    attributions: [
      { name: 'U.S. Department of State', url: 'https://www.airnow.gov/international/us-embassies-and-consulates/' },
    ],
    forecastPm25: [
      { avg: 150, max: 165, min: 120 },
      { avg: 140, max: 160, min: 110 },
      { avg: 120, max: 150, min: 95 },
    ],
  },
  {
    idx: 5724,
    name: 'London',
    keys: ['london'],
    geo: [51.5073, -0.1277],
    tz: '+00:00',
    aqi: 42,
    dominentpol: 'pm25',
    iaqi: { pm25: 42, pm10: 18, no2: 21, o3: 30, t: 8, h: 81 },
    attributions: [
      { name: 'UK-AIR, air quality information resource - Defra, UK', url: 'https://uk-air.defra.gov.uk/' },
    ],
    forecastPm25: [
      { avg: 40, max: 55, min: 25 },
      { avg: 35, max: 50, min: 20 },
    ],
  },
  {
    idx: 7021,
    name: 'Nairobi, Kenya',
    keys: ['nairobi'],
    geo: [-1.2864, 36.8172],
    tz: '+03:00',
    aqi: 75,
    dominentpol: 'pm25',
    iaqi: { pm25: 75, pm10: 30, t: 21, h: 60 },
  },
  {
    idx: 1451,
    name: 'Delhi, India',
    keys: ['delhi', 'new delhi'],
    geo: [28.6139, 77.209],
    tz: '+05:30',
    aqi: 287,
    dominentpol: 'pm25',
    iaqi: { pm25: 287, pm10: 190, no2: 40, t: 18, h: 55 },
  },
  {
    idx: 9999,
    name: 'Quiet Station',
    keys: ['quietville'],
    geo: [10, 10],
    tz: '+01:00',
    aqi: '-',
    iaqi: {},
  },
];

interface WaqiEmulatorOptions {
  tokens?: string[];
  stations?: WaqiStation[];
  now?: () => number;
}

export class WaqiEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string; query: Record<string, string> }> = [];
  readonly tokens: Set<string>;
  stations: WaqiStation[];
  private readonly now: () => number;

  constructor(opts: WaqiEmulatorOptions = {}) {
    this.tokens = new Set(opts.tokens ?? ['test-waqi-token']);
    this.stations = structuredClone(opts.stations ?? WAQI_STATIONS);
    this.now = opts.now ?? Date.now;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { status: 'error', data: String(err) });
      });
    });
  }

  async start(): Promise<this> {
    this.url = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  station(key: string): WaqiStation | undefined {
    return this.stations.find((s) => s.keys.includes(key.toLowerCase()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const handled = await applyFault(this.faults.take(), res, (m) =>
      sendJson(res, 200, { status: 'error', data: m ?? 'Over quota' }),
    );
    if (handled) return;
    const token = url.searchParams.get('token');
    if (!token || !this.tokens.has(token)) return sendJson(res, 200, { status: 'error', data: 'Invalid key' });

    const path = decodeURIComponent(url.pathname);
    if (path === '/search/' || path === '/search') {
      const kw = (url.searchParams.get('keyword') ?? '').toLowerCase();
      const hits = this.stations.filter(
        (s) => kw && (s.name.toLowerCase().includes(kw) || s.keys.some((k) => k.includes(kw))),
      );
      return sendJson(res, 200, {
        status: 'ok',
        data: hits.map((s) => ({
          uid: s.idx,
          aqi: String(s.aqi),
          time: { tz: s.tz, stime: this.localTime(s.tz).s, vtime: this.localTime(s.tz).v },
          station: { name: s.name, geo: s.geo, url: `city/${s.keys[0]}` },
        })),
      });
    }
    const m = path.match(/^\/feed\/(.+?)\/?$/);
    if (!m) return sendJson(res, 404, { status: 'error', data: 'Unknown endpoint' });
    const what = m[1]!;
    let station: WaqiStation | undefined;
    if (what.startsWith('@')) station = this.stations.find((s) => s.idx === Number(what.slice(1)));
    else if (what.startsWith('geo:')) {
      const [lat, lon] = what.slice(4).split(';').map(Number);
      if (!Number.isFinite(lat) || !Number.isFinite(lon))
        return sendJson(res, 200, { status: 'error', data: 'Unknown station' });
      station = [...this.stations].sort((a, b) => dist(a.geo, [lat!, lon!]) - dist(b.geo, [lat!, lon!]))[0];
    } else station = this.station(what);
    if (!station) return sendJson(res, 200, { status: 'error', data: 'Unknown station' });
    sendJson(res, 200, { status: 'ok', data: this.feed(station) });
  }

  private localTime(tz: string): { s: string; v: number; iso: string } {
    const sign = tz.startsWith('-') ? -1 : 1;
    const [h, mm] = tz.slice(1).split(':').map(Number);
    const offsetMs = sign * ((h ?? 0) * 3600 + (mm ?? 0) * 60) * 1000;
    const hour = Math.floor(this.now() / 3_600_000) * 3_600_000;
    const local = new Date(hour + offsetMs).toISOString();
    return {
      s: `${local.slice(0, 10)} ${local.slice(11, 19)}`,
      v: (hour + offsetMs) / 1000,
      iso: `${local.slice(0, 19)}${tz}`,
    };
  }

  private feed(s: WaqiStation): unknown {
    const t = this.localTime(s.tz);
    const today = new Date(this.now());
    const day = (k: number) =>
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + k))
        .toISOString()
        .slice(0, 10);
    return {
      aqi: s.aqi,
      idx: s.idx,
      attributions: [...(s.attributions ?? []), { name: 'World Air Quality Index Project', url: 'https://waqi.info/' }],
      city: { geo: s.geo, name: s.name, url: `https://aqicn.org/city/${s.keys[0]}`, location: '' },
      dominentpol: s.dominentpol ?? '',
      iaqi: Object.fromEntries(Object.entries(s.iaqi).map(([k, v]) => [k, { v }])),
      time: { s: t.s, tz: s.tz, v: t.v, iso: t.iso },
      forecast: {
        daily: s.forecastPm25 ? { pm25: s.forecastPm25.map((f, i) => ({ ...f, day: day(i) })) } : {},
      },
      debug: { sync: new Date(this.now()).toISOString() },
    };
  }
}

function dist(a: [number, number], b: [number, number]): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
}
