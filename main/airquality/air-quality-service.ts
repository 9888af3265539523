import type { Clock } from '../core/clock';
import type { Db } from '../store/database';
import type { ComponentLogger } from '../core/logger';
import { SOURCE_IDS } from '../../preload/contract/airquality';
import { AirQualityCache, type CacheEntry, type CacheKind } from './cache/aq-cache';
import { cachedReadingNote, formatAge } from './cache/cache-age';
import { Gazetteer, haversineKm, normalizePlaceName, type Place } from './gazetteer/gazetteer';
import { AirQoClient, type AirQoForecast } from './sources/airqo-client';
import { CircuitBreaker, type BreakerStatus } from './sources/circuit-breaker';
import { OpenMeteoClient, type ModelHistory } from './sources/openmeteo-client';
import {
  DEFAULT_WEATHER_URL,
  OpenMeteoWeatherClient,
  WEATHER_URL_ENV,
  type CurrentWeather,
  type WeatherForecast,
} from './sources/openmeteo-weather-client';
import { OpenAqClient } from './sources/openaq-client';
import { testConnection, type ConnectionResult } from './sources/connection-test';
import {
  envLockedFields,
  resolveSourcesConfig,
  type SavedSourceSettings,
  type SourcesConfig,
  type ValueOrigin,
} from './sources/source-config';
import { SourceError } from './sources/source-error';
import { SourceHttp } from './sources/source-http';
import {
  SOURCE_NAMES,
  type AirQoHistory,
  type AirQoSite,
  type AirQualityForecast,
  type AirQualityReading,
  type SourceId,
} from './sources/source-types';
import { WaqiClient, type WaqiSearchHit } from './sources/waqi-client';

export interface SourceAttempt {
  source: SourceId;
  sourceName: string;
  outcome: 'ok' | 'no_data' | 'failed' | 'skipped';
  reason?: string;
  durationMs?: number;
}

interface CacheInfo {
  /** True when the answer came from the cache rather than a live call. */
  hit: boolean;
  /** True when it is past its TTL: the live sources failed and this is the newest thing kept. */
  stale: boolean;
  fetchedAt: string;
  ageSeconds: number;
  note: string;
}

export interface Answer<T> {
  ok: boolean;
  data: T | null;
  cache: CacheInfo | null;
  sourcesTried: SourceAttempt[];
  /** One line for the person (and the model): what was found, from where, or what failed. */
  message: string;
}

interface CityAnswer extends Answer<AirQualityReading> {
  query: string;
  place: Place | null;
}

interface ForecastAnswer extends Answer<AirQualityForecast> {
  query: string;
  place: Place | null;
}

export interface SourceStatus {
  id: SourceId;
  name: string;
  configured: boolean;
  baseUrl: string;
  baseUrlFrom: ValueOrigin;
  keyFrom: ValueOrigin;
  breaker: BreakerStatus;
}

interface AirQualityServiceOptions {
  db: Db;
  clock: Clock;
  fetch?: typeof fetch;
  env?: NodeJS.ProcessEnv;
  /** Saved data-source settings (keys decrypted by the shell); read on every call, so edits apply at once. */
  settings?: () => SavedSourceSettings;
  gazetteer?: Gazetteer;
  logger?: ComponentLogger;
  /** Retry tuning (tests make it fast). */
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

type Client = { configured: boolean };

/**
 * The data half of the agent: city → reading through AirQo (African cities first), WAQI and the gazetteer +
 * Open-Meteo, with a SQLite cache, a circuit breaker per source and an honest offline answer.
 */
export class AirQualityService {
  readonly gazetteer: Gazetteer;
  cache: AirQualityCache;
  readonly waqi: WaqiClient;
  readonly airqo: AirQoClient;
  readonly openMeteo: OpenMeteoClient;
  readonly openAq: OpenAqClient;
  /** Open-Meteo's weather API: another host, the same provider (and circuit breaker) as its air-quality API. */
  readonly weather: OpenMeteoWeatherClient;
  private readonly http: Record<SourceId, SourceHttp>;
  private readonly clock: Clock;
  private readonly env: NodeJS.ProcessEnv;
  private readonly settings: () => SavedSourceSettings;
  private readonly fetchFn: typeof fetch;

