/**
 * A loopback stand-in for the Carbon Intensity API (api.carbonintensity.org.uk), in the shapes its API definitions
 * document: half-hour periods `{from: "2026-01-10T11:00Z", to, intensity: {forecast, actual, index}}` under
 * `{data: [...]}`; `/regional/regionid/{1-17}` → `{data: [{regionid, dnoregion, shortname, data: [period with
 * generationmix]}]}`; `/generation` → `{data: {from, to, generationmix}}`; `/intensity/factors` → `{data: [{Fuel:
 * gCO2/kWh}]}`. Errors are `{error: {code: "400 Bad Request", message}}` with that status.
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

const REGIONS: Array<[number, string, string]> = [
  [1, 'Scottish Hydro Electric Power Distribution', 'North Scotland'],
  [2, 'SP Distribution', 'South Scotland'],
  [3, 'Electricity North West', 'North West England'],
  [4, 'NPG North East', 'North East England'],
  [5, 'NPG Yorkshire', 'Yorkshire'],
  [6, 'SP Manweb', 'North Wales & Merseyside'],
  [7, 'WPD South Wales', 'South Wales'],
  [8, 'WPD West Midlands', 'West Midlands'],
  [9, 'WPD East Midlands', 'East Midlands'],
  [10, 'UKPN East', 'East England'],
  [11, 'WPD South West', 'South West England'],
  [12, 'SSE South', 'South England'],
  [13, 'UKPN London', 'London'],
  [14, 'UKPN South East', 'South East England'],
  [15, 'England', 'England'],
  [16, 'Scotland', 'Scotland'],
  [17, 'Wales', 'Wales'],
];

const FACTORS = {
  Biomass: 120,
  Coal: 937,
  'Dutch Imports': 474,
  'French Imports': 53,
  'Gas (Combined Cycle)': 394,
  'Gas (Open Cycle)': 651,
  Hydro: 0,
  'Irish Imports': 458,
  Nuclear: 0,
  Oil: 935,
  Other: 300,
  'Pumped Storage': 0,
  Solar: 0,
  Wind: 0,
};

const index = (g: number) =>
  g < 40 ? 'very low' : g < 120 ? 'low' : g < 200 ? 'moderate' : g < 290 ? 'high' : 'very high';
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';

export class CarbonIntensityEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string }> = [];
  private readonly now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.error(res, 500, 'Internal Server Error');
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

  private error(res: http.ServerResponse, status: number, message: string): void {
    const code =
      { 400: '400 Bad Request', 404: '404 Not Found', 500: '500 Internal Server Error' }[status] ?? String(status);
    sendJson(res, status, { error: { code, message } });
  }

  intensityAt(start: number, offset = 0): number {
    return Math.round(150 + offset + 60 * Math.sin(start / 3_600_000 / 4));
  }

  private period(start: number, withActual: boolean) {
    const g = this.intensityAt(start);
    return {
      from: stamp(start),
      to: stamp(start + 1_800_000),
      intensity: { forecast: g + 4, actual: withActual ? g : null, index: index(g) },
    };
  }

  private mix(start: number) {
    const gas = Math.round(300 + 100 * Math.sin(start / 7_200_000)) / 10;
    const wind = Math.round((60 - gas) * 10) / 10;
    return [
      { fuel: 'biomass', perc: 5.1 },
      { fuel: 'coal', perc: 0 },
      { fuel: 'imports', perc: 8.2 },
      { fuel: 'gas', perc: gas },
      { fuel: 'nuclear', perc: 14.3 },
      { fuel: 'other', perc: 0.3 },
      { fuel: 'hydro', perc: 1.8 },
      { fuel: 'solar', perc: Math.round((100 - 5.1 - 8.2 - gas - 14.3 - 0.3 - 1.8 - wind) * 10) / 10 },
      { fuel: 'wind', perc: wind },
    ];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: url.pathname });
    const handled = await applyFault(this.faults.take(), res, (m) =>
      this.error(res, 500, m ?? 'Internal Server Error'),
    );
    if (handled) return;
    const path = url.pathname.replace(/\/+$/, '');
    const half = Math.floor(this.now() / 1_800_000) * 1_800_000;
    if (path === '/intensity') return sendJson(res, 200, { data: [this.period(half, true)] });
    if (path === '/intensity/date') {
      const day = Math.floor(this.now() / 86_400_000) * 86_400_000;
      return sendJson(res, 200, {
        data: Array.from({ length: 48 }, (_, i) => this.period(day + i * 1_800_000, day + i * 1_800_000 <= half)),
      });
    }
    if (path === '/intensity/factors') return sendJson(res, 200, { data: [FACTORS] });
    if (path === '/generation')
      return sendJson(res, 200, {
        data: { from: stamp(half), to: stamp(half + 1_800_000), generationmix: this.mix(half) },
      });
    const m = path.match(/^\/regional\/regionid\/(.+)$/);
    if (m) {
      const region = REGIONS.find(([id]) => String(id) === m[1]);
      if (!region)
        return this.error(
          res,
          400,
          'Please enter a valid region ID i.e. 1-17. For more information see the API documentation.',
        );
      const [id, dno, shortname] = region;
      const g = this.intensityAt(half, id * 7 - 60);
      return sendJson(res, 200, {
        data: [
          {
            regionid: id,
            dnoregion: dno,
            shortname,
            data: [
              {
                from: stamp(half),
                to: stamp(half + 1_800_000),
                intensity: { forecast: g, index: index(g) },
                generationmix: this.mix(half + id),
              },
            ],
          },
        ],
      });
    }
    this.error(res, 404, 'Not Found');
  }
}
