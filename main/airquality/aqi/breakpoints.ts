/**
 * US EPA AQI breakpoints, revision in force since 6 May 2024 (PM2.5 "Good" ends at 9.0 µg/m³).
 * Each row is [BP_lo, BP_hi, I_lo, I_hi]; concentrations are compared after truncation to `decimals`.
 */
export const POLLUTANTS = ['pm25', 'pm10', 'o3', 'co', 'so2', 'no2'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];
export type Averaging = '1h' | '8h' | '24h';

type Band = readonly [bpLo: number, bpHi: number, iLo: number, iHi: number];

export interface BreakpointTable {
  pollutant: Pollutant;
  averaging: Averaging;
  unit: 'µg/m³' | 'ppm' | 'ppb';
  /** Truncation precision: O3 3 decimals (ppm), PM2.5 and CO 1, PM10/SO2/NO2 integers. */
  decimals: number;
  bands: readonly Band[];
  /** Whether the last band's line extends past AQI 500 ("beyond the AQI"). */
  extendsBeyond500: boolean;
}

export const PM25_24H: BreakpointTable = {
  pollutant: 'pm25',
  averaging: '24h',
  unit: 'µg/m³',
  decimals: 1,
  extendsBeyond500: true,
  bands: [
    [0.0, 9.0, 0, 50],
    [9.1, 35.4, 51, 100],
    [35.5, 55.4, 101, 150],
    [55.5, 125.4, 151, 200],
    [125.5, 225.4, 201, 300],
    [225.5, 325.4, 301, 500],
  ],
};

export const PM10_24H: BreakpointTable = {
  pollutant: 'pm10',
  averaging: '24h',
  unit: 'µg/m³',
  decimals: 0,
  extendsBeyond500: true,
  bands: [
    [0, 54, 0, 50],
    [55, 154, 51, 100],
    [155, 254, 101, 150],
    [255, 354, 151, 200],
    [355, 424, 201, 300],
    [425, 604, 301, 500],
  ],
};

/** 8-hour ozone defines AQI up to 300 only; higher values come from the 1-hour table. */
export const O3_8H: BreakpointTable = {
  pollutant: 'o3',
  averaging: '8h',
  unit: 'ppm',
  decimals: 3,
  extendsBeyond500: false,
  bands: [
    [0.0, 0.054, 0, 50],
    [0.055, 0.07, 51, 100],
    [0.071, 0.085, 101, 150],
    [0.086, 0.105, 151, 200],
    [0.106, 0.2, 201, 300],
  ],
};

/** 1-hour ozone starts at AQI 101: below 0.125 ppm the 8-hour value is the index. */
export const O3_1H: BreakpointTable = {
  pollutant: 'o3',
  averaging: '1h',
  unit: 'ppm',
  decimals: 3,
  extendsBeyond500: true,
  bands: [
    [0.125, 0.164, 101, 150],
    [0.165, 0.204, 151, 200],
    [0.205, 0.404, 201, 300],
    [0.405, 0.604, 301, 500],
  ],
};

export const CO_8H: BreakpointTable = {
  pollutant: 'co',
  averaging: '8h',
  unit: 'ppm',
  decimals: 1,
  extendsBeyond500: true,
  bands: [
    [0.0, 4.4, 0, 50],
    [4.5, 9.4, 51, 100],
    [9.5, 12.4, 101, 150],
    [12.5, 15.4, 151, 200],
    [15.5, 30.4, 201, 300],
    [30.5, 50.4, 301, 500],
  ],
};

/** 1-hour SO2 covers AQI ≤ 200 only. */
export const SO2_1H: BreakpointTable = {
  pollutant: 'so2',
  averaging: '1h',
  unit: 'ppb',
  decimals: 0,
  extendsBeyond500: false,
  bands: [
    [0, 35, 0, 50],
    [36, 75, 51, 100],
    [76, 185, 101, 150],
    [186, 304, 151, 200],
  ],
};

/** 24-hour SO2 defines AQI above 200. */
export const SO2_24H: BreakpointTable = {
  pollutant: 'so2',
  averaging: '24h',
  unit: 'ppb',
  decimals: 0,
  extendsBeyond500: true,
  bands: [
    [305, 604, 201, 300],
    [605, 1004, 301, 500],
  ],
};

export const NO2_1H: BreakpointTable = {
  pollutant: 'no2',
  averaging: '1h',
  unit: 'ppb',
  decimals: 0,
  extendsBeyond500: true,
  bands: [
    [0, 53, 0, 50],
    [54, 100, 51, 100],
    [101, 360, 101, 150],
    [361, 649, 151, 200],
    [650, 1249, 201, 300],
    [1250, 2049, 301, 500],
  ],
};

/** The averaging period each pollutant's AQI is defined on when the caller gives none. */
export const DEFAULT_AVERAGING: Record<Pollutant, Averaging> = {
  pm25: '24h',
  pm10: '24h',
  o3: '8h',
  co: '8h',
  so2: '1h',
  no2: '1h',
};

export const POLLUTANT_LABELS: Record<Pollutant, string> = {
  pm25: 'PM2.5',
  pm10: 'PM10',
  o3: 'O3',
  co: 'CO',
  so2: 'SO2',
  no2: 'NO2',
};

/** Accepts common spellings: "pm2.5", "PM2_5", "ozone", "no₂". */
export function parsePollutant(input: string): Pollutant | null {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/[\u2080-\u2089]/g, (d) => String(d.charCodeAt(0) - 0x2080))
    .replace(/[\s._-]/g, '');
  const aliases: Record<string, Pollutant> = {
    pm25: 'pm25',
    pm10: 'pm10',
    o3: 'o3',
    ozone: 'o3',
    co: 'co',
    carbonmonoxide: 'co',
    so2: 'so2',
    sulfurdioxide: 'so2',
    sulphurdioxide: 'so2',
    no2: 'no2',
    nitrogendioxide: 'no2',
  };
  return aliases[s] ?? null;
}
