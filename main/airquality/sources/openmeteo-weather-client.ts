import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';
import type { Attribution } from './source-types';

/** Open-Meteo's weather API lives on its own host (the air-quality API is air-quality-api.open-meteo.com). */
export const DEFAULT_WEATHER_URL = 'https://api.open-meteo.com';
export const WEATHER_URL_ENV = 'AERIS_OPENMETEO_WEATHER_URL';

const WEATHER_ATTRIBUTION: Attribution[] = [{ name: 'Weather data by Open-Meteo.com', url: 'https://open-meteo.com/' }];

/** WMO weather interpretation codes, as Open-Meteo documents them. */
const WMO: Record<number, string> = {
  0: 'clear sky',
  1: 'mainly clear',
  2: 'partly cloudy',
  3: 'overcast',
  45: 'fog',
  48: 'depositing rime fog',
  51: 'light drizzle',
  53: 'moderate drizzle',
  55: 'dense drizzle',
  56: 'light freezing drizzle',
  57: 'dense freezing drizzle',
  61: 'slight rain',
  63: 'moderate rain',
  65: 'heavy rain',
  66: 'light freezing rain',
  67: 'heavy freezing rain',
  71: 'slight snow fall',
  73: 'moderate snow fall',
  75: 'heavy snow fall',
  77: 'snow grains',
  80: 'slight rain showers',
  81: 'moderate rain showers',
  82: 'violent rain showers',
  85: 'slight snow showers',
  86: 'heavy snow showers',
  95: 'thunderstorm',
  96: 'thunderstorm with slight hail',
  99: 'thunderstorm with heavy hail',
};
const weatherText = (code: number | null | undefined): string | null =>
  code === null || code === undefined ? null : (WMO[code] ?? `weather code ${code}`);

const CURRENT = [
  'temperature_2m',
  'relative_humidity_2m',
  'apparent_temperature',
  'precipitation',
  'weather_code',
  'wind_speed_10m',
  'wind_direction_10m',
] as const;
const DAILY = [
  'weather_code',
  'temperature_2m_max',
  'temperature_2m_min',
  'precipitation_sum',
  'precipitation_probability_max',
  'wind_speed_10m_max',
] as const;

interface ForecastReply {
  latitude: number;
  longitude: number;
  timezone?: string;
  utc_offset_seconds?: number;
  current_units?: Record<string, string>;
  current?: { time: string } & Record<string, number | string | null>;
  daily_units?: Record<string, string>;
  daily?: { time: string[] } & Record<string, Array<number | null>>;
}

export interface CurrentWeather {
  source: 'openmeteo';
  sourceName: string;
  dataType: 'model';
  location: { name: string; latitude: number; longitude: number };
  /** Local time of the values, as Open-Meteo gives it, and the zone. */
  time: string;
  timezone: string;
  description: string | null;
  values: Record<string, { value: number; unit: string }>;
  attribution: Attribution[];
  notes: string[];
}

export interface WeatherForecast {
  source: 'openmeteo';
  sourceName: string;
  dataType: 'model';
  location: { name: string; latitude: number; longitude: number };
  timezone: string;
  days: Array<{ date: string; description: string | null } & Record<string, number | string | null>>;
  units: Record<string, string>;
  attribution: Attribution[];
  notes: string[];
}

const NAME = 'Open-Meteo weather (numerical weather models)';
const NOTE = 'Open-Meteo weather values are numerical weather model output for the grid cell, not a station reading.';

export class OpenMeteoWeatherClient {
  constructor(private readonly opts: { http: SourceHttp; baseUrl: () => string }) {}

  readonly configured = true;

  private interpret(reply: HttpReply): ForecastReply {
    const body = reply.body as (ForecastReply & { error?: boolean; reason?: string }) | undefined;
    if (!body || typeof body !== 'object')
      throw new SourceError(
        'openmeteo',
        'bad_response',
        `Open-Meteo weather sent a reply that is not JSON`,
        reply.status,
      );
    if (body.error)
      throw new SourceError(
        'openmeteo',
        reply.status === 400 ? 'bad_request' : 'bad_response',
        `Open-Meteo weather: ${body.reason ?? 'error'}`,
        reply.status,
      );
    if (reply.status >= 400)
      throw new SourceError('openmeteo', 'http', `Open-Meteo weather answered HTTP ${reply.status}`, reply.status);
    return body;
  }

  private request(query: Record<string, string | number>, signal?: AbortSignal): Promise<ForecastReply> {
    const url = joinUrl(this.opts.baseUrl(), '/v1/forecast', { ...query, timezone: 'auto' });
    return this.opts.http.get(url, (r) => this.interpret(r), { signal });
  }

  async current(
    latitude: number,
    longitude: number,
    placeName?: string,
    signal?: AbortSignal,
  ): Promise<CurrentWeather> {
    const d = await this.request({ latitude, longitude, current: CURRENT.join(',') }, signal);
    const c = d.current;
    if (!c || typeof c.time !== 'string')
      throw new SourceError('openmeteo', 'bad_response', 'Open-Meteo weather reply has no current values');
    const values: CurrentWeather['values'] = {};
    for (const k of CURRENT) {
      const v = c[k];
      if (k !== 'weather_code' && typeof v === 'number') values[k] = { value: v, unit: d.current_units?.[k] ?? '' };
    }
    const code = typeof c.weather_code === 'number' ? c.weather_code : null;
    return {
      source: 'openmeteo',
      sourceName: NAME,
      dataType: 'model',
      location: {
        name: placeName ?? `${d.latitude.toFixed(2)}, ${d.longitude.toFixed(2)}`,
        latitude: d.latitude,
        longitude: d.longitude,
      },
      time: c.time,
      timezone: d.timezone ?? 'GMT',
      description: weatherText(code),
      values,
      attribution: WEATHER_ATTRIBUTION,
      notes: [NOTE],
    };
  }

  /** Daily forecast, 1–16 days (Open-Meteo's range). */
  async forecast(
    latitude: number,
    longitude: number,
    days: number,
    placeName?: string,
    signal?: AbortSignal,
  ): Promise<WeatherForecast> {
    const d = await this.request({ latitude, longitude, daily: DAILY.join(','), forecast_days: days }, signal);
    const t = d.daily?.time;
    if (!Array.isArray(t))
      throw new SourceError('openmeteo', 'bad_response', 'Open-Meteo weather reply has no daily values');
    const out: WeatherForecast['days'] = t.map((date, i) => {
      const row: WeatherForecast['days'][number] = {
        date,
        description: weatherText(d.daily?.weather_code?.[i] ?? null),
      };
      for (const k of DAILY) if (k !== 'weather_code') row[k] = d.daily?.[k]?.[i] ?? null;
      return row;
    });
    const units = Object.fromEntries(
      DAILY.filter((k) => k !== 'weather_code').map((k) => [k, d.daily_units?.[k] ?? '']),
    );
    return {
      source: 'openmeteo',
      sourceName: NAME,
      dataType: 'model',
      location: {
        name: placeName ?? `${d.latitude.toFixed(2)}, ${d.longitude.toFixed(2)}`,
        latitude: d.latitude,
        longitude: d.longitude,
      },
      timezone: d.timezone ?? 'GMT',
      days: out,
      units,
      attribution: WEATHER_ATTRIBUTION,
      notes: [NOTE, `Days are local (${d.timezone ?? 'GMT'}).`],
    };
  }
}