  /** After a restore swaps the database file, the cache moves to the newly opened connection. */
  rebindDb(db: Db): void {
    this.cache = new AirQualityCache(db, this.clock);
  }

  constructor(opts: AirQualityServiceOptions) {
    this.clock = opts.clock;
    this.env = opts.env ?? process.env;
    this.settings = opts.settings ?? (() => ({}));
    this.fetchFn = opts.fetch ?? fetch;
    this.gazetteer = opts.gazetteer ?? new Gazetteer();
    this.cache = new AirQualityCache(opts.db, opts.clock);
    const timeoutMs = opts.timeoutMs ?? this.config().timeoutMs;
    const make = (source: SourceId) =>
      new SourceHttp({
        source,
        fetch: opts.fetch ?? fetch,
        clock: opts.clock,
        breaker: new CircuitBreaker(opts.clock),
        secrets: () => [this.config().sources[source].key],
        timeoutMs,
        retries: opts.retries,
        backoffMs: opts.backoffMs,
        logger: opts.logger,
      });
    this.http = Object.fromEntries(SOURCE_IDS.map((id) => [id, make(id)])) as Record<SourceId, SourceHttp>;
    this.waqi = new WaqiClient({
      http: this.http.waqi,
      baseUrl: () => this.config().sources.waqi.baseUrl,
      token: () => this.config().sources.waqi.key,
    });
    this.airqo = new AirQoClient({
      http: this.http.airqo,
      baseUrl: () => this.config().sources.airqo.baseUrl,
      token: () => this.config().sources.airqo.key,
    });
    this.openMeteo = new OpenMeteoClient({
      http: this.http.openmeteo,
      baseUrl: () => this.config().sources.openmeteo.baseUrl,
    });
    this.weather = new OpenMeteoWeatherClient({
      http: this.http.openmeteo,
      baseUrl: () => this.env[WEATHER_URL_ENV]?.trim() || DEFAULT_WEATHER_URL,
    });
    this.openAq = new OpenAqClient({
      http: this.http.openaq,
      baseUrl: () => this.config().sources.openaq.baseUrl,
      apiKey: () => this.config().sources.openaq.key,
    });
    try {
      this.cache.prune();
    } catch {
      // pruning is housekeeping; a locked database must not stop the app
    }
  }

  /** The service's clock (tools count "the last N days" from it). */
  now(): number {
    return this.clock.now();
  }

  config(): SourcesConfig {
    return resolveSourcesConfig(this.env, this.settings());
  }

  /** "Test connection": one small request with the URL and key in effect now (its own breaker, no retries). */
  testConnection(id: SourceId): Promise<ConnectionResult> {
    return testConnection(id, this.config(), { fetch: this.fetchFn, clock: this.clock });
  }

  /** The fields of a settings patch the environment overrides (saving them would change nothing). */
  envLockedFields(patch: { [K in keyof SavedSourceSettings]?: string | null }) {
    return envLockedFields(this.env, this.settings(), patch);
  }

  /** For the data-sources settings page: keys never leave, only where they came from. */
  sourceStatus(): SourceStatus[] {
    const cfg = this.config();
    return (
      ['airqo', 'waqi', 'openaq', 'openmeteo', 'defra', 'uba', 'nsw', 'carbonintensity', 'websearch'] as const
    ).map((id) => ({
      id,
      name: SOURCE_NAMES[id],
      configured: cfg.sources[id].configured,
      baseUrl: cfg.sources[id].baseUrl,
      baseUrlFrom: cfg.sources[id].baseUrlFrom,
      keyFrom: cfg.sources[id].keyFrom,
      breaker: this.http[id].breaker.status(),
    }));
  }

