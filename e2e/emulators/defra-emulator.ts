/**
 * A loopback stand-in for UK-AIR's 52°North Timeseries REST API (base `${url}/sos-ukair/api/v1`), as that API
 * documents its replies: `/stations` GeoJSON features with `[lat, lon, alt]` coordinates, `/timeseries?station=`
 * with `expanded=true` giving phenomenon and unit (`ug.m-3`), `/timeseries/{id}/getData?timespan=PT<n>H/<end>`
 * giving `{values: [{timestamp: <epoch ms>, value}]}` with UK-AIR's `-99` fill for a missing hour, and errors as
 * `{statusCode, userMessage, developerMessage, hints}` under that status (404 unknown id, 400 bad timespan).
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

interface DefraEmulatedStation {
  id: number;
  label: string;
  lat: number;
  lon: number;
  /** EEA pollutant code → [timeseries id, base level]. */
  series: Record<string, [number, number]>;
}

const PHENOMENA: Record<string, string> = {
  '6001': 'Particulate matter less than 2.5 micro m (aerosol)',
  '5': 'Particulate matter less than 10 micro m (aerosol)',
  '8': 'Nitrogen dioxide (air)',
};

const STATIONS: DefraEmulatedStation[] = [
  {
    id: 1170,
    label: 'London Marylebone Road',
    lat: 51.52253,
    lon: -0.154611,
    series: { '6001': [5112, 14], '8': [5113, 48] },
  },
  {
    id: 1171,
    label: 'London N. Kensington',
    lat: 51.52105,
    lon: -0.213492,
    series: { '6001': [5120, 9], '5': [5121, 15] },
  },
  { id: 1230, label: 'Manchester Piccadilly', lat: 53.48152, lon: -2.237881, series: { '8': [5301, 30] } },
];

const SERVICE = 'https://uk-air.defra.gov.uk/sos-ukair/api/v1';

export class DefraEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string; query: Record<string, string> }> = [];
  stations: DefraEmulatedStation[];
  private readonly now: () => number;

  constructor(opts: { now?: () => number; stations?: DefraEmulatedStation[] } = {}) {
    this.now = opts.now ?? Date.now;
    this.stations = structuredClone(opts.stations ?? STATIONS);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.error(res, 500, 'Internal error', String(err));
      });
    });
  }

  /** What AERIS_DEFRA_URL points at. */
  get baseUrl(): string {
    return `${this.url}/sos-ukair/api/v1`;
  }

  async start(): Promise<this> {
    this.url = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private error(res: http.ServerResponse, status: number, userMessage: string, developerMessage: string): void {
    sendJson(res, status, { statusCode: status, userMessage, developerMessage, hints: [] });
  }

  private feature(s: DefraEmulatedStation) {
    return {
      properties: { id: s.id, label: s.label },
      geometry: { coordinates: [s.lat, s.lon, 'NaN'], type: 'Point' },
      type: 'Feature',
    };
  }

  /** Deterministic hourly value; one hour in 24 is UK-AIR's missing-value fill. */
  value(tsId: number, base: number, t: number): number {
    const hour = Math.floor(t / 3_600_000);
    if ((hour + tsId) % 24 === 5) return -99;
    return Math.round((base + (base / 3) * Math.sin(hour / 3)) * 1000) / 1000;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const handled = await applyFault(this.faults.take(), res, (m) =>
      this.error(res, 500, m ?? 'Internal error', 'The service is unavailable'),
    );
    if (handled) return;
    if (req.method !== 'GET') return this.error(res, 405, 'Method not allowed', `${req.method} is not supported`);
    const path = url.pathname.replace(/^\/sos-ukair\/api\/v1/, '').replace(/\/+$/, '');
    if (path === '/stations')
      return sendJson(
        res,
        200,
        this.stations.map((s) => this.feature(s)),
      );
    if (path === '/timeseries') {
      const stationId = url.searchParams.get('station');
      const list = this.stations.filter((s) => stationId === null || String(s.id) === stationId);
      const expanded = url.searchParams.get('expanded') === 'true';
      return sendJson(
        res,
        200,
        list.flatMap((s) =>
          Object.entries(s.series).map(([eea, [id]]) => {
            const label = `${PHENOMENA[eea]} ${s.label}`;
            return expanded
              ? {
                  id: String(id),
                  label,
                  uom: 'ug.m-3',
                  station: this.feature(s),
                  parameters: {
                    phenomenon: {
                      id: `http://dd.eionet.europa.eu/vocabulary/aq/pollutant/${eea}`,
                      label: PHENOMENA[eea],
                    },
                    service: { id: 'ukair', label: SERVICE },
                  },
                }
              : { id: String(id), label, uom: 'ug.m-3', station: this.feature(s) };
          }),
        ),
      );
    }
    const m = path.match(/^\/timeseries\/([^/]+)(\/getData)?$/);
    if (!m) return this.error(res, 404, 'Resource not found', `No resource at ${url.pathname}`);
    const tsId = Number(m[1]);
    const found = this.stations.flatMap((s) => Object.values(s.series)).find(([id]) => id === tsId);
    if (!found) return this.error(res, 404, `Resource with id '${m[1]}' could not be found.`, 'Unknown timeseries');
    if (!m[2]) return sendJson(res, 200, { id: String(tsId), uom: 'ug.m-3' });
    const span = (url.searchParams.get('timespan') ?? '').match(
      /^PT(\d+)H\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z)$/,
    );
    if (!span)
      return this.error(
        res,
        400,
        'Invalid timespan',
        'timespan must be an ISO 8601 interval such as PT24H/2026-01-10T12:00:00Z',
      );
    const end = Math.min(Date.parse(span[2]!), this.now());
    const start = Date.parse(span[2]!) - Number(span[1]) * 3_600_000;
    const values = [];
    for (let t = Math.ceil(start / 3_600_000) * 3_600_000; t <= end; t += 3_600_000)
      values.push({ timestamp: t, value: this.value(tsId, found[1], t) });
    sendJson(res, 200, { values });
  }
}
