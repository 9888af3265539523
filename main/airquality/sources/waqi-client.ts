import { categoryForAqi } from '../aqi/categories';
import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';
import {
  SOURCE_NAMES,
  type AirQualityForecast,
  type AirQualityReading,
  type Attribution,
  type DailyForecast,
} from './source-types';

/** WAQI's reply shapes (see the air-quality reference): errors come as HTTP 200 with `data` a string. */
interface WaqiFeedData {
  aqi: number | string;
  idx: number;
  dominentpol?: string;
  city: { name: string; geo?: [number, number]; url?: string };
  attributions?: Array<{ name: string; url?: string }>;
  iaqi?: Record<string, { v: number }>;
  time?: { s?: string; tz?: string; v?: number; iso?: string };
  forecast?: { daily?: Record<string, Array<{ avg: number; day: string; max: number; min: number }>> };
}

export interface WaqiSearchHit {
  uid: number;
  aqi: string;
  time?: { stime?: string; tz?: string; vtime?: number };
  station: { name: string; geo?: [number, number]; url?: string };
}

interface WaqiClientOptions {
  http: SourceHttp;
  baseUrl: () => string;
  token: () => string | null;
}

const WAQI_ATTRIBUTION: Attribution = { name: 'World Air Quality Index Project', url: 'https://waqi.info/' };
/** `iaqi` keys that are weather, in real units, rather than pollutant sub-indices. */
const WEATHER_KEYS = new Set(['t', 'h', 'p', 'w', 'wg', 'dew', 'r']);

