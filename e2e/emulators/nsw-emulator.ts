/**
 * A loopback stand-in for the NSW Air Quality API (https://data.airquality.nsw.gov.au, user guide v1.0):
 * `GET /api/Data/get_SiteDetails`, `GET /api/Data/get_ParameterDetails`, and `POST /api/Data/get_Observations`
 * with a JSON body (a GET there is 405, a body that is not JSON 415/400, a missing or malformed date 400).
 * Observations are hourly averages in AEST (UTC+10, no daylight saving), `Hour` being the hour ending (1–24),
 * with NSW's air quality category for the pollutants that have one.
 */
import http from 'node:http';
import { closeServer, listen, readBody, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

const SITES = [
  { Site_Id: 39, SiteName: 'RANDWICK', Longitude: 151.2424, Latitude: -33.9327, Region: 'Sydney East' },
  { Site_Id: 107, SiteName: 'ROZELLE', Longitude: 151.1625, Latitude: -33.8658, Region: 'Sydney East' },
  { Site_Id: 2560, SiteName: 'PARRAMATTA NORTH', Longitude: 151.0043, Latitude: -33.7967, Region: 'Sydney North-west' },
  { Site_Id: 329, SiteName: 'NEWCASTLE', Longitude: 151.7596, Latitude: -32.9323, Region: 'Lower Hunter' },
];

const PARAMETERS: Record<string, { desc: string; units: string; desc2: string; base: number }> = {
  'PM2.5': { desc: 'PM2.5', units: 'µg/m³', desc2: 'microgram per cubic meter', base: 8 },
  PM10: { desc: 'PM10', units: 'µg/m³', desc2: 'microgram per cubic meter', base: 18 },
  O3: { desc: 'Ozone', units: 'pphm', desc2: 'parts per hundred million', base: 2 },
  NO2: { desc: 'Nitrogen Dioxide', units: 'pphm', desc2: 'parts per hundred million', base: 1 },
  SO2: { desc: 'Sulfur Dioxide', units: 'pphm', desc2: 'parts per hundred million', base: 0.1 },
  CO: { desc: 'Carbon Monoxide', units: 'ppm', desc2: 'parts per million', base: 0.2 },
};

const AEST = 10 * 3_600_000;

function pm25Category(v: number): string {
  return v <= 25 ? 'GOOD' : v <= 50 ? 'FAIR' : v <= 100 ? 'POOR' : v <= 300 ? 'VERY POOR' : 'EXTREMELY POOR';
}

const hourDescription = (h: number) => {
  const label = (x: number) => (x % 12 === 0 ? 12 : x % 12) + (x % 24 < 12 ? ' am' : ' pm');
  return `${label(h - 1)} - ${label(h)}`;
};

export class NswEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ method: string; path: string; body: unknown }> = [];
  private readonly now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { Message: 'An error has occurred.' });
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

  value(site: number, code: string, start: number): number {
    const base = PARAMETERS[code]!.base;
    const h = Math.floor(start / 3_600_000);
    return Math.round((base + (base / 3) * Math.sin((h + site) / 5)) * 100) / 100;
  }

  private parameter(code: string) {
    const p = PARAMETERS[code]!;
    return {
      ParameterCode: code,
      ParameterDescription: p.desc,
      Units: p.units,
      UnitsDescription: p.desc2,
      Category: 'Averages',
      SubCategory: 'Hourly',
      Frequency: 'Hourly average',
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const text = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown = undefined;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
    const handled = await applyFault(this.faults.take(), res, (m) =>
      sendJson(res, 500, { Message: m ?? 'An error has occurred.' }),
    );
    if (handled) return;
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/api/Data/get_SiteDetails' && req.method === 'GET') return sendJson(res, 200, SITES);
    if (path === '/api/Data/get_ParameterDetails' && req.method === 'GET')
      return sendJson(
        res,
        200,
        Object.keys(PARAMETERS).map((c) => this.parameter(c)),
      );
    if (path !== '/api/Data/get_Observations')
      return sendJson(res, 404, { Message: 'No HTTP resource was found that matches the request URI.' });
    if (req.method !== 'POST')
      return sendJson(res, 405, { Message: "The requested resource does not support http method 'GET'." });
    if (!/application\/json/i.test(String(req.headers['content-type'] ?? '')))
      return sendJson(res, 415, { Message: "The request entity's media type is not supported for this resource." });
    const q = body as { Parameters?: unknown; Sites?: unknown; StartDate?: unknown; EndDate?: unknown } | undefined;
    const date = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    if (!q || !date(q.StartDate) || !date(q.EndDate))
      return sendJson(res, 400, {
        Message: 'The request is invalid.',
        ModelState: { StartDate: ['StartDate and EndDate are required (yyyy-mm-dd)'] },
      });
    const params = Array.isArray(q.Parameters)
      ? q.Parameters.filter((p): p is string => typeof p === 'string' && p in PARAMETERS)
      : Object.keys(PARAMETERS);
    const sites = Array.isArray(q.Sites) ? SITES.filter((s) => (q.Sites as unknown[]).includes(s.Site_Id)) : SITES;
    const out = [];
    const first = Date.parse(`${q.StartDate as string}T00:00:00Z`) - AEST;
    const last = Math.min(Date.parse(`${q.EndDate as string}T00:00:00Z`) - AEST + 86_400_000, this.now());
    for (let end = first + 3_600_000; end <= last; end += 3_600_000) {
      const start = end - 3_600_000;
      const local = new Date(start + AEST);
      const hour = local.getUTCHours() + 1;
      for (const s of sites)
        for (const code of params) {
          const v = this.value(s.Site_Id, code, start);
          out.push({
            Site_Id: s.Site_Id,
            Parameter: this.parameter(code),
            Date: local.toISOString().slice(0, 10),
            Hour: hour,
            HourDescription: hourDescription(hour),
            Value: v,
            AirQualityCategory: code === 'PM2.5' ? pm25Category(v) : null,
            DeterminingPollutant: null,
          });
        }
    }
    sendJson(res, 200, out);
  }
}
