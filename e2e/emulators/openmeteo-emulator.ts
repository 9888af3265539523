/**
 * A loopback stand-in for the Open-Meteo air-quality API (`/v1/air-quality`), faithful to
 * shared/reference/air-quality.md: `{latitude, longitude, timezone, utc_offset_seconds, current, hourly_units,
 * hourly}` with local times, and HTTP 400 `{"error":true,"reason":...}` for bad parameters. No key.
 * Values are a deterministic daily cycle around `basePm25`. Failures are scriptable via `faults`.
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

const VARIABLES: Record<string, string> = {
  pm2_5: 'μg/m³',
  pm10: 'μg/m³',
  carbon_monoxide: 'μg/m³',
  nitrogen_dioxide: 'μg/m³',
  sulphur_dioxide: 'μg/m³',
  ozone: 'μg/m³',
  us_aqi: 'USAQI',
  european_aqi: 'EAQI',
};

/** The weather API's (`/v1/forecast`) variables this emulator knows, with Open-Meteo's units. */
const WEATHER_CURRENT: Record<string, string> = {
  temperature_2m: '°C',
  relative_humidity_2m: '%',
  apparent_temperature: '°C',
  precipitation: 'mm',
  weather_code: 'wmo code',
  wind_speed_10m: 'km/h',
  wind_direction_10m: '°',
};
const WEATHER_DAILY: Record<string, string> = {
  weather_code: 'wmo code',
  temperature_2m_max: '°C',
  temperature_2m_min: '°C',
  precipitation_sum: 'mm',
  precipitation_probability_max: '%',
  wind_speed_10m_max: 'km/h',
};

interface OpenMeteoEmulatorOptions {
  now?: () => number;
  basePm25?: number;
}