  private placeKey(query: string, place: Place | null): string {
    return normalizePlaceName(place ? `${place.name} ${place.country}` : query);
  }

  /** Runs one source call, recording what happened; null when it gave nothing. */
  private async attempt<T>(
    tried: SourceAttempt[],
    source: SourceId,
    client: Client,
    fn: () => Promise<T | null>,
  ): Promise<T | null> {
    const sourceName = SOURCE_NAMES[source];
    if (!client.configured) {
      tried.push({ source, sourceName, outcome: 'skipped', reason: 'no API key configured' });
      return null;
    }
    const t0 = performance.now();
    try {
      const value = await fn();
      const durationMs = Math.round(performance.now() - t0);
      tried.push(
        value === null
          ? { source, sourceName, outcome: 'no_data', reason: 'no data for this place', durationMs }
          : { source, sourceName, outcome: 'ok', durationMs },
      );
      return value;
    } catch (err) {
      const durationMs = Math.round(performance.now() - t0);
      if (!(err instanceof SourceError)) throw err;
      const outcome =
        err.kind === 'not_found'
          ? 'no_data'
          : err.kind === 'circuit_open' || err.kind === 'not_configured'
            ? 'skipped'
            : 'failed';
      tried.push({ source, sourceName, outcome, reason: err.message, durationMs });
      return null;
    }
  }

  private cacheInfo<T>(entry: CacheEntry<T>, observedAtMs: number | null, utcOffsetSeconds?: number): CacheInfo {
    const now = this.clock.now();
    const basis = observedAtMs ?? entry.fetchedAt;
    return {
      hit: true,
      stale: !entry.fresh,
      fetchedAt: new Date(entry.fetchedAt).toISOString(),
      ageSeconds: Math.round((now - basis) / 1000),
      note: entry.fresh
        ? `cached answer fetched ${formatAge(now - entry.fetchedAt)}`
        : entry.kind === 'reading'
          ? cachedReadingNote(basis, now, utcOffsetSeconds)
          : `cached ${entry.kind} from ${formatAge(now - entry.fetchedAt)}`,
    };
  }

  private failureMessage(what: string, tried: SourceAttempt[]): string {
    const list = tried
      .map((t) => `${t.sourceName} (${t.outcome === 'no_data' ? 'no data' : (t.reason ?? t.outcome)})`)
      .join('; ');
    return (
      `No ${what}. Tried: ${list || 'no source could be used'}. ` +
      'Check the internet connection and the data-source keys in Settings, or try a nearby larger city or coordinates.'
    );
  }

  /**
   * What to answer when every live source failed: the newest cached answer, said to be old (`staleWhat` names
   * it), else a failure that lists what was tried (`missingWhat` names what is missing).
   */
  private fallback<T>(key: string, tried: SourceAttempt[], staleWhat: string, missingWhat: string): Answer<T> {
    return (
      this.stale<T>(key, tried, staleWhat) ?? {
        ok: false,
        data: null,
        cache: null,
        sourcesTried: tried,
        message: this.failureMessage(missingWhat, tried),
      }
    );
  }

  private stale<T>(key: string, tried: SourceAttempt[], what: string): Answer<T> | null {
    const entry = this.cache.getAny<T>(key);
    if (!entry) return null;
    const reading = entry.value as unknown as Partial<AirQualityReading>;
    const info = this.cacheInfo(
      entry,
      entry.observedAt,
      typeof reading.utcOffsetSeconds === 'number' ? reading.utcOffsetSeconds : undefined,
    );
    return {
      ok: true,
      data: entry.value,
      cache: info,
      sourcesTried: tried,
      message: `Live sources failed (${tried.map((t) => `${t.sourceName}: ${t.outcome === 'no_data' ? 'no data' : (t.reason ?? t.outcome)}`).join('; ')}); showing the ${info.note} for ${what}.`,
    };
  }

