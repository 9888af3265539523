import { computeAqi } from '../aqi/epa-aqi';
import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';
import {
  SOURCE_NAMES,
  type AirQoHistory,
  type AirQoSite,
  type AirQualityReading,
  type Attribution,
  type HistoryPoint,
} from './source-types';

/** AirQo v2 reply shapes (µg/m³). */
interface AirQoSiteDetails {
  _id: string;
  name?: string;
  formatted_name?: string;
  search_name?: string;
  location_name?: string;
  city?: string;
  district?: string;
  country?: string;
  approximate_latitude?: number;
  approximate_longitude?: number;
  isOnline?: boolean;
}

interface AirQoMeasurement {
  device?: string;
  device_id?: string;
  site_id?: string;
  time: string;
  frequency?: string;
  pm2_5?: { value: number | null; calibratedValue?: number | null };
  pm10?: { value: number | null; calibratedValue?: number | null };
  no2?: { value: number | null };
  aqi_category?: string;
  aqi_color?: string;
  health_tips?: Array<{ title?: string; description?: string } | string>;
  siteDetails?: AirQoSiteDetails;
}

interface AirQoClientOptions {
  http: SourceHttp;
  baseUrl: () => string;
  token: () => string | null;
}

const AIRQO_ATTRIBUTION: Attribution = { name: 'AirQo, Makerere University', url: 'https://airqo.net/' };

