import { AppError } from '../../core/errors';
import {
  CO_8H,
  DEFAULT_AVERAGING,
  NO2_1H,
  O3_1H,
  O3_8H,
  PM10_24H,
  PM25_24H,
  POLLUTANT_LABELS,
  SO2_1H,
  SO2_24H,
  type Averaging,
  type BreakpointTable,
  type Pollutant,
} from './breakpoints';
import { categoryForAqi, type AqiCategoryKey, type AqiCategoryName } from './categories';

export interface AqiResult {
  pollutant: Pollutant;
  averaging: Averaging;
  /** The concentration as given. */
  concentration: number;
  /** The concentration after EPA truncation: the value the index is computed from. */
  truncated: number;
  unit: BreakpointTable['unit'];
  aqi: number;
  category: AqiCategoryName;
  categoryKey: AqiCategoryKey;
  color: string;
  /** True above 500, where the last band's line is extended rather than capped. */
  beyondIndex: boolean;
  notes: string[];
}

/** An input the EPA method cannot index: raised as a bad request with a message for the person. */
export class AqiError extends AppError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

/**
 * Truncates (never rounds) to `decimals`. The product is first cleaned to 12 significant digits,
 * so binary noise such as 0.071 × 1000 = 70.99999999999999 truncates to 71, not 70.
 */
export function truncate(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.floor(Number((value * f).toPrecision(12))) / f;
}

/** Half-up rounding of the index, cleaned of binary noise first. */
function roundIndex(x: number): number {
  return Math.round(Number(x.toPrecision(10)));
}

function fromTable(table: BreakpointTable, c: number): { aqi: number; beyond: boolean } | null {
  for (const [bpLo, bpHi, iLo, iHi] of table.bands) {
    if (c >= bpLo && c <= bpHi)
      return { aqi: roundIndex(((iHi - iLo) / (bpHi - bpLo)) * (c - bpLo) + iLo), beyond: false };
  }
  const last = table.bands[table.bands.length - 1]!;
  if (c > last[1] && table.extendsBeyond500) {
    const [bpLo, bpHi, iLo, iHi] = last;
    return { aqi: roundIndex(((iHi - iLo) / (bpHi - bpLo)) * (c - bpLo) + iLo), beyond: true };
  }
  return null;
}

function result(
  table: BreakpointTable,
  concentration: number,
  truncated: number,
  aqi: number,
  beyond: boolean,
  notes: string[],
  averaging: Averaging = table.averaging,
): AqiResult {
  const cat = categoryForAqi(aqi);
  if (beyond) notes.push('Beyond the AQI scale (above 500): the top band’s line is extended, not capped.');
  return {
    pollutant: table.pollutant,
    averaging,
    concentration,
    truncated,
    unit: table.unit,
    aqi,
    category: cat.name,
    categoryKey: cat.key,
    color: cat.color,
    beyondIndex: beyond,
    notes,
  };
}

function checkValue(pollutant: Pollutant, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AqiError(`${POLLUTANT_LABELS[pollutant]} concentration must be a finite number`);
  }
  if (value < 0) throw new AqiError(`${POLLUTANT_LABELS[pollutant]} concentration cannot be negative (got ${value})`);
}

function simple(table: BreakpointTable, value: number, averaging: Averaging): AqiResult {
  const notes: string[] = [];
  if (averaging !== table.averaging) {
    notes.push(
      `The ${POLLUTANT_LABELS[table.pollutant]} AQI is defined on a ${table.averaging} average; applied to a ${averaging} value it is indicative only` +
        (table.pollutant === 'pm25' || table.pollutant === 'pm10'
          ? ' (NowCast is the EPA method for hourly data).'
          : '.'),
    );
  }
  const t = truncate(value, table.decimals);
  const r = fromTable(table, t)!; // tables that extend beyond 500 index every value ≥ 0
  return result(table, value, t, r.aqi, r.beyond, notes, averaging);
}

function ozone(value: number, averaging: Averaging): AqiResult {
  if (averaging === '24h') throw new AqiError('Ozone AQI uses 8-hour or 1-hour averages, not 24-hour');
  if (averaging === '8h') {
    const t = truncate(value, O3_8H.decimals);
    const r = fromTable(O3_8H, t);
    if (!r) {
      throw new AqiError(
        `8-hour ozone above 0.200 ppm (got ${t}) does not define an AQI: values of 301 and up come from the 1-hour average (--avg 1h)`,
      );
    }
    return result(O3_8H, value, t, r.aqi, r.beyond, []);
  }
  const t = truncate(value, O3_1H.decimals);
  if (t < O3_1H.bands[0]![0]) {
    throw new AqiError(
      `1-hour ozone below 0.125 ppm (got ${t}) has no AQI of its own: the 8-hour average defines it (--avg 8h)`,
    );
  }
  const r = fromTable(O3_1H, t)!;
  return result(O3_1H, value, t, r.aqi, r.beyond, []);
}