  /** A live reading kept for its TTL, dated by when it was measured (so its age is told from the cache). */
  private keepReading(key: string, reading: AirQualityReading): void {
    this.cache.put(key, 'reading', reading.source, reading, this.config().readingTtlMs, Date.parse(reading.measuredAt));
  }

  private liveMessage(r: AirQualityReading): string {
    const kind = r.dataType === 'model' ? 'model estimate' : 'measurement';
    return `Live ${r.sourceName} ${kind} from ${r.station.name} at ${r.measuredAt}.`;
  }

  /** `get_city_air_quality`: AirQo first for African cities, then WAQI, then gazetteer + Open-Meteo. */
  async cityAirQuality(city: string, signal?: AbortSignal): Promise<CityAnswer> {
    const query = city.trim();
    const place = this.gazetteer.lookup(query);
    const key = `reading:city:${this.placeKey(query, place)}`;
    const fresh = this.cache.getFresh<AirQualityReading>(key);
    if (fresh) {
      return {
        ok: true,
        query,
        place,
        data: fresh.value,
        cache: this.cacheInfo(fresh, fresh.observedAt),
        sourcesTried: [],
        message: `From cache: ${this.liveMessage(fresh.value)}`,
      };
    }
    const tried: SourceAttempt[] = [];
    // The seed's chain; OpenAQ (measurements) joins before the model only when a key is set.
    const measured: SourceId[] = place?.isAfrican ? ['airqo', 'waqi'] : place ? ['waqi'] : ['waqi', 'airqo'];
    const order: SourceId[] = [
      ...measured,
      ...(place && this.openAq.configured ? (['openaq'] as const) : []),
      ...(place ? (['openmeteo'] as const) : []),
    ];
    for (const source of order) {
      let reading: AirQualityReading | null = null;
      if (source === 'airqo')
        reading = await this.attempt(tried, 'airqo', this.airqo, () => this.airQoForCity(query, place, signal));
      else if (source === 'waqi')
        reading = await this.attempt(tried, 'waqi', this.waqi, () => this.waqiForCity(query, place, signal));
      else if (source === 'openaq' && place)
        reading = await this.attempt(tried, 'openaq', this.openAq, () =>
          this.openAq.nearestReading(place.latitude, place.longitude, signal),
        );
      else if (source === 'openmeteo' && place) {
        reading = await this.attempt(tried, 'openmeteo', this.openMeteo, () =>
          this.openMeteo.current(place.latitude, place.longitude, `${place.name}, ${place.countryName}`, signal),
        );
      }
      if (reading) {
        this.keepReading(key, reading);
        return {
          ok: true,
          query,
          place,
          data: reading,
          cache: null,
          sourcesTried: tried,
          message: this.liveMessage(reading),
        };
      }
    }
    if (!place)
      tried.push({
        source: 'openmeteo',
        sourceName: SOURCE_NAMES.openmeteo,
        outcome: 'skipped',
        reason: `"${query}" is not in the offline gazetteer, so it has no coordinates`,
      });
    return { ...this.fallback<AirQualityReading>(key, tried, query, `air-quality data for "${query}"`), query, place };
  }

  private async airQoForCity(
    query: string,
    place: Place | null,
    signal?: AbortSignal,
  ): Promise<AirQualityReading | null> {
    const name = place?.name ?? query.split(',')[0]!.trim();
    const sites = await this.airqo.searchSites(name, 10, signal);
    const norm = normalizePlaceName(name);
    const inCity = sites.filter(
      (s) => normalizePlaceName(s.city ?? '') === norm || normalizePlaceName(s.district ?? '') === norm,
    );
    const candidates = (inCity.length ? inCity : sites)
      .sort((a, b) => Number(b.isOnline ?? false) - Number(a.isOnline ?? false))
      .slice(0, 3);
    for (const site of candidates) {
      const readings = await this.airqo.recentForSite(site.id, signal);
      if (readings[0]) return readings[0];
    }
    return null;
  }

