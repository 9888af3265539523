/** Calls of the air-quality capability: data-source settings and status, AQI arithmetic; chart and tool DTOs. */
import { z } from 'zod';
import { call, EMPTY } from './define';
import { lazy } from '../shared/lazy';

/**
 * A chart the UI draws (chat answers, imported sensor data). Plain data: no code, no markup.
 * `x` is a time (ISO string or epoch ms) or a category label; `y` is null for a gap.
 */
export interface ChartSpecDto {
  type: 'chart';
  version: 1;
  chartType: 'line' | 'bar' | 'area';
  title: string;
  /** Units of y, e.g. µg/m³ or AQI. */
  units: string;
  xLabel?: string;
  yLabel?: string;
  series: Array<{ name: string; points: Array<{ x: string | number; y: number | null }> }>;
  /** Horizontal lines such as a WHO guideline. */
  referenceLines: Array<{ label: string; value: number; color: string }>;
  /** Background bands, e.g. the AQI categories. */
  bands: Array<{ from: number; to: number; label: string; color: string }>;
  /** Where the plotted data came from (the reply's last data tool); absent on charts saved before it existed. */
  provenance?: ChartProvenanceDto;
}

/** What a chart's caption says about its data: source, station or site, time, and live, cached or imported. */
export interface ChartProvenanceDto {
  /** The source's name, or null when no tool supplied the data (the model wrote the values itself). */
  source: string | null;
  place: string | null;
  /** The newest time the data speaks of (ISO), or the period of a history ("2026-10-31 to 2026-11-29"). */
  time: string | null;
  status: 'live' | 'cached' | 'imported' | 'unsourced';
  /** For cached data: "cached reading from 14:20, 3 hours ago" and the like. */
  cacheNote: string | null;
}

/** An AQI with its US EPA category and colour, for a badge. */
export interface AqiBadgeDto {
  value: number;
  category: string;
  color: string;
  pollutant: string | null;
  place: string | null;
  /** When the reading was measured (ISO 8601); absent for computed AQIs and replies saved before it was kept. */
  measuredAt?: string | null;
}

/** One tool call of an assistant reply: what the chat shows as a chip (and keeps with the message). */
export interface ToolActivityDto {
  seq: number;
  name: string;
  status: 'running' | 'done' | 'error';
  durationMs: number | null;
  label: string | null;
  sources: string[];
  cached: boolean;
  stale: boolean;
  summary: string | null;
  aqi: AqiBadgeDto | null;
  chart: ChartSpecDto | null;
}

type ValueOriginDto = 'env' | 'settings' | 'default' | 'none';

/** A data source as the settings page sees it: never the key itself, only whether one is set and from where. */
export interface SourceStatusDto {
  id: 'airqo' | 'waqi' | 'openmeteo' | 'openaq' | 'defra' | 'uba' | 'nsw' | 'carbonintensity' | 'websearch';
  name: string;
  /** It can be called (it has a key where one is needed). */
  configured: boolean;
  needsKey: boolean;
  keyConfigured: boolean;
  keyFrom: ValueOriginDto;
  baseUrl: string;
  baseUrlFrom: ValueOriginDto;
  /** The environment variables that would set the URL and the key (null: the source takes no key). */
  baseUrlEnv: string;
  keyEnv: string | null;
  breaker: {
    state: 'closed' | 'open' | 'half_open';
    consecutiveFailures: number;
    retryAt: number | null;
    lastSuccessAt: number | null;
    lastFailureAt: number | null;
    lastError: string | null;
  };
}

export interface SourcesStatusDto {
  sources: SourceStatusDto[];
  /** How saved keys are protected: an OS-encrypted store (Electron) or a 0600 file (serve mode). */
  keyStorage: 'safeStorage' | 'file';
  /** Whether the assistant may search the web and read pages (`search_web`, `scrape_website`); off by default. */
  webTools: boolean;
}

/** "Test connection": one small real request; a failure says why in a word the UI puts into sentences. */
export type SourceTestDto =
  | { ok: true; ms: number }
  | { ok: false; reason: 'no_key' | 'key_refused' | 'unreachable' | 'unexpected'; detail: string };

/** Every air-quality data source; the engine's source types derive from this one list. */
export const SOURCE_IDS = [
  'airqo',
  'waqi',
  'openmeteo',
  'openaq',
  'defra',
  'uba',
  'nsw',
  'carbonintensity',
  'websearch',
] as const;

const SOURCE_ID = lazy(() => z.enum(SOURCE_IDS));

interface AqiResultDto {
  pollutant: string;
  averaging: string;
  concentration: number;
  truncated: number;
  unit: string;
  aqi: number;
  category: string;
  color: string;
  beyondIndex: boolean;
  notes: string[];
}

/** A chosen location, resolved offline: the gazetteer's place and the nearest stations this app knows. */
export interface LocationDto {
  latitude: number;
  longitude: number;
  label: string;
  place: { name: string; country: string; distanceKm: number } | null;
  stations: Array<{ network: string; name: string; latitude: number; longitude: number; distanceKm: number }>;
  stationsNote: string;
}

const URL_VALUE = lazy(() => z.string().trim().max(500).nullable().optional());
const KEY_VALUE = lazy(() => z.string().trim().max(500).nullable().optional());

export const AIRQUALITY_CALLS = {
  'sources.status': call<SourcesStatusDto>()(() => EMPTY()),
  /** Sets URLs and keys; a value of null or "" clears it (back to the default or env). Keys are write-only. */
  'sources.update': call<SourcesStatusDto>()(() =>
    z
      .object({
        waqiUrl: URL_VALUE(),
        waqiToken: KEY_VALUE(),
        airqoUrl: URL_VALUE(),
        airqoToken: KEY_VALUE(),
        openMeteoUrl: URL_VALUE(),
        openAqUrl: URL_VALUE(),
        openAqKey: KEY_VALUE(),
        defraUrl: URL_VALUE(),
        ubaUrl: URL_VALUE(),
        nswUrl: URL_VALUE(),
        carbonIntensityUrl: URL_VALUE(),
        searchUrl: URL_VALUE(),
        /** 'on' enables the web tools; null turns them off. */
        webTools: z.enum(['on']).nullable().optional(),
      })
      .strict(),
  ),
  /** One small request to a source with the URL and key in effect now (5 s at most). */
  'sources.test': call<SourceTestDto>()(() => z.object({ id: SOURCE_ID() }).strict()),
  /** "My location": a typed place or coordinates (or the OS position) → coordinates, place name, nearest stations; offline. */
  'location.resolve': call<LocationDto>()(() =>
    z.union([
      z.object({ query: z.string().trim().min(1).max(120) }).strict(),
      z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).strict(),
    ]),
  ),
  'aqi.compute': call<AqiResultDto>()(() =>
    z
      .object({
        pollutant: z.string().min(1).max(30),
        value: z.number().min(0).max(100_000),
        averaging: z.enum(['1h', '8h', '24h']).optional(),
      })
      .strict(),
  ),
} as const;