function so2(value: number, averaging: Averaging): AqiResult {
  if (averaging === '8h') throw new AqiError('SO2 AQI uses 1-hour or 24-hour averages, not 8-hour');
  const t = truncate(value, 0);
  if (averaging === '1h') {
    const r = fromTable(SO2_1H, t);
    if (!r) {
      throw new AqiError(
        `1-hour SO2 of 305 ppb or more (got ${t}) only says the AQI is above 200: that index comes from the 24-hour average (--avg 24h)`,
      );
    }
    return result(SO2_1H, value, t, r.aqi, r.beyond, []);
  }
  const r = fromTable(SO2_24H, t);
  if (r) return result(SO2_24H, value, t, r.aqi, r.beyond, []);
  // EPA defines 24-h breakpoints only above AQI 200; below them the 1-h table is the closest guide.
  const low = fromTable(SO2_1H, t)!;
  return result(
    SO2_1H,
    value,
    t,
    low.aqi,
    false,
    [
      '24-hour SO2 below 305 ppb: EPA defines 24-hour breakpoints only above AQI 200, so the 1-hour breakpoints are applied (indicative).',
    ],
    '24h',
  );
}

/**
 * US EPA AQI (2024 revision) for one pollutant: truncate, interpolate, round. `averaging` defaults to the
 * period the pollutant's index is defined on (PM 24h, O3/CO 8h, SO2/NO2 1h).
 */
export function computeAqi(
  pollutant: Pollutant,
  value: number,
  averaging: Averaging = DEFAULT_AVERAGING[pollutant],
): AqiResult {
  checkValue(pollutant, value);
  switch (pollutant) {
    case 'pm25':
      return simple(PM25_24H, value, averaging);
    case 'pm10':
      return simple(PM10_24H, value, averaging);
    case 'co':
      return simple(CO_8H, value, averaging);
    case 'no2':
      return simple(NO2_1H, value, averaging);
    case 'o3':
      return ozone(value, averaging);
    case 'so2':
      return so2(value, averaging);
  }
}

/** Ozone with both averages: the higher index is reported (EPA). Either may be missing. */
export function ozoneAqi(values: { eightHour?: number | null; oneHour?: number | null }): AqiResult | null {
  const candidates: AqiResult[] = [];
  if (values.eightHour != null) {
    const t = truncate(values.eightHour, 3);
    if (t <= 0.2) candidates.push(computeAqi('o3', values.eightHour, '8h'));
  }
  if (values.oneHour != null && truncate(values.oneHour, 3) >= 0.125)
    candidates.push(computeAqi('o3', values.oneHour, '1h'));
  if (candidates.length === 0) {
    if (values.eightHour != null) {
      throw new AqiError('8-hour ozone above 0.200 ppm needs the 1-hour value to give an AQI');
    }
    return null;
  }
  return candidates.reduce((a, b) => (b.aqi > a.aqi ? b : a));
}

/**
 * SO2 with both averages: the 1-hour value up to AQI 200; when it reaches 305 ppb the 24-hour average
 * gives the index, and a 24-hour value below 305 ppb then means AQI 200.
 */
export function so2Aqi(values: { oneHour: number; twentyFourHour?: number | null }): AqiResult {
  const oneHour = truncate(values.oneHour, 0);
  if (oneHour <= 304) return computeAqi('so2', values.oneHour, '1h');
  if (values.twentyFourHour == null) {
    throw new AqiError('1-hour SO2 of 305 ppb or more needs the 24-hour average to give an AQI above 200');
  }
  const day = truncate(values.twentyFourHour, 0);
  if (day >= 305) return computeAqi('so2', values.twentyFourHour, '24h');
  return result(SO2_24H, values.twentyFourHour, day, 200, false, [
    '1-hour SO2 is 305 ppb or more but the 24-hour average is below 305 ppb: the AQI is 200.',
  ]);
}

/** The overall AQI is the highest sub-index; its pollutant is the dominant one. */
export function overallAqi(results: AqiResult[]): { aqi: number; dominant: Pollutant; result: AqiResult } | null {
  if (results.length === 0) return null;
  const top = results.reduce((a, b) => (b.aqi > a.aqi ? b : a));
  return { aqi: top.aqi, dominant: top.pollutant, result: top };
}
