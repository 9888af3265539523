import type { SourceId } from './source-types';

export const DEFAULT_BASE_URLS: Record<SourceId, string> = {
  waqi: 'https://api.waqi.info',
  airqo: 'https://api.airqo.net/api/v2',
  openmeteo: 'https://air-quality-api.open-meteo.com',
  openaq: 'https://api.openaq.org/v3',
  defra: 'https://uk-air.defra.gov.uk/sos-ukair/api/v1',
  uba: 'https://www.umweltbundesamt.de/api/air_data/v3',
  nsw: 'https://data.airquality.nsw.gov.au',
  carbonintensity: 'https://api.carbonintensity.org.uk',
  websearch: 'https://api.duckduckgo.com',
};

/** What Settings keeps for the data sources (keys come decrypted from the app's safeStorage). */
export interface SavedSourceSettings {
  waqiUrl?: string | null;
  waqiToken?: string | null;
  airqoUrl?: string | null;
  airqoToken?: string | null;
  openMeteoUrl?: string | null;
  openAqUrl?: string | null;
  openAqKey?: string | null;
  /** The official networks need no key; only their URLs can be changed. */
  defraUrl?: string | null;
  ubaUrl?: string | null;
  nswUrl?: string | null;
  carbonIntensityUrl?: string | null;
  /** `search_web`'s endpoint (DuckDuckGo's keyless Instant Answer API by default). */
  searchUrl?: string | null;
  /** 'on' lets the assistant search the web and read pages (`search_web`, `scrape_website`); off when absent. */
  webTools?: string | null;
  /** Model providers (main/providers): each key goes only to the URL saved with it. */
  openaiBaseUrl?: string | null;
  openaiApiKey?: string | null;
  geminiUrl?: string | null;
  geminiApiKey?: string | null;
}

export type ValueOrigin = 'env' | 'settings' | 'default' | 'none';

interface ResolvedSource {
  baseUrl: string;
  baseUrlFrom: ValueOrigin;
  /** null when the source needs no key or none is set. */
  key: string | null;
  keyFrom: ValueOrigin;
  needsKey: boolean;
  /** Whether the source can be called at all (a key is present where one is needed). */
  configured: boolean;
}

export interface SourcesConfig {
  sources: Record<SourceId, ResolvedSource>;
  /** Live readings (`AERIS_CACHE_TTL_SECONDS`, default 300 s). */
  readingTtlMs: number;
  /** Forecasts (`AERIS_FORECAST_TTL_SECONDS`, default 3 h). */
  forecastTtlMs: number;
  timeoutMs: number;
}

/** The environment variables that set each source's URL and key (they beat what is saved). */
export const SOURCE_ENV: Record<SourceId, { url: string; key?: string }> = {
  waqi: { url: 'AERIS_WAQI_URL', key: 'AERIS_WAQI_TOKEN' },
  airqo: { url: 'AERIS_AIRQO_URL', key: 'AERIS_AIRQO_TOKEN' },
  openmeteo: { url: 'AERIS_OPENMETEO_URL' },
  openaq: { url: 'AERIS_OPENAQ_URL', key: 'AERIS_OPENAQ_KEY' },
  defra: { url: 'AERIS_DEFRA_URL' },
  uba: { url: 'AERIS_UBA_URL' },
  nsw: { url: 'AERIS_NSW_URL' },
  carbonintensity: { url: 'AERIS_CARBON_INTENSITY_URL' },
  websearch: { url: 'AERIS_SEARCH_URL' },
};

const SAVED: Record<SourceId, { url: keyof SavedSourceSettings; key?: keyof SavedSourceSettings }> = {
  waqi: { url: 'waqiUrl', key: 'waqiToken' },
  airqo: { url: 'airqoUrl', key: 'airqoToken' },
  openmeteo: { url: 'openMeteoUrl' },
  openaq: { url: 'openAqUrl', key: 'openAqKey' },
  defra: { url: 'defraUrl' },
  uba: { url: 'ubaUrl' },
  nsw: { url: 'nswUrl' },
  carbonintensity: { url: 'carbonIntensityUrl' },
  websearch: { url: 'searchUrl' },
};