  private async waqiForCity(
    query: string,
    place: Place | null,
    signal?: AbortSignal,
  ): Promise<AirQualityReading | null> {
    let reading: AirQualityReading | null = null;
    try {
      reading = (await this.waqi.cityFeed(place?.name ?? query, signal)).reading;
    } catch (err) {
      if (!(err instanceof SourceError) || err.kind !== 'not_found' || !place) throw err;
      // No station by that name: the nearest station counts only when it is close to the city.
      const near = await this.waqi.geoFeed(place.latitude, place.longitude, signal);
      const { latitude, longitude } = near.station;
      if (
        latitude === undefined ||
        longitude === undefined ||
        haversineKm(latitude, longitude, place.latitude, place.longitude) > 50
      )
        return null;
      reading = near;
    }
    return reading.aqi || Object.keys(reading.subIndices ?? {}).length ? reading : null;
  }

  /** `get_air_quality_forecast`: the CAMS model via Open-Meteo (concentrations), else WAQI's forecast (sub-indices). */
  async forecast(city: string, days: number, signal?: AbortSignal): Promise<ForecastAnswer> {
    const query = city.trim();
    const n = Math.min(7, Math.max(1, Math.round(days)));
    const place = this.gazetteer.lookup(query);
    const key = `forecast:${this.placeKey(query, place)}:${n}`;
    const fresh = this.cache.getFresh<AirQualityForecast>(key);
    if (fresh)
      return {
        ok: true,
        query,
        place,
        data: fresh.value,
        cache: this.cacheInfo(fresh, null),
        sourcesTried: [],
        message: `From cache: ${fresh.value.sourceName} forecast for ${fresh.value.location.name}.`,
      };
    const tried: SourceAttempt[] = [];
    let fc: AirQualityForecast | null = null;
    if (place) {
      fc = await this.attempt(tried, 'openmeteo', this.openMeteo, () =>
        this.openMeteo.forecast(place.latitude, place.longitude, n, `${place.name}, ${place.countryName}`, signal),
      );
    } else {
      tried.push({
        source: 'openmeteo',
        sourceName: SOURCE_NAMES.openmeteo,
        outcome: 'skipped',
        reason: `"${query}" is not in the offline gazetteer`,
      });
    }
    fc ??= await this.attempt(tried, 'waqi', this.waqi, async () => {
      const f = (await this.waqi.cityFeed(place?.name ?? query, signal)).forecast;
      return f && f.days.length ? { ...f, days: f.days.slice(0, n) } : null;
    });
    if (fc) {
      this.cache.put(key, 'forecast', fc.source, fc, this.config().forecastTtlMs);
      return {
        ok: true,
        query,
        place,
        data: fc,
        cache: null,
        sourcesTried: tried,
        message: `${fc.sourceName} forecast for ${fc.location.name}, ${fc.days.length} day(s).`,
      };
    }
    return {
      ...this.fallback<AirQualityForecast>(key, tried, `the ${query} forecast`, `forecast for "${query}"`),
      query,
      place,
    };
  }

