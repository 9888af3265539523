import { computeAqi } from '../aqi/epa-aqi';
import { nowCast } from '../aqi/nowcast';
import { AqiError } from '../aqi/epa-aqi';
import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';
import {
  SOURCE_NAMES,
  type AirQualityForecast,
  type AirQualityReading,
  type Attribution,
  type DailyForecast,
} from './source-types';

interface OpenMeteoReply {
  latitude: number;
  longitude: number;
  timezone?: string;
  utc_offset_seconds?: number;
  current?: { time: string; interval?: number } & Record<string, number | string | null>;
  hourly_units?: Record<string, string>;
  hourly?: { time: string[] } & Record<string, Array<number | null>>;
}

interface OpenMeteoClientOptions {
  http: SourceHttp;
  baseUrl: () => string;
}

const OPENMETEO_ATTRIBUTION: Attribution[] = [
  { name: 'Open-Meteo', url: 'https://open-meteo.com/' },
  { name: 'Copernicus Atmosphere Monitoring Service (CAMS)', url: 'https://atmosphere.copernicus.eu/' },
];
const MODEL_NOTE =
  'Open-Meteo values are CAMS model output (a forecast model on a coarse grid), not measurements from a station.';

/** Open-Meteo's local times ("2026-01-10T15:00") with the reply's UTC offset, as UTC ISO. */
function localToUtc(local: string, offsetSeconds: number): string {
  return new Date(Date.parse(`${local}:00Z`) - offsetSeconds * 1000).toISOString();
}

function stats(values: Array<number | null | undefined>): { mean: number; min: number; max: number } | undefined {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return undefined;
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return { mean: r1(v.reduce((a, b) => a + b, 0) / v.length), min: r1(Math.min(...v)), max: r1(Math.max(...v)) };
}

/** A range of past days from the CAMS model: daily PM means with the WHO 2021 24-hour comparison. */
export interface ModelHistory {
  source: 'openmeteo';
  sourceName: string;
  dataType: 'model';
  location: { name: string; latitude: number; longitude: number };
  startDate: string;
  endDate: string;
  /** The zone the days are counted in (the place's own, `timezone=auto`). */
  timezone: string;
  days: Array<{
    date: string;
    pm2_5?: { mean: number; min: number; max: number };
    pm10?: { mean: number; min: number; max: number };
    hours: number;
  }>;
  who: { pm25Guideline: number; pm10Guideline: number; daysAbovePm25: number; daysAbovePm10: number };
  attribution: Attribution[];
  notes: string[];
}

/** WHO 2021 24-hour guidelines (µg/m³). */
const WHO_24H = { pm25: 15, pm10: 45 };

export class OpenMeteoClient {
  constructor(private readonly opts: OpenMeteoClientOptions) {}

  readonly configured = true;

  /** HTTP 400 `{"error":true,"reason":...}` is our request's fault: a bad_request, not a sick service. */
  private interpret(reply: HttpReply): OpenMeteoReply {
    const body = reply.body as (OpenMeteoReply & { error?: boolean; reason?: string }) | undefined;
    if (!body || typeof body !== 'object') {
      throw new SourceError(
        'openmeteo',
        'bad_response',
        `Open-Meteo sent a reply that is not JSON (HTTP ${reply.status})`,
        reply.status,
      );
    }
    if (body.error) {
      throw new SourceError(
        'openmeteo',
        reply.status === 400 ? 'bad_request' : 'bad_response',
        `Open-Meteo: ${body.reason ?? 'error'}`,
        reply.status,
      );
    }
    if (reply.status >= 400)
      throw new SourceError('openmeteo', 'http', `Open-Meteo answered HTTP ${reply.status}`, reply.status);
    return body;
  }

  private request(query: Record<string, string | number>, signal?: AbortSignal): Promise<OpenMeteoReply> {
    const url = joinUrl(this.opts.baseUrl(), '/v1/air-quality', { ...query, timezone: 'auto' });
    return this.opts.http.get(url, (r) => this.interpret(r), { signal });
  }

