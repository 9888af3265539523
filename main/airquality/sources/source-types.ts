import type { SOURCE_IDS } from '../../../preload/contract/airquality';

/** The shapes every data source is normalised into, so tools and the chat never see raw API replies. */

export type SourceId = (typeof SOURCE_IDS)[number];

export const SOURCE_NAMES: Record<SourceId, string> = {
  airqo: 'AirQo',
  waqi: 'WAQI (World Air Quality Index project)',
  openmeteo: 'Open-Meteo (Copernicus CAMS model)',
  openaq: 'OpenAQ',
  defra: 'UK-AIR (Defra)',
  uba: 'Umweltbundesamt (UBA, Germany)',
  nsw: 'NSW Air Quality (Australia)',
  carbonintensity: 'Carbon Intensity API (NESO, Great Britain)',
  websearch: 'DuckDuckGo Instant Answers (web search)',
};

export interface Attribution {
  name: string;
  url?: string;
}

export type ConcentrationKey = 'pm2_5' | 'pm10' | 'no2' | 'o3' | 'so2' | 'co';

export interface Concentration {
  value: number;
  unit: 'µg/m³' | 'ppb' | 'ppm' | 'mg/m³';
}

interface AqiSummary {
  value: number;
  category: string;
  color: string;
  dominantPollutant?: string;
  /** How the index was obtained: computed here from a concentration, or reported by the source. */
  basis: string;
}

interface Station {
  id?: string;
  name: string;
  city?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
}

/** One current reading. `dataType: 'model'` is forecast-model output (Open-Meteo/CAMS), never a measurement. */
export interface AirQualityReading {
  source: SourceId;
  sourceName: string;
  dataType: 'measurement' | 'model';
  station: Station;
  /** ISO 8601, UTC. */
  measuredAt: string;
  /** The station's offset from UTC, when the source says (for local times in answers). */
  utcOffsetSeconds?: number;
  aqi: AqiSummary | null;
  /** Real concentrations only. */
  concentrations: Partial<Record<ConcentrationKey, Concentration>>;
  /**
   * US AQI sub-indices as a source reports them (WAQI's `iaqi`). These are index values, NOT µg/m³:
   * never present them as concentrations.
   */
  subIndices?: Partial<Record<string, number>>;
  weather?: { temperatureC?: number; humidityPct?: number };
  healthTips?: string[];
  attribution: Attribution[];
  notes: string[];
}

export interface DailyForecast {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** Concentration statistics (µg/m³) when the source gives concentrations. */
  pm2_5?: { mean: number; min: number; max: number };
  pm10?: { mean: number; min: number; max: number };
  /** WAQI forecasts are US AQI sub-index values, not concentrations. */
  subIndex?: Partial<Record<string, { avg: number; min: number; max: number }>>;
  aqi?: AqiSummary;
}

export interface AirQualityForecast {
  source: SourceId;
  sourceName: string;
  dataType: 'model' | 'forecast';
  location: Station;
  days: DailyForecast[];
  attribution: Attribution[];
  notes: string[];
}

export interface AirQoSite {
  id: string;
  name: string;
  formattedName?: string;
  city?: string;
  district?: string;
  country?: string;
  latitude?: number;
  longitude?: number;
  isOnline?: boolean;
}

export interface HistoryPoint {
  time: string;
  pm2_5?: number;
  pm10?: number;
  no2?: number;
}

export interface AirQoHistory {
  source: 'airqo';
  sourceName: string;
  dataType: 'measurement';
  station: Station;
  frequency: string;
  unit: 'µg/m³';
  points: HistoryPoint[];
  attribution: Attribution[];
  notes: string[];
}