  /**
   * `get_air_quality_by_coordinates`: the nearest measuring station first (WAQI's geo feed within 50 km,
   * then OpenAQ when a key is set), else the CAMS model at the point; the gazetteer names the place offline.
   */
  async coordinatesAirQuality(
    latitude: number,
    longitude: number,
    signal?: AbortSignal,
  ): Promise<
    Answer<AirQualityReading> & { nearestPlace: { name: string; country: string; distanceKm: number } | null }
  > {
    const near = this.gazetteer.nearest(latitude, longitude);
    const nearestPlace = near
      ? { name: near.place.name, country: near.place.countryName, distanceKm: Math.round(near.distanceKm * 10) / 10 }
      : null;
    const key = `reading:point:${latitude.toFixed(2)},${longitude.toFixed(2)}`;
    const fresh = this.cache.getFresh<AirQualityReading>(key);
    if (fresh)
      return {
        ok: true,
        data: fresh.value,
        cache: this.cacheInfo(fresh, fresh.observedAt),
        sourcesTried: [],
        message: `From cache: ${this.liveMessage(fresh.value)}`,
        nearestPlace,
      };
    const tried: SourceAttempt[] = [];
    const within50 = (r: AirQualityReading) =>
      r.station.latitude !== undefined &&
      r.station.longitude !== undefined &&
      haversineKm(r.station.latitude, r.station.longitude, latitude, longitude) <= 50;
    let reading = await this.attempt(tried, 'waqi', this.waqi, async () => {
      const r = await this.waqi.geoFeed(latitude, longitude, signal);
      return within50(r) && (r.aqi || Object.keys(r.subIndices ?? {}).length) ? r : null;
    });
    if (!reading && this.openAq.configured)
      reading = await this.attempt(tried, 'openaq', this.openAq, () =>
        this.openAq.nearestReading(latitude, longitude, signal),
      );
    const name = near && near.distanceKm <= 30 ? `${near.place.name}, ${near.place.countryName}` : undefined;
    reading ??= await this.attempt(tried, 'openmeteo', this.openMeteo, () =>
      this.openMeteo.current(latitude, longitude, name, signal),
    );
    if (reading) {
      this.keepReading(key, reading);
      return {
        ok: true,
        data: reading,
        cache: null,
        sourcesTried: tried,
        message: this.liveMessage(reading),
        nearestPlace,
      };
    }
    return {
      ...this.fallback<AirQualityReading>(
        key,
        tried,
        `${latitude}, ${longitude}`,
        `air-quality data for ${latitude}, ${longitude}`,
      ),
      nearestPlace,
    };
  }

  /** `get_openmeteo_current_air_quality`: CAMS model values at a point. */
  async openMeteoCurrent(
    latitude: number,
    longitude: number,
    signal?: AbortSignal,
  ): Promise<Answer<AirQualityReading>> {
    const key = `reading:geo:${latitude.toFixed(2)},${longitude.toFixed(2)}`;
    const fresh = this.cache.getFresh<AirQualityReading>(key);
    if (fresh)
      return {
        ok: true,
        data: fresh.value,
        cache: this.cacheInfo(fresh, fresh.observedAt),
        sourcesTried: [],
        message: `From cache: ${this.liveMessage(fresh.value)}`,
      };
    const near = this.gazetteer.nearest(latitude, longitude);
    const name = near && near.distanceKm <= 30 ? `${near.place.name}, ${near.place.countryName}` : undefined;
    const tried: SourceAttempt[] = [];
    const r = await this.attempt(tried, 'openmeteo', this.openMeteo, () =>
      this.openMeteo.current(latitude, longitude, name, signal),
    );
    if (r) {
      this.keepReading(key, r);
      return { ok: true, data: r, cache: null, sourcesTried: tried, message: this.liveMessage(r) };
    }
    return this.fallback(key, tried, `${latitude}, ${longitude}`, `model data for ${latitude}, ${longitude}`);
  }