  /** Current model values, with the AQI from a NowCast over the past 12 model hours when they are there. */
  async current(
    latitude: number,
    longitude: number,
    placeName?: string,
    signal?: AbortSignal,
  ): Promise<AirQualityReading> {
    const d = await this.request(
      {
        latitude,
        longitude,
        current: 'pm2_5,pm10,us_aqi,european_aqi,nitrogen_dioxide,ozone,sulphur_dioxide,carbon_monoxide',
        hourly: 'pm2_5,pm10',
        past_days: 1,
        forecast_days: 1,
      },
      signal,
    );
    const c = d.current;
    if (!c || typeof c.time !== 'string')
      throw new SourceError('openmeteo', 'bad_response', 'Open-Meteo reply has no current values');
    const offset = d.utc_offset_seconds ?? 0;
    const val = (k: string): number | undefined =>
      typeof c[k] === 'number' && Number.isFinite(c[k]) ? c[k] : undefined;
    const notes = [MODEL_NOTE];
    let aqi: AirQualityReading['aqi'] = null;
    const pm25 = val('pm2_5');
    const times = d.hourly?.time ?? [];
    const series = d.hourly?.pm2_5 ?? [];
    let idx = -1;
    for (let i = 0; i < times.length; i++) if (times[i]! <= c.time) idx = i;
    if (idx >= 0) {
      const window = series.slice(Math.max(0, idx - 11), idx + 1).reverse();
      try {
        const nc = nowCast('pm25', window);
        aqi = {
          value: nc.aqi.aqi,
          category: nc.aqi.category,
          color: nc.aqi.color,
          dominantPollutant: 'pm25',
          basis: `US EPA 2024 NowCast over the last ${nc.hoursUsed} model hours of PM2.5 (${nc.concentration} µg/m³).`,
        };
      } catch (err) {
        if (!(err instanceof AqiError)) throw err;
      }
    }
    if (!aqi && pm25 !== undefined) {
      const r = computeAqi('pm25', pm25, '24h');
      aqi = {
        value: r.aqi,
        category: r.category,
        color: r.color,
        dominantPollutant: 'pm25',
        basis: 'US EPA 2024 breakpoints applied to the current modelled PM2.5 (indicative).',
      };
    }
    const usAqi = val('us_aqi');
    if (usAqi !== undefined)
      notes.push(`The model's own US AQI is ${usAqi}; European AQI ${val('european_aqi') ?? 'n/a'}.`);
    const conc: AirQualityReading['concentrations'] = {};
    const map: Array<[string, keyof AirQualityReading['concentrations']]> = [
      ['pm2_5', 'pm2_5'],
      ['pm10', 'pm10'],
      ['nitrogen_dioxide', 'no2'],
      ['ozone', 'o3'],
      ['sulphur_dioxide', 'so2'],
      ['carbon_monoxide', 'co'],
    ];
    for (const [from, to] of map) {
      const v = val(from);
      if (v !== undefined) conc[to] = { value: v, unit: 'µg/m³' };
    }
    return {
      source: 'openmeteo',
      sourceName: SOURCE_NAMES.openmeteo,
      dataType: 'model',
      station: {
        name: placeName
          ? `CAMS model grid cell near ${placeName}`
          : `CAMS model grid cell at ${d.latitude.toFixed(2)}, ${d.longitude.toFixed(2)}`,
        latitude: d.latitude,
        longitude: d.longitude,
      },
      measuredAt: localToUtc(c.time, offset),
      utcOffsetSeconds: offset,
      aqi,
      concentrations: conc,
      attribution: OPENMETEO_ATTRIBUTION,
      notes,
    };
  }

