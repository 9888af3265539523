/**
 * A loopback stand-in for the AirQo v2 API (base `${url}/api/v2`), faithful to shared/reference/air-quality.md:
 * `{success, message, measurements:[...]}` in µg/m³, site search through `/devices/sites/summary`, a 401 with
 * `{success:false, message}` for a missing or wrong token, `{success:false}` errors, and the free tier's
 * 24-hour history window. Failures are scriptable via `faults`.
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

interface AirQoEmulatedSite {
  _id: string;
  name: string;
  formatted_name: string;
  search_name: string;
  location_name: string;
  city: string;
  district: string;
  country: string;
  approximate_latitude: number;
  approximate_longitude: number;
  isOnline: boolean;
  /** Latest hourly values (µg/m³); null means the site has no recent data. */
  latest: { pm2_5: number; pm10: number; no2?: number } | null;
}

const AIRQO_SITES: AirQoEmulatedSite[] = [
  {
    _id: '64b7f2a1c3d4e5f600000001',
    name: 'Makerere University',
    formatted_name: 'Makerere University, Kampala, Uganda',
    search_name: 'Makerere University',
    location_name: 'Kampala, Uganda',
    city: 'Kampala',
    district: 'Kampala',
    country: 'Uganda',
    approximate_latitude: 0.3337,
    approximate_longitude: 32.5682,
    isOnline: true,
    latest: { pm2_5: 38.2, pm10: 52.7, no2: 12.1 },
  },
  {
    _id: '64b7f2a1c3d4e5f600000002',
    name: 'Nakawa Market',
    formatted_name: 'Nakawa Market, Kampala, Uganda',
    search_name: 'Nakawa',
    location_name: 'Kampala, Uganda',
    city: 'Kampala',
    district: 'Kampala',
    country: 'Uganda',
    approximate_latitude: 0.3301,
    approximate_longitude: 32.6147,
    isOnline: true,
    latest: { pm2_5: 10.5, pm10: 20.1 },
  },
  {
    _id: '64b7f2a1c3d4e5f600000003',
    name: 'Jinja Main Street',
    formatted_name: 'Main Street, Jinja, Uganda',
    search_name: 'Jinja',
    location_name: 'Jinja, Uganda',
    city: 'Jinja',
    district: 'Jinja',
    country: 'Uganda',
    approximate_latitude: 0.4244,
    approximate_longitude: 33.2042,
    isOnline: true,
    latest: { pm2_5: 21.4, pm10: 33.0 },
  },
  {
    _id: '64b7f2a1c3d4e5f600000004',
    name: 'Kisumu Central',
    formatted_name: 'Kisumu Central, Kisumu, Kenya',
    search_name: 'Kisumu',
    location_name: 'Kisumu, Kenya',
    city: 'Kisumu',
    district: 'Kisumu',
    country: 'Kenya',
    approximate_latitude: -0.0917,
    approximate_longitude: 34.768,
    isOnline: false,
    latest: null,
  },
];

const OBJECT_ID = /^[0-9a-f]{24}$/i;

interface AirQoEmulatorOptions {
  tokens?: string[];
  sites?: AirQoEmulatedSite[];
  now?: () => number;
}