function offsetSeconds(tz: string | undefined): number | undefined {
  const m = tz?.match(/^([+-])(\d{2}):?(\d{2})$/);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

export class WaqiClient {
  constructor(private readonly opts: WaqiClientOptions) {}

  get configured(): boolean {
    return Boolean(this.opts.token());
  }

  private url(path: string, query: Record<string, string> = {}): URL {
    const token = this.opts.token();
    if (!token)
      throw new SourceError('waqi', 'not_configured', 'WAQI needs an API token (AERIS_WAQI_TOKEN or Settings)');
    return joinUrl(this.opts.baseUrl(), path, { ...query, token });
  }

  /** Unwraps `{status, data}`; "Unknown station" is a clean not-found, "Invalid key" an auth failure. */
  private interpret<T>(reply: HttpReply): T {
    const body = reply.body as { status?: string; data?: unknown; message?: string } | undefined;
    if (!body || typeof body !== 'object') {
      throw new SourceError('waqi', 'bad_response', `WAQI sent a reply that is not JSON (HTTP ${reply.status})`);
    }
    if (body.status === 'ok') return body.data as T;
    const message = typeof body.data === 'string' ? body.data : (body.message ?? `HTTP ${reply.status}`);
    if (/invalid key/i.test(message))
      throw new SourceError('waqi', 'auth', 'WAQI rejected the API token (Invalid key)');
    if (/unknown station|no station|not found/i.test(message))
      throw new SourceError('waqi', 'not_found', `WAQI: ${message}`);
    if (/quota|limit/i.test(message)) throw new SourceError('waqi', 'rate_limited', `WAQI: ${message}`);
    throw new SourceError(
      'waqi',
      reply.status >= 400 ? 'http' : 'bad_response',
      `WAQI error: ${message}`,
      reply.status,
    );
  }

  private feed(path: string, signal?: AbortSignal): Promise<WaqiFeedData> {
    return this.opts.http.get(this.url(path), (r) => this.interpret<WaqiFeedData>(r), { signal });
  }

  async cityFeed(
    city: string,
    signal?: AbortSignal,
  ): Promise<{ reading: AirQualityReading; forecast: AirQualityForecast | null }> {
    const data = await this.feed(`/feed/${encodeURIComponent(city.trim())}/`, signal);
    return { reading: this.toReading(data), forecast: this.toForecast(data) };
  }

  async geoFeed(latitude: number, longitude: number, signal?: AbortSignal): Promise<AirQualityReading> {
    return this.toReading(await this.feed(`/feed/geo:${latitude};${longitude}/`, signal));
  }

  async stationFeed(idx: number, signal?: AbortSignal): Promise<AirQualityReading> {
    return this.toReading(await this.feed(`/feed/@${idx}/`, signal));
  }

  async search(keyword: string, signal?: AbortSignal): Promise<WaqiSearchHit[]> {
    return this.opts.http.get(this.url('/search/', { keyword }), (r) => this.interpret<WaqiSearchHit[]>(r), { signal });
  }

  toReading(d: WaqiFeedData): AirQualityReading {
    const notes: string[] = ['WAQI sub-indices (iaqi) are US AQI values per pollutant, not concentrations in µg/m³.'];
    const aqiValue = typeof d.aqi === 'number' ? d.aqi : Number.isFinite(Number(d.aqi)) ? Number(d.aqi) : null;
    if (aqiValue === null) notes.push('The station reports no current AQI ("-").');
    const subIndices: Record<string, number> = {};
    const weather: { temperatureC?: number; humidityPct?: number } = {};
    for (const [k, v] of Object.entries(d.iaqi ?? {})) {
      if (typeof v?.v !== 'number') continue;
      if (k === 't') weather.temperatureC = v.v;
      else if (k === 'h') weather.humidityPct = v.v;
      else if (!WEATHER_KEYS.has(k)) subIndices[k] = v.v;
    }
    const cat = aqiValue === null ? null : categoryForAqi(aqiValue);
    const iso = d.time?.iso ?? (d.time?.s && d.time.tz ? `${d.time.s.replace(' ', 'T')}${d.time.tz}` : undefined);
    const measured = iso ? new Date(iso) : null;
    const attribution: Attribution[] = [
      WAQI_ATTRIBUTION,
      ...(d.attributions ?? []).map((a) => ({ name: a.name, url: a.url })),
    ];
    return {
      source: 'waqi',
      sourceName: SOURCE_NAMES.waqi,
      dataType: 'measurement',
      station: {
        id: `@${d.idx}`,
        name: d.city.name,
        latitude: d.city.geo?.[0],
        longitude: d.city.geo?.[1],
      },
      measuredAt: measured && !Number.isNaN(measured.getTime()) ? measured.toISOString() : new Date(0).toISOString(),
      utcOffsetSeconds: offsetSeconds(d.time?.tz),
      aqi:
        aqiValue === null || !cat
          ? null
          : {
              value: aqiValue,
              category: cat.name,
              color: cat.color,
              dominantPollutant: d.dominentpol || undefined,
              basis:
                'Reported by WAQI on the US EPA scale (WAQI publishes no concentrations to recompute it; its PM2.5 index may predate the 2024 breakpoints).',
            },
      concentrations: {},
      subIndices,
      weather: Object.keys(weather).length ? weather : undefined,
      attribution,
      notes,
    };
  }

  toForecast(d: WaqiFeedData): AirQualityForecast | null {
    const daily = d.forecast?.daily;
    if (!daily) return null;
    const byDay = new Map<string, DailyForecast>();
    for (const [pol, rows] of Object.entries(daily)) {
      for (const r of rows ?? []) {
        const day = byDay.get(r.day) ?? { date: r.day, subIndex: {} };
        day.subIndex![pol] = { avg: r.avg, min: r.min, max: r.max };
        byDay.set(r.day, day);
      }
    }
    const days = [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date));
    for (const day of days) {
      const top = Math.max(...Object.values(day.subIndex ?? {}).map((s) => s!.avg));
      if (Number.isFinite(top)) {
        const cat = categoryForAqi(top);
        day.aqi = {
          value: top,
          category: cat.name,
          color: cat.color,
          basis: 'Highest daily-average US AQI sub-index in the WAQI forecast.',
        };
      }
    }
    return {
      source: 'waqi',
      sourceName: SOURCE_NAMES.waqi,
      dataType: 'forecast',
      location: { id: `@${d.idx}`, name: d.city.name, latitude: d.city.geo?.[0], longitude: d.city.geo?.[1] },
      days,
      attribution: [WAQI_ATTRIBUTION, ...(d.attributions ?? []).map((a) => ({ name: a.name, url: a.url }))],
      notes: ['WAQI forecast values are US AQI sub-indices (daily avg/min/max), not concentrations.'],
    };
  }
}