  /**
   * `get_openmeteo_historical`: daily modelled PM between two local dates at a place (a city from the
   * gazetteer, or coordinates), with the WHO 24-hour comparison. Cached like forecasts; offline it answers
   * from the cache and says how old.
   */
  async openMeteoHistory(
    where: { city: string } | { latitude: number; longitude: number },
    startDate: string,
    endDate: string,
    signal?: AbortSignal,
  ): Promise<Answer<ModelHistory> & { place: Place | null }> {
    let place: Place | null = null;
    let latitude: number;
    let longitude: number;
    let name: string | undefined;
    if ('city' in where) {
      place = this.gazetteer.lookup(where.city.trim());
      if (!place) {
        return {
          ok: false,
          data: null,
          cache: null,
          place: null,
          sourcesTried: [
            {
              source: 'openmeteo',
              sourceName: SOURCE_NAMES.openmeteo,
              outcome: 'skipped',
              reason: `"${where.city}" is not in the offline gazetteer, so it has no coordinates`,
            },
          ],
          message: `No history for "${where.city}": it is not in the offline gazetteer; give coordinates instead.`,
        };
      }
      ({ latitude, longitude } = place);
      name = `${place.name}, ${place.countryName}`;
    } else {
      ({ latitude, longitude } = where);
      const near = this.gazetteer.nearest(latitude, longitude);
      if (near && near.distanceKm <= 30) name = `${near.place.name}, ${near.place.countryName}`;
    }
    const key = `history:openmeteo:${latitude.toFixed(2)},${longitude.toFixed(2)}:${startDate}:${endDate}`;
    const answer = await this.cachedCall(
      'history',
      key,
      this.config().forecastTtlMs,
      'openmeteo',
      this.openMeteo,
      `Open-Meteo (CAMS model) daily PM from ${startDate} to ${endDate} at ${name ?? `${latitude}, ${longitude}`}`,
      () => this.openMeteo.history(latitude, longitude, startDate, endDate, name, signal),
    );
    return { ...answer, place };
  }

  /** A city's gazetteer place, or the answer that says it has none. */
  private placeFor<T>(city: string): { place: Place } | (Answer<T> & { place: null }) {
    const place = this.gazetteer.lookup(city.trim());
    if (place) return { place };
    return {
      ok: false,
      data: null,
      cache: null,
      place: null,
      sourcesTried: [
        {
          source: 'openmeteo',
          sourceName: SOURCE_NAMES.openmeteo,
          outcome: 'skipped',
          reason: `"${city}" is not in the offline gazetteer, so it has no coordinates`,
        },
      ],
      message: `"${city}" is not in the offline gazetteer; give a larger city nearby.`,
    };
  }

  /** `get_city_weather`: current weather (Open-Meteo models), cached like readings. */
  async cityWeather(city: string, signal?: AbortSignal): Promise<Answer<CurrentWeather> & { place: Place | null }> {
    const found = this.placeFor<CurrentWeather>(city);
    if (!('ok' in found)) {
      const { place } = found;
      const name = `${place.name}, ${place.countryName}`;
      const a = await this.cachedCall(
        'reading',
        `weather:${this.placeKey(city, place)}`,
        this.config().readingTtlMs,
        'openmeteo',
        this.weather,
        `Open-Meteo current weather for ${name}`,
        () => this.weather.current(place.latitude, place.longitude, name, signal),
      );
      return { ...a, place };
    }
    return found;
  }

  /** `get_weather_forecast`: daily weather forecast, 1–16 days, cached like forecasts. */
  async weatherForecast(
    city: string,
    days: number,
    signal?: AbortSignal,
  ): Promise<Answer<WeatherForecast> & { place: Place | null }> {
    const n = Math.min(16, Math.max(1, Math.round(days)));
    const found = this.placeFor<WeatherForecast>(city);
    if (!('ok' in found)) {
      const { place } = found;
      const name = `${place.name}, ${place.countryName}`;
      const a = await this.cachedCall(
        'forecast',
        `weather-forecast:${this.placeKey(city, place)}:${n}`,
        this.config().forecastTtlMs,
        'openmeteo',
        this.weather,
        `Open-Meteo ${n}-day weather forecast for ${name}`,
        () => this.weather.forecast(place.latitude, place.longitude, n, name, signal),
      );
      return { ...a, place };
    }
    return found;
  }