export class AirQoEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string; query: Record<string, string> }> = [];
  readonly tokens: Set<string>;
  sites: AirQoEmulatedSite[];
  private readonly now: () => number;

  constructor(opts: AirQoEmulatorOptions = {}) {
    this.tokens = new Set(opts.tokens ?? ['test-airqo-token']);
    this.sites = structuredClone(opts.sites ?? AIRQO_SITES);
    this.now = opts.now ?? Date.now;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { success: false, message: 'Internal Server Error', errors: { message: String(err) } });
      });
    });
  }

  /** The base URL clients use (the real one ends in /api/v2 too). */
  get baseUrl(): string {
    return `${this.url}/api/v2`;
  }

  async start(): Promise<this> {
    this.url = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private siteDetails(s: AirQoEmulatedSite) {
    const { latest: _latest, ...details } = s;
    return details;
  }

  private measurement(s: AirQoEmulatedSite, time: number, scale = 1) {
    const pm25 = Math.round(s.latest!.pm2_5 * scale * 100) / 100;
    return {
      device: `aq_${s._id.slice(-2)}`,
      device_id: `dev${s._id.slice(-6)}`,
      site_id: s._id,
      time: new Date(time).toISOString(),
      frequency: 'hourly',
      pm2_5: { value: pm25, calibratedValue: pm25 },
      pm10: { value: Math.round(s.latest!.pm10 * scale * 100) / 100 },
      ...(s.latest!.no2 !== undefined ? { no2: { value: s.latest!.no2 } } : {}),
      // AirQo's own category still follows the pre-2024 PM2.5 breakpoints (12.0 / 35.4 / 55.4 …).
      aqi_category:
        pm25 <= 12 ? 'Good' : pm25 <= 35.4 ? 'Moderate' : pm25 <= 55.4 ? 'Unhealthy for Sensitive Groups' : 'Unhealthy',
      aqi_color: 'ff7e00',
      health_tips: [{ title: 'For Everyone', description: 'Reduce the intensity of your outdoor activities.' }],
      siteDetails: this.siteDetails(s),
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const handled = await applyFault(this.faults.take(), res, (m) =>
      sendJson(res, 500, {
        success: false,
        message: m ?? 'Internal Server Error',
        errors: { message: m ?? 'Internal Server Error' },
      }),
    );
    if (handled) return;
    const token = url.searchParams.get('token');
    if (!token || !this.tokens.has(token)) {
      return sendJson(res, 401, {
        success: false,
        message: 'Unauthorized',
        errors: { message: 'Invalid authentication token' },
      });
    }
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/api/v2/devices/sites/summary') {
      const q = (url.searchParams.get('search') ?? '').toLowerCase();
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 30) || 30, 100);
      const hits = this.sites.filter(
        (s) =>
          !q ||
          [s.name, s.formatted_name, s.search_name, s.city, s.district, s.country].some((f) =>
            f.toLowerCase().includes(q),
          ),
      );
      return sendJson(res, 200, {
        success: true,
        message: 'Successfully returned the Site summary',
        meta: { total: hits.length, limit, skip: 0, page: 1, totalPages: 1 },
        sites: hits.slice(0, limit).map((s) => this.siteDetails(s)),
      });
    }
    const meta = path.match(/^\/api\/v2\/devices\/metadata\/(grids|cohorts|devices|sites)$/);
    if (meta) return this.metadata(meta[1] as 'grids' | 'cohorts' | 'devices' | 'sites', res);
    const fc = path.match(/^\/api\/v2\/predict\/(daily|hourly)-forecast$/);
    if (fc) return this.forecast(fc[1] as 'daily' | 'hourly', url.searchParams.get('site_id'), res);
    const m = path.match(/^\/api\/v2\/devices\/measurements\/sites\/([^/]+)\/(recent|historical)$/);
    if (!m)
      return sendJson(res, 404, {
        success: false,
        message: 'this endpoint does not exist',
        errors: { message: 'not found' },
      });
    const [, id, kind] = m as unknown as [string, string, string];
    if (!OBJECT_ID.test(id)) {
      return sendJson(res, 400, {
        success: false,
        message: 'bad request errors',
        errors: { site_id: 'the site_id must be an object ID' },
      });
    }
    const site = this.sites.find((s) => s._id === id);
    const hour = Math.floor(this.now() / 3_600_000) * 3_600_000;
    if (!site || !site.latest) {
      return sendJson(res, 200, {
        success: true,
        isCache: false,
        message: 'no measurements for this search',
        meta: { total: 0 },
        measurements: [],
      });
    }
    if (kind === 'recent') {
      return sendJson(res, 200, {
        success: true,
        isCache: false,
        message: 'successfully returned the measurements',
        meta: { total: 1, skip: 0, limit: 1000, page: 1, pages: 1 },
        measurements: [this.measurement(site, hour)],
      });
    }
    const start = Date.parse(url.searchParams.get('startTime') ?? '');
    const end = Date.parse(url.searchParams.get('endTime') ?? '');
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
      return sendJson(res, 400, {
        success: false,
        message: 'bad request errors',
        errors: { startTime: 'startTime and endTime must be ISO dates, start before end' },
      });
    }
    const daily = url.searchParams.get('frequency') === 'daily';
    const step = daily ? 86_400_000 : 3_600_000;
    // Free tier: the last 24 hours only.
    const from = Math.max(start, hour - 24 * 3_600_000);
    const out = [];
    for (let t = Math.ceil(from / step) * step; t <= Math.min(end, hour); t += step) {
      out.push({
        ...this.measurement(site, t, 1 + 0.2 * Math.sin(t / 3_600_000)),
        frequency: daily ? 'daily' : 'hourly',
      });
    }
    sendJson(res, 200, {
      success: true,
      isCache: false,
      message: 'successfully returned the measurements',
      meta: { total: out.length },
      measurements: out,
    });
  }

  /** `/devices/metadata/{entity}`: `{success, message, <entity>: [...]}` with the records as AirQo keeps them. */
  private metadata(entity: 'grids' | 'cohorts' | 'devices' | 'sites', res: http.ServerResponse): void {
    const cities = [...new Set(this.sites.map((s) => s.city))];
    const rows =
      entity === 'sites'
        ? this.sites.map((s) => ({ ...this.siteDetails(s), network: 'airqo' }))
        : entity === 'devices'
          ? this.sites.map((s, i) => ({
              _id: `65a0000000000000000000${String(i + 1).padStart(2, '0')}`,
              name: `aq_g5_${String(i + 87).padStart(3, '0')}`,
              long_name: `AirQo G5 ${i + 87}`,
              category: 'lowcost',
              isOnline: s.isOnline,
              status: 'deployed',
              network: 'airqo',
              site_id: s._id,
            }))
          : entity === 'grids'
            ? cities.map((c, i) => ({
                _id: `65b0000000000000000000${String(i + 1).padStart(2, '0')}`,
                name: c.toLowerCase(),
                long_name: c,
                admin_level: 'city',
                network: 'airqo',
                numberOfSites: this.sites.filter((s) => s.city === c).length,
              }))
            : [
                {
                  _id: '65c000000000000000000001',
                  name: 'airqo_public',
                  network: 'airqo',
                  numberOfDevices: this.sites.length,
                },
              ];
    sendJson(res, 200, { success: true, message: `successfully retrieved the ${entity} metadata`, [entity]: rows });
  }

  /**
   * `/predict/daily-forecast` and `/predict/hourly-forecast` as the AirQo predict service documents them:
   * `{forecasts: [{pm2_5, time: "2023-06-22T00:00:00+00:00", health_tips: [...]}]}`, 7 days or 24 hours
   * from now. A site the network does not know has no forecast (404).
   */
  private forecast(frequency: 'daily' | 'hourly', siteId: string | null, res: http.ServerResponse): void {
    const site = this.sites.find((s) => s._id === siteId);
    if (!site) return sendJson(res, 404, { success: false, message: 'No forecasts found for the given site' });
    const step = frequency === 'daily' ? 86_400_000 : 3_600_000;
    const first = Math.floor(this.now() / step) * step;
    const n = frequency === 'daily' ? 7 : 24;
    const stamp = (t: number) => new Date(t).toISOString().replace('.000Z', '+00:00');
    sendJson(res, 200, {
      forecasts: Array.from({ length: n }, (_, i) => {
        const pm2_5 = Math.round((28 + 6 * Math.sin(i / 2)) * 1e6) / 1e6;
        return {
          pm2_5,
          time: stamp(first + i * step),
          health_tips: [
            {
              _id: '64283ce9e82a77001e55c0b5',
              aqi_category: { max: 35.49, min: 12.1 },
              description: 'Reduce the intensity of your outdoor activities.',
              image: 'https://example.invalid/tip.png',
              title: 'For Everyone',
            },
          ],
        };
      }),
    });
  }
}