export class OpenMeteoEmulator {
  private server: http.Server;
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string; query: Record<string, string> }> = [];
  basePm25: number;
  private readonly now: () => number;

  constructor(opts: OpenMeteoEmulatorOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.basePm25 = opts.basePm25 ?? 30;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: true, reason: String(err) });
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

  /** The modelled value of a variable at a UTC hour. */
  value(variable: string, t: number): number {
    const phase = Math.sin((2 * Math.PI * ((t / 3_600_000) % 24)) / 24);
    const pm25 = Math.round(this.basePm25 * (1 + 0.3 * phase) * 10) / 10;
    switch (variable) {
      case 'pm2_5':
        return pm25;
      case 'pm10':
        return Math.round(pm25 * 1.6 * 10) / 10;
      case 'us_aqi':
        return Math.round(pm25 * 2);
      case 'european_aqi':
        return Math.round(pm25 * 1.5);
      case 'nitrogen_dioxide':
        return 14.2;
      case 'ozone':
        return 61;
      case 'sulphur_dioxide':
        return 3.1;
      case 'carbon_monoxide':
        return 310;
      default:
        return 0;
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const bad = (reason: string) => sendJson(res, 400, { error: true, reason });
    const handled = await applyFault(this.faults.take(), res, (m) => bad(m ?? 'Internal error'));
    if (handled) return;
    if (url.pathname === '/v1/forecast') return this.weather(url.searchParams, res);
    if (url.pathname !== '/v1/air-quality') return sendJson(res, 404, { error: true, reason: 'Not Found' });
    const q = url.searchParams;
    const lat = Number(q.get('latitude'));
    const lon = Number(q.get('longitude'));
    if (!q.has('latitude') || !q.has('longitude') || !Number.isFinite(lat) || !Number.isFinite(lon)) {
      return bad("Parameter 'latitude' and 'longitude' must be set");
    }
    if (lat < -90 || lat > 90) return bad(`Latitude must be in range of -90 to 90°. Given: ${lat}.`);
    if (lon < -180 || lon > 180) return bad(`Longitude must be in range of -180 to 180°. Given: ${lon}.`);
    const forecastDays = Number(q.get('forecast_days') ?? 5);
    if (!Number.isInteger(forecastDays) || forecastDays < 0 || forecastDays > 7)
      return bad('Forecast days is invalid. Allowed range 0 to 7.');
    const pastDays = Number(q.get('past_days') ?? 0);
    if (!Number.isInteger(pastDays) || pastDays < 0 || pastDays > 92)
      return bad('Past days is invalid. Allowed range 0 to 92.');
    // start_date/end_date (YYYY-MM-DD, inclusive) replace past_days/forecast_days; both are needed, in order.
    const startDate = q.get('start_date');
    const endDate = q.get('end_date');
    const DATE = /^\d{4}-\d{2}-\d{2}$/;
    if ((startDate === null) !== (endDate === null))
      return bad("Parameter 'start_date' and 'end_date' must be set together");
    if (startDate !== null && endDate !== null) {
      if (!DATE.test(startDate) || Number.isNaN(Date.parse(startDate)))
        return bad(`Invalid date format '${startDate}'. Use yyyy-mm-dd`);
      if (!DATE.test(endDate) || Number.isNaN(Date.parse(endDate)))
        return bad(`Invalid date format '${endDate}'. Use yyyy-mm-dd`);
      if (endDate < startDate) return bad(`End-date must be larger or equals than start-date`);
      if (q.has('past_days') || q.has('forecast_days'))
        return bad("Parameter 'start_date' and 'past_days' or 'forecast_days' are mutually exclusive");
    }
    const list = (name: string) => (q.get(name) ?? '').split(',').filter(Boolean);
    for (const v of [...list('hourly'), ...list('current')]) {
      if (!VARIABLES[v]) return bad(`Cannot initialize VariableAndPreviousDay from invalid String value ${v}.`);
    }
    // timezone=auto: a whole-hour offset from the longitude stands in for the real time-zone lookup.
    const auto = q.get('timezone') === 'auto';
    const offset = auto ? Math.round(lon / 15) * 3600 : 0;
    const tzName = offset === 0 ? 'GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset / 3600)}`;
    const local = (t: number) => new Date(t + offset * 1000).toISOString().slice(0, 16);
    const nowHour = Math.floor(this.now() / 3_600_000) * 3_600_000;
    const localMidnight = Math.floor((nowHour + offset * 1000) / 86_400_000) * 86_400_000 - offset * 1000;
    const body: Record<string, unknown> = {
      latitude: Math.round(lat * 10) / 10,
      longitude: Math.round(lon * 10) / 10,
      generationtime_ms: 0.5,
      utc_offset_seconds: offset,
      timezone: tzName,
      timezone_abbreviation: tzName,
    };
    if (list('current').length) {
      body.current_units = Object.fromEntries([
        ['time', 'iso8601'],
        ['interval', 'seconds'],
        ...list('current').map((v) => [v, VARIABLES[v]]),
      ]);
      body.current = Object.fromEntries([
        ['time', local(nowHour)],
        ['interval', 3600],
        ...list('current').map((v) => [v, this.value(v, nowHour)]),
      ]);
    }
    if (list('hourly').length) {
      const ranged = startDate !== null && endDate !== null;
      const start = ranged ? Date.parse(startDate) - offset * 1000 : localMidnight - pastDays * 86_400_000;
      const hours = ranged
        ? (Date.parse(endDate) - Date.parse(startDate)) / 3_600_000 + 24
        : (pastDays + forecastDays) * 24;
      const times = Array.from({ length: hours }, (_, i) => start + i * 3_600_000);
      body.hourly_units = Object.fromEntries([['time', 'iso8601'], ...list('hourly').map((v) => [v, VARIABLES[v]])]);
      body.hourly = Object.fromEntries([
        ['time', times.map(local)],
        ...list('hourly').map((v) => [v, times.map((t) => this.value(v, t))]),
      ]);
    }
    sendJson(res, 200, body);
  }

  /**
   * The weather API (api.open-meteo.com `/v1/forecast`): `current` (15-minutely, `interval: 900`) and `daily`
   * blocks with their `*_units`, local times with `timezone=auto`, `forecast_days` 0–16, HTTP 400
   * `{"error":true,"reason":...}` for an unknown variable or a bad range, as the real API answers.
   */
  private weather(q: URLSearchParams, res: http.ServerResponse): void {
    const bad = (reason: string) => sendJson(res, 400, { error: true, reason });
    const lat = Number(q.get('latitude'));
    const lon = Number(q.get('longitude'));
    if (!q.has('latitude') || !q.has('longitude') || !Number.isFinite(lat) || !Number.isFinite(lon))
      return bad("Parameter 'latitude' and 'longitude' must be set");
    if (lat < -90 || lat > 90) return bad(`Latitude must be in range of -90 to 90°. Given: ${lat}.`);
    if (lon < -180 || lon > 180) return bad(`Longitude must be in range of -180 to 180°. Given: ${lon}.`);
    const forecastDays = Number(q.get('forecast_days') ?? 7);
    if (!Number.isInteger(forecastDays) || forecastDays < 0 || forecastDays > 16)
      return bad('Forecast days is invalid. Allowed range 0 to 16.');
    const list = (name: string) => (q.get(name) ?? '').split(',').filter(Boolean);
    for (const v of list('current'))
      if (!WEATHER_CURRENT[v]) return bad(`Cannot initialize ForecastVariable from invalid String value ${v}.`);
    for (const v of list('daily'))
      if (!WEATHER_DAILY[v]) return bad(`Cannot initialize ForecastVariableDaily from invalid String value ${v}.`);
    const offset = q.get('timezone') === 'auto' ? Math.round(lon / 15) * 3600 : 0;
    const tzName = offset === 0 ? 'GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset / 3600)}`;
    const now = this.now();
    const quarter = Math.floor(now / 900_000) * 900_000;
    const body: Record<string, unknown> = {
      latitude: Math.round(lat * 100) / 100,
      longitude: Math.round(lon * 100) / 100,
      generationtime_ms: 0.2,
      utc_offset_seconds: offset,
      timezone: tzName,
      timezone_abbreviation: tzName,
      elevation: 1200,
    };
    const hourOfDay = (t: number) => ((t + offset * 1000) / 3_600_000) % 24;
    const currentValue = (v: string, t: number): number => {
      const warm = Math.sin((2 * Math.PI * (hourOfDay(t) - 9)) / 24);
      switch (v) {
        case 'temperature_2m':
          return Math.round((21 + 5 * warm) * 10) / 10;
        case 'apparent_temperature':
          return Math.round((22 + 5 * warm) * 10) / 10;
        case 'relative_humidity_2m':
          return Math.round(65 - 15 * warm);
        case 'precipitation':
          return 0;
        case 'weather_code':
          return 2;
        case 'wind_speed_10m':
          return 9.4;
        default:
          return 140;
      }
    };
    if (list('current').length) {
      body.current_units = Object.fromEntries([
        ['time', 'iso8601'],
        ['interval', 'seconds'],
        ...list('current').map((v) => [v, WEATHER_CURRENT[v]]),
      ]);
      body.current = Object.fromEntries([
        ['time', new Date(quarter + offset * 1000).toISOString().slice(0, 16)],
        ['interval', 900],
        ...list('current').map((v) => [v, currentValue(v, quarter)]),
      ]);
    }
    if (list('daily').length) {
      const localMidnight = Math.floor((now + offset * 1000) / 86_400_000) * 86_400_000;
      const dates = Array.from({ length: forecastDays }, (_, i) =>
        new Date(localMidnight + i * 86_400_000).toISOString().slice(0, 10),
      );
      const dailyValue = (v: string, i: number): number => {
        switch (v) {
          case 'weather_code':
            return [2, 61, 3, 80, 1][i % 5]!;
          case 'temperature_2m_max':
            return 26 + (i % 3);
          case 'temperature_2m_min':
            return 15 + (i % 2);
          case 'precipitation_sum':
            return [0, 4.2, 0.3, 11.8, 0][i % 5]!;
          case 'precipitation_probability_max':
            return [10, 75, 30, 90, 5][i % 5]!;
          default:
            return 18.5;
        }
      };
      body.daily_units = Object.fromEntries([['time', 'iso8601'], ...list('daily').map((v) => [v, WEATHER_DAILY[v]])]);
      body.daily = Object.fromEntries([
        ['time', dates],
        ...list('daily').map((v) => [v, dates.map((_, i) => dailyValue(v, i))]),
      ]);
    }
    sendJson(res, 200, body);
  }
}
