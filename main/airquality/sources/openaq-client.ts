import { computeAqi } from '../aqi/epa-aqi';
import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';
import { SOURCE_NAMES, type AirQualityReading, type Concentration, type ConcentrationKey } from './source-types';

/** OpenAQ v3 shapes: `{meta, results:[...]}`, key in the X-API-Key header. */
interface OpenAqLocation {
  id: number;
  name: string | null;
  locality?: string | null;
  timezone?: string;
  country?: { code?: string; name?: string };
  provider?: { name?: string };
  sensors?: Array<{ id: number; name?: string; parameter: { name: string; units: string; displayName?: string } }>;
  coordinates?: { latitude: number; longitude: number };
  distance?: number;
  licenses?: Array<{ name?: string; attribution?: { name?: string; url?: string | null } }>;
}

interface OpenAqLatest {
  datetime: { utc: string; local?: string };
  value: number;
  sensorsId: number;
  locationsId: number;
}

interface OpenAqClientOptions {
  http: SourceHttp;
  baseUrl: () => string;
  apiKey: () => string | null;
}

const PARAMS: Record<string, ConcentrationKey> = {
  pm25: 'pm2_5',
  pm10: 'pm10',
  no2: 'no2',
  o3: 'o3',
  so2: 'so2',
  co: 'co',
};
const UNITS: Record<string, Concentration['unit']> = { 'µg/m³': 'µg/m³', 'μg/m³': 'µg/m³', ppm: 'ppm', ppb: 'ppb' };

function offsetOf(local: string | undefined): number | undefined {
  const m = local?.match(/([+-])(\d{2}):(\d{2})$/);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : undefined;
}

export class OpenAqClient {
  constructor(private readonly opts: OpenAqClientOptions) {}

  get configured(): boolean {
    return Boolean(this.opts.apiKey());
  }

  private headers(): Record<string, string> {
    const key = this.opts.apiKey();
    if (!key)
      throw new SourceError('openaq', 'not_configured', 'OpenAQ needs an API key (AERIS_OPENAQ_KEY or Settings)');
    return { 'X-API-Key': key };
  }

  private interpret<T>(reply: HttpReply): T {
    const body = reply.body as { results?: unknown; detail?: unknown; message?: string } | undefined;
    const detail = typeof body?.detail === 'string' ? body.detail : (body?.message ?? `HTTP ${reply.status}`);
    if (reply.status === 401 || reply.status === 403)
      throw new SourceError('openaq', 'auth', `OpenAQ rejected the API key (HTTP ${reply.status})`, reply.status);
    if (reply.status === 404) throw new SourceError('openaq', 'not_found', `OpenAQ: ${detail}`, 404);
    if (reply.status === 422 || reply.status === 400)
      throw new SourceError('openaq', 'bad_request', `OpenAQ: invalid request (HTTP ${reply.status})`, reply.status);
    if (reply.status >= 400 || !body || !Array.isArray(body.results)) {
      throw new SourceError(
        'openaq',
        'bad_response',
        `OpenAQ sent an unexpected reply (HTTP ${reply.status})`,
        reply.status,
      );
    }
    return body as T;
  }

  async locationsNear(
    latitude: number,
    longitude: number,
    radiusM = 25_000,
    signal?: AbortSignal,
  ): Promise<OpenAqLocation[]> {
    const url = joinUrl(this.opts.baseUrl(), '/locations', {
      coordinates: `${latitude},${longitude}`,
      radius: Math.min(radiusM, 25_000),
      limit: 10,
    });
    const body = await this.opts.http.get(url, (r) => this.interpret<{ results: OpenAqLocation[] }>(r), {
      headers: this.headers(),
      signal,
    });
    return body.results;
  }

  async latest(location: OpenAqLocation, signal?: AbortSignal): Promise<AirQualityReading | null> {
    const url = joinUrl(this.opts.baseUrl(), `/locations/${location.id}/latest`);
    const body = await this.opts.http.get(url, (r) => this.interpret<{ results: OpenAqLatest[] }>(r), {
      headers: this.headers(),
      signal,
    });
    const sensors = new Map((location.sensors ?? []).map((s) => [s.id, s.parameter]));
    const conc: AirQualityReading['concentrations'] = {};
    let newest: OpenAqLatest | null = null;
    for (const r of body.results) {
      const p = sensors.get(r.sensorsId);
      const key = p ? PARAMS[p.name] : undefined;
      const unit = p ? UNITS[p.units] : undefined;
      if (!key || !unit || typeof r.value !== 'number' || r.value < 0) continue;
      conc[key] = { value: r.value, unit };
      if (!newest || r.datetime.utc > newest.datetime.utc) newest = r;
    }
    if (!newest) return null;
    const pm25 = conc.pm2_5;
    const aqi = pm25 ? computeAqi('pm25', pm25.value, '24h') : null;
    const licence = location.licenses?.[0]?.attribution;
    return {
      source: 'openaq',
      sourceName: SOURCE_NAMES.openaq,
      dataType: 'measurement',
      station: {
        id: String(location.id),
        name: location.name ?? `OpenAQ location ${location.id}`,
        city: location.locality ?? undefined,
        country: location.country?.name,
        latitude: location.coordinates?.latitude,
        longitude: location.coordinates?.longitude,
      },
      measuredAt: new Date(newest.datetime.utc).toISOString(),
      utcOffsetSeconds: offsetOf(newest.datetime.local),
      aqi: aqi
        ? {
            value: aqi.aqi,
            category: aqi.category,
            color: aqi.color,
            dominantPollutant: 'pm25',
            basis: 'US EPA 2024 breakpoints applied here to the latest PM2.5 value (indicative).',
          }
        : null,
      concentrations: conc,
      attribution: [
        { name: 'OpenAQ', url: 'https://openaq.org/' },
        ...(licence?.name
          ? [{ name: licence.name, url: licence.url ?? undefined }]
          : location.provider?.name
            ? [{ name: location.provider.name }]
            : []),
      ],
      notes: [],
    };
  }

  /** The latest measurements at the nearest location that has any. */
  async nearestReading(latitude: number, longitude: number, signal?: AbortSignal): Promise<AirQualityReading | null> {
    const locations = (await this.locationsNear(latitude, longitude, 25_000, signal)).sort(
      (a, b) => (a.distance ?? 0) - (b.distance ?? 0),
    );
    for (const loc of locations.slice(0, 3)) {
      const r = await this.latest(loc, signal);
      if (r) return r;
    }
    return null;
  }
}
