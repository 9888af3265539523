import { computeAqi, AqiError, truncate, type AqiResult } from './epa-aqi';

interface NowCastResult {
  pollutant: 'pm25' | 'pm10';
  /** The NowCast concentration after truncation (0.1 µg/m³ PM2.5, 1 µg/m³ PM10). */
  concentration: number;
  /** Before truncation, for the curious. */
  raw: number;
  weight: number;
  hoursUsed: number;
  aqi: AqiResult;
}

/**
 * EPA NowCast for PM. `hourly` is newest first (c1 … c12); null, undefined or NaN marks a missing hour.
 * Weighting keeps the hours-ago exponent even across gaps; at least 2 of the 3 newest hours must be present.
 * Computed on raw values, then truncated, then indexed with the 24-hour breakpoints.
 */
export function nowCast(pollutant: 'pm25' | 'pm10', hourly: ReadonlyArray<number | null | undefined>): NowCastResult {
  if (hourly.length > 12) throw new AqiError(`NowCast takes at most 12 hourly values (got ${hourly.length})`);
  const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  for (const v of hourly)
    if (present(v) && v < 0) throw new AqiError(`hourly concentrations cannot be negative (got ${v})`);
  const newest = hourly.slice(0, 3).filter(present).length;
  if (newest < 2) {
    throw new AqiError('NowCast needs at least 2 of the 3 most recent hourly values');
  }
  const values = hourly.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => present(x.v));
  const max = Math.max(...values.map((x) => x.v));
  const min = Math.min(...values.map((x) => x.v));
  // With every hour at zero the range is undefined; the NowCast is plainly zero.
  let weight = max === 0 ? 1 : 1 - (max - min) / max;
  if (weight < 0.5) weight = 0.5;
  let num = 0;
  let den = 0;
  for (const { v, i } of values) {
    const f = weight ** i;
    num += v * f;
    den += f;
  }
  const raw = num / den;
  const concentration = truncate(raw, pollutant === 'pm25' ? 1 : 0);
  const aqi = computeAqi(pollutant, concentration, '24h');
  aqi.notes.push('NowCast: a weighted average of the last 12 hours that EPA uses for current conditions.');
  return { pollutant, concentration, raw, weight, hoursUsed: values.length, aqi };
}