function pick(
  envValue: string | undefined,
  saved: string | null | undefined,
  fallback: string | null,
): [string | null, ValueOrigin] {
  if (envValue && envValue.trim()) return [envValue.trim(), 'env'];
  if (saved && saved.trim()) return [saved.trim(), 'settings'];
  return fallback ? [fallback, 'default'] : [null, 'none'];
}

function seconds(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isFinite(n) && n >= 0 ? n * 1000 : fallback * 1000;
}

const trimUrl = (u: string | null | undefined): string | null => (u && u.trim() ? u.trim().replace(/\/+$/, '') : null);

/**
 * Env beats saved settings beats the public default, per value (ops and tests point sources at loopback).
 * A key goes only where its owner sent it: a key from the environment only to the URL set beside it in the
 * environment (or the provider's public URL when none is), so a URL changed in the UI never receives it.
 * A saved key is dropped whenever its source's saved URL changes (SourceSettingsService), so it only ever
 * pairs with the URL it was saved beside, or one the environment (the operator) sets.
 */
export function resolveSourcesConfig(env: NodeJS.ProcessEnv, saved: SavedSourceSettings = {}): SourcesConfig {
  const sources = {} as Record<SourceId, ResolvedSource>;
  for (const id of Object.keys(SOURCE_ENV) as SourceId[]) {
    const [baseUrl, baseUrlFrom] = pick(env[SOURCE_ENV[id].url], saved[SAVED[id].url], DEFAULT_BASE_URLS[id]);
    const needsKey = SOURCE_ENV[id].key !== undefined;
    const target = trimUrl(baseUrl);
    const envKeyFits = (trimUrl(env[SOURCE_ENV[id].url]) ?? DEFAULT_BASE_URLS[id]) === target;
    const [key, keyFrom] = needsKey
      ? pick(envKeyFits ? env[SOURCE_ENV[id].key!] : undefined, saved[SAVED[id].key!], null)
      : [null, 'none' as const];
    sources[id] = { baseUrl: baseUrl!, baseUrlFrom, key, keyFrom, needsKey, configured: !needsKey || key !== null };
  }
  return {
    sources,
    readingTtlMs: seconds(env.AERIS_CACHE_TTL_SECONDS, 300),
    forecastTtlMs: seconds(env.AERIS_FORECAST_TTL_SECONDS, 3 * 3600),
    timeoutMs: seconds(env.AERIS_SOURCE_TIMEOUT_SECONDS, 10),
  };
}

/**
 * The fields of a settings patch that the environment would override: saving them would store a value that is
 * never used. Judged on the settings as they would be after the patch (a new URL beside an env key un-pairs it).
 * Clearing a field (null or "") is never refused.
 */
export function envLockedFields(
  env: NodeJS.ProcessEnv,
  saved: SavedSourceSettings,
  patch: { [K in keyof SavedSourceSettings]?: string | null },
): Array<{ field: keyof SavedSourceSettings; variable: string }> {
  const next: SavedSourceSettings = { ...saved };
  for (const [k, v] of Object.entries(patch) as Array<[keyof SavedSourceSettings, string | null | undefined]>)
    if (v !== undefined) next[k] = v;
  const cfg = resolveSourcesConfig(env, next).sources;
  const sets = (k: keyof SavedSourceSettings) => typeof patch[k] === 'string' && patch[k].trim() !== '';
  const out: Array<{ field: keyof SavedSourceSettings; variable: string }> = [];
  for (const id of Object.keys(SOURCE_ENV) as SourceId[]) {
    const { url, key } = SAVED[id];
    if (sets(url) && cfg[id].baseUrlFrom === 'env') out.push({ field: url, variable: SOURCE_ENV[id].url });
    if (key && sets(key) && cfg[id].keyFrom === 'env') out.push({ field: key, variable: SOURCE_ENV[id].key! });
  }
  return out;
}