  /**
   * Hourly PM2.5/PM10 between two dates (inclusive, `YYYY-MM-DD`, the place's local days), reduced to daily
   * means: Open-Meteo's `start_date`/`end_date` on the air-quality API.
   */
  async history(
    latitude: number,
    longitude: number,
    startDate: string,
    endDate: string,
    placeName?: string,
    signal?: AbortSignal,
  ): Promise<ModelHistory> {
    const d = await this.request(
      { latitude, longitude, hourly: 'pm2_5,pm10', start_date: startDate, end_date: endDate },
      signal,
    );
    const times = d.hourly?.time ?? [];
    const byDate = new Map<string, number[]>();
    times.forEach((t, i) => {
      const date = t.slice(0, 10);
      byDate.set(date, [...(byDate.get(date) ?? []), i]);
    });
    const days: ModelHistory['days'] = [];
    for (const [date, idx] of byDate) {
      const pm25 = stats(idx.map((i) => d.hourly?.pm2_5?.[i]));
      const pm10 = stats(idx.map((i) => d.hourly?.pm10?.[i]));
      const hours = idx.filter((i) => typeof d.hourly?.pm2_5?.[i] === 'number').length;
      days.push({ date, ...(pm25 ? { pm2_5: pm25 } : {}), ...(pm10 ? { pm10 } : {}), hours });
    }
    return {
      source: 'openmeteo',
      sourceName: SOURCE_NAMES.openmeteo,
      dataType: 'model',
      location: {
        name: placeName ?? `${d.latitude.toFixed(2)}, ${d.longitude.toFixed(2)}`,
        latitude: d.latitude,
        longitude: d.longitude,
      },
      startDate,
      endDate,
      timezone: d.timezone ?? 'GMT',
      days,
      who: {
        pm25Guideline: WHO_24H.pm25,
        pm10Guideline: WHO_24H.pm10,
        daysAbovePm25: days.filter((x) => (x.pm2_5?.mean ?? 0) > WHO_24H.pm25).length,
        daysAbovePm10: days.filter((x) => (x.pm10?.mean ?? 0) > WHO_24H.pm10).length,
      },
      attribution: OPENMETEO_ATTRIBUTION,
      notes: [MODEL_NOTE, `Days are local (${d.timezone ?? 'GMT'}); each day's figure is the mean of its model hours.`],
    };
  }

  /** Daily PM statistics from the hourly model forecast; the AQI comes from each day's mean PM2.5 (a 24-h value). */
  async forecast(
    latitude: number,
    longitude: number,
    days: number,
    placeName?: string,
    signal?: AbortSignal,
  ): Promise<AirQualityForecast> {
    const d = await this.request({ latitude, longitude, hourly: 'pm2_5,pm10,us_aqi', forecast_days: days }, signal);
    const times = d.hourly?.time ?? [];
    const byDate = new Map<string, number[]>();
    times.forEach((t, i) => {
      const date = t.slice(0, 10);
      byDate.set(date, [...(byDate.get(date) ?? []), i]);
    });
    const out: DailyForecast[] = [];
    for (const [date, idx] of byDate) {
      const pm25 = stats(idx.map((i) => d.hourly?.pm2_5?.[i]));
      const pm10 = stats(idx.map((i) => d.hourly?.pm10?.[i]));
      const day: DailyForecast = { date, pm2_5: pm25, pm10 };
      if (pm25) {
        const r = computeAqi('pm25', pm25.mean, '24h');
        day.aqi = {
          value: r.aqi,
          category: r.category,
          color: r.color,
          dominantPollutant: 'pm25',
          basis: 'US EPA 2024 AQI of the day’s mean modelled PM2.5.',
        };
      }
      out.push(day);
    }
    return {
      source: 'openmeteo',
      sourceName: SOURCE_NAMES.openmeteo,
      dataType: 'model',
      location: {
        name: placeName ?? `${d.latitude.toFixed(2)}, ${d.longitude.toFixed(2)}`,
        latitude: d.latitude,
        longitude: d.longitude,
      },
      days: out.slice(0, days),
      attribution: OPENMETEO_ATTRIBUTION,
      notes: [MODEL_NOTE, `Times are local (${d.timezone ?? 'UTC'}).`],
    };
  }
}