  /**
   * `get_airqo_forecast`: AirQo's forecast for a site, by id or by the best site for a place name (found
   * with the site search). Cached like forecasts.
   */
  async airQoForecast(
    target: { siteId: string } | { location: string },
    frequency: 'daily' | 'hourly',
    signal?: AbortSignal,
  ): Promise<Answer<AirQoForecast & { siteName: string | null }>> {
    const key =
      'siteId' in target
        ? `forecast:airqo:${target.siteId}:${frequency}`
        : `forecast:airqo:place:${normalizePlaceName(target.location)}:${frequency}`;
    const what =
      'siteId' in target
        ? `AirQo ${frequency} forecast for site ${target.siteId}`
        : `AirQo ${frequency} forecast near "${target.location}"`;
    return this.cachedCall('forecast', key, this.config().forecastTtlMs, 'airqo', this.airqo, what, async () => {
      let siteId: string;
      let siteName: string | null = null;
      if ('siteId' in target) siteId = target.siteId;
      else {
        const sites = await this.airqo.searchSites(target.location, 5, signal);
        const site = sites.sort((a, b) => Number(b.isOnline ?? false) - Number(a.isOnline ?? false))[0];
        if (!site) return null;
        siteId = site.id;
        siteName = site.name;
      }
      return { ...(await this.airqo.forecastForSite(siteId, frequency, signal)), siteName };
    });
  }

  /** `search_waqi_stations`: WAQI stations whose name matches, with their latest AQI (cached like readings). */
  async searchWaqiStations(keyword: string, signal?: AbortSignal): Promise<Answer<WaqiSearchHit[]>> {
    return this.cachedCall(
      'sites',
      `waqi-search:${normalizePlaceName(keyword)}`,
      this.config().readingTtlMs,
      'waqi',
      this.waqi,
      `WAQI stations matching "${keyword}"`,
      async () => {
        const hits = await this.waqi.search(keyword, signal);
        return hits.length ? hits : null;
      },
    );
  }

  /** `search_airqo_sites`. Site lists change rarely: cached a day. */
  async searchAirQoSites(location: string, signal?: AbortSignal): Promise<Answer<AirQoSite[]>> {
    return this.cachedCall(
      'sites',
      `sites:${normalizePlaceName(location)}`,
      86_400_000,
      'airqo',
      this.airqo,
      `AirQo sites matching "${location}"`,
      async () => {
        const sites = await this.airqo.searchSites(location, 20, signal);
        return sites.length ? sites : null;
      },
    );
  }

  /** `get_airqo_history`. */
  async airQoHistory(
    siteId: string,
    range: { startTime: string; endTime: string; frequency: 'hourly' | 'daily' | 'raw' },
    signal?: AbortSignal,
  ): Promise<Answer<AirQoHistory>> {
    const key = `history:${siteId}:${range.startTime}:${range.endTime}:${range.frequency}`;
    return this.cachedCall(
      'history',
      key,
      this.config().readingTtlMs,
      'airqo',
      this.airqo,
      `AirQo history for site ${siteId}`,
      () => this.airqo.historyForSite(siteId, range, signal),
    );
  }

  /** One source's HTTP (its breaker and retries), for the clients that live beside this service. */
  httpFor(source: SourceId): SourceHttp {
    return this.http[source];
  }

  /**
   * A cached source call: a fresh cache entry answers; else the live call (kept for `ttlMs`); else the newest
   * cached answer, said to be old; else a failure that lists what was tried.
   */
  async cachedCall<T>(
    kind: CacheKind,
    key: string,
    ttlMs: number,
    source: SourceId,
    client: Client,
    what: string,
    fn: () => Promise<T | null>,
  ): Promise<Answer<T>> {
    const fresh = this.cache.getFresh<T>(key);
    if (fresh)
      return {
        ok: true,
        data: fresh.value,
        cache: this.cacheInfo(fresh, null),
        sourcesTried: [],
        message: `From cache: ${what}.`,
      };
    const tried: SourceAttempt[] = [];
    const value = await this.attempt(tried, source, client, fn);
    if (value !== null) {
      this.cache.put(key, kind, source, value, ttlMs);
      return { ok: true, data: value, cache: null, sourcesTried: tried, message: `Live: ${what}.` };
    }
    return this.fallback(key, tried, what, what);
  }
}