const num = (v: number | null | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

function toAirQoSite(s: AirQoSiteDetails): AirQoSite {
  return {
    id: s._id,
    name: s.name ?? s.search_name ?? s.formatted_name ?? s._id,
    formattedName: s.formatted_name ?? s.location_name,
    city: s.city,
    district: s.district,
    country: s.country,
    latitude: num(s.approximate_latitude),
    longitude: num(s.approximate_longitude),
    isOnline: s.isOnline,
  };
}

export interface AirQoForecast {
  source: 'airqo';
  sourceName: string;
  dataType: 'forecast';
  siteId: string;
  frequency: 'daily' | 'hourly';
  unit: 'µg/m³';
  points: Array<{ time: string; pm2_5: number }>;
  attribution: Array<{ name: string; url?: string }>;
  notes: string[];
}

export class AirQoClient {
  constructor(private readonly opts: AirQoClientOptions) {}

  get configured(): boolean {
    return Boolean(this.opts.token());
  }

  private url(path: string, query: Record<string, string | number | undefined> = {}): URL {
    const token = this.opts.token();
    if (!token)
      throw new SourceError('airqo', 'not_configured', 'AirQo needs an API token (AERIS_AIRQO_TOKEN or Settings)');
    return joinUrl(this.opts.baseUrl(), path, { ...query, token });
  }

  /** `{success:false, message}` or a 401 for a bad token; anything without `success:true` is an error. */
  private interpret<T>(reply: HttpReply): T {
    const body = reply.body as { success?: boolean; message?: string } | undefined;
    if (reply.status === 401 || reply.status === 403) {
      throw new SourceError(
        'airqo',
        'auth',
        `AirQo rejected the API token (HTTP ${reply.status}${body?.message ? `: ${body.message}` : ''})`,
        reply.status,
      );
    }
    if (!body || typeof body !== 'object') {
      throw new SourceError(
        'airqo',
        'bad_response',
        `AirQo sent a reply that is not JSON (HTTP ${reply.status})`,
        reply.status,
      );
    }
    if (body.success === true && reply.status < 400) return body as T;
    const message = body.message ?? `HTTP ${reply.status}`;
    if (reply.status === 404) throw new SourceError('airqo', 'not_found', `AirQo: ${message}`, 404);
    if (reply.status === 400) throw new SourceError('airqo', 'bad_request', `AirQo: ${message}`, 400);
    throw new SourceError('airqo', 'bad_response', `AirQo error: ${message}`, reply.status);
  }

  /**
   * `/devices/metadata/{grids|cohorts|devices|sites}`: `{success, message, <entity>: [...]}`, the records as
   * AirQo keeps them. Only the fields a person reads are kept (ids, names, places, whether it reports).
   */
  async metadata(
    entity: 'grids' | 'cohorts' | 'devices' | 'sites',
    signal?: AbortSignal,
  ): Promise<Array<Record<string, string | number | boolean>>> {
    const body = await this.opts.http.get(
      this.url(`/devices/metadata/${entity}`),
      (r) => this.interpret<Record<string, unknown>>(r),
      { signal },
    );
    const rows = body[entity];
    if (!Array.isArray(rows))
      throw new SourceError('airqo', 'bad_response', `AirQo's ${entity} metadata has no "${entity}" list`);
    const KEEP = [
      '_id',
      'name',
      'long_name',
      'formatted_name',
      'search_name',
      'city',
      'district',
      'region',
      'country',
      'latitude',
      'longitude',
      'approximate_latitude',
      'approximate_longitude',
      'isOnline',
      'status',
      'network',
      'admin_level',
      'numberOfSites',
      'numberOfDevices',
      'category',
      'deployment_date',
    ];
    return rows.map((r: Record<string, unknown>) => {
      const out: Record<string, string | number | boolean> = {};
      for (const k of KEEP) {
        const v = r[k];
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k === '_id' ? 'id' : k] = v;
      }
      return out;
    });
  }

  async searchSites(search: string, limit = 10, signal?: AbortSignal): Promise<AirQoSite[]> {
    const body = await this.opts.http.get(
      this.url('/devices/sites/summary', { search: search.trim(), limit }),
      (r) => this.interpret<{ sites?: AirQoSiteDetails[] }>(r),
      { signal },
    );
    return (body.sites ?? []).map(toAirQoSite);
  }

  /**
   * AirQo's own forecast for a site: `/predict/daily-forecast` (7 days) or `/predict/hourly-forecast`
   * (24 hours), which answer `{forecasts: [{pm2_5, time, health_tips}]}` (PM2.5 in µg/m³, UTC times).
   */
  async forecastForSite(siteId: string, frequency: 'daily' | 'hourly', signal?: AbortSignal): Promise<AirQoForecast> {
    const body = await this.opts.http.get(
      this.url(`/predict/${frequency}-forecast`, { site_id: siteId }),
      (r) => {
        const b = r.body as { forecasts?: unknown; message?: string } | undefined;
        if (r.status === 401 || r.status === 403)
          throw new SourceError('airqo', 'auth', `AirQo rejected the API token (HTTP ${r.status})`, r.status);
        if (r.status === 404) throw new SourceError('airqo', 'not_found', `AirQo: ${b?.message ?? 'no forecast'}`, 404);
        if (!b || typeof b !== 'object' || !Array.isArray(b.forecasts) || r.status >= 400)
          throw new SourceError(
            'airqo',
            'bad_response',
            `AirQo forecast reply not understood (HTTP ${r.status})`,
            r.status,
          );
        return b as { forecasts: Array<{ pm2_5?: unknown; time?: unknown; health_tips?: unknown }> };
      },
      { signal },
    );
    const points = body.forecasts
      .map((f) => ({
        time: typeof f.time === 'string' ? f.time : '',
        pm2_5: typeof f.pm2_5 === 'number' ? num(f.pm2_5) : undefined,
      }))
      .filter((f): f is { time: string; pm2_5: number } => f.time !== '' && f.pm2_5 !== undefined)
      .map((f) => ({ time: new Date(f.time).toISOString(), pm2_5: Math.round(f.pm2_5 * 10) / 10 }));
    if (points.length === 0)
      throw new SourceError('airqo', 'not_found', `AirQo has no forecast for site ${siteId}`, 404);
    return {
      source: 'airqo',
      sourceName: 'AirQo',
      dataType: 'forecast',
      siteId,
      frequency,
      unit: 'µg/m³',
      points,
      attribution: [{ name: 'AirQo, Makerere University', url: 'https://airqo.net/' }],
      notes: ["AirQo's machine-learning forecast of PM2.5 at the site (calibrated low-cost sensor network)."],
    };
  }

  /** The most recent measurements at a site (one per device), newest first. */
  async recentForSite(siteId: string, signal?: AbortSignal): Promise<AirQualityReading[]> {
    const body = await this.opts.http.get(
      this.url(`/devices/measurements/sites/${encodeURIComponent(siteId)}/recent`),
      (r) => this.interpret<{ measurements?: AirQoMeasurement[] }>(r),
      { signal },
    );
    return (body.measurements ?? [])
      .filter((m) => num(m.pm2_5?.value) !== undefined || num(m.pm10?.value) !== undefined)
      .map((m) => this.toReading(m))
      .sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  }

  async historyForSite(
    siteId: string,
    range: { startTime: string; endTime: string; frequency: 'hourly' | 'daily' | 'raw' },
    signal?: AbortSignal,
  ): Promise<AirQoHistory> {
    const body = await this.opts.http.get(
      this.url(`/devices/measurements/sites/${encodeURIComponent(siteId)}/historical`, {
        startTime: range.startTime,
        endTime: range.endTime,
        frequency: range.frequency,
      }),
      (r) => this.interpret<{ measurements?: AirQoMeasurement[] }>(r),
      { signal },
    );
    const ms = body.measurements ?? [];
    const points: HistoryPoint[] = ms
      .map((m) => ({
        time: new Date(m.time).toISOString(),
        pm2_5: num(m.pm2_5?.value),
        pm10: num(m.pm10?.value),
        no2: num(m.no2?.value),
      }))
      .sort((a, b) => a.time.localeCompare(b.time));
    const site = ms[0]?.siteDetails ? toAirQoSite(ms[0].siteDetails) : undefined;
    return {
      source: 'airqo',
      sourceName: SOURCE_NAMES.airqo,
      dataType: 'measurement',
      station: site
        ? {
            id: site.id,
            name: site.formattedName ?? site.name,
            city: site.city,
            country: site.country,
            latitude: site.latitude,
            longitude: site.longitude,
          }
        : { id: siteId, name: siteId },
      frequency: range.frequency,
      unit: 'µg/m³',
      points,
      attribution: [AIRQO_ATTRIBUTION],
      notes: points.length
        ? []
        : ['AirQo returned no measurements for this period (the free tier covers the last 24 hours only).'],
    };
  }

  toReading(m: AirQoMeasurement): AirQualityReading {
    const pm25 = num(m.pm2_5?.value);
    const pm10 = num(m.pm10?.value);
    const no2 = num(m.no2?.value);
    const notes: string[] = [];
    let aqi: AirQualityReading['aqi'] = null;
    if (pm25 !== undefined) {
      const r = computeAqi('pm25', pm25, '24h');
      aqi = {
        value: r.aqi,
        category: r.category,
        color: r.color,
        dominantPollutant: 'pm25',
        basis: `US EPA 2024 breakpoints applied here to the latest ${m.frequency ?? 'hourly'} PM2.5 value (the AQI is defined on 24-hour means: indicative).`,
      };
      if (m.aqi_category && m.aqi_category.toLowerCase() !== r.category.toLowerCase()) {
        notes.push(
          `AirQo's own category is "${m.aqi_category}" (it may use pre-2024 breakpoints); the index here is recomputed from the concentration.`,
        );
      }
    }
    const site = m.siteDetails ? toAirQoSite(m.siteDetails) : undefined;
    const tips = (m.health_tips ?? [])
      .map((t) => (typeof t === 'string' ? t : [t.title, t.description].filter(Boolean).join(': ')))
      .filter((t) => t.length > 0);
    return {
      source: 'airqo',
      sourceName: SOURCE_NAMES.airqo,
      dataType: 'measurement',
      station: {
        id: site?.id ?? m.site_id,
        name: site?.formattedName ?? site?.name ?? m.device ?? m.site_id ?? 'AirQo site',
        city: site?.city,
        country: site?.country,
        latitude: site?.latitude,
        longitude: site?.longitude,
      },
      measuredAt: new Date(m.time).toISOString(),
      aqi,
      concentrations: {
        ...(pm25 !== undefined ? { pm2_5: { value: pm25, unit: 'µg/m³' as const } } : {}),
        ...(pm10 !== undefined ? { pm10: { value: pm10, unit: 'µg/m³' as const } } : {}),
        ...(no2 !== undefined ? { no2: { value: no2, unit: 'µg/m³' as const } } : {}),
      },
      healthTips: tips.length ? tips : undefined,
      attribution: [AIRQO_ATTRIBUTION],
      notes,
    };
  }
}
