/** Indices for users outside the US, PM2.5 only (µg/m³). */

interface NaqiResult {
  index: 'India NAQI';
  category: 'Good' | 'Satisfactory' | 'Moderately Polluted' | 'Poor' | 'Very Poor' | 'Severe';
  /** The band's sub-index range, e.g. "101–200". */
  subIndexRange: string;
}

/** India NAQI, PM2.5 24-hour: 0–30 Good … >250 Severe (CPCB works in whole µg/m³). */
export function indiaNaqiPm25(value: number): NaqiResult {
  const c = Math.round(value);
  const bands: Array<[number, NaqiResult['category'], string]> = [
    [30, 'Good', '0–50'],
    [60, 'Satisfactory', '51–100'],
    [90, 'Moderately Polluted', '101–200'],
    [120, 'Poor', '201–300'],
    [250, 'Very Poor', '301–400'],
  ];
  for (const [hi, category, subIndexRange] of bands)
    if (c <= hi) return { index: 'India NAQI', category, subIndexRange };
  return { index: 'India NAQI', category: 'Severe', subIndexRange: '401–500' };
}

interface DaqiResult {
  index: 'UK DAQI';
  /** 1–10. */
  value: number;
  band: 'Low' | 'Moderate' | 'High' | 'Very High';
}

/** UK DAQI, PM2.5 24-hour mean: bands 1–10 with upper bounds 11, 23, 35, 41, 47, 53, 58, 64, 70, then ≥71. */
export function ukDaqiPm25(value: number): DaqiResult {
  const c = Math.round(value);
  const upper = [11, 23, 35, 41, 47, 53, 58, 64, 70];
  let idx = upper.findIndex((u) => c <= u) + 1;
  if (idx === 0) idx = 10;
  const band: DaqiResult['band'] = idx <= 3 ? 'Low' : idx <= 6 ? 'Moderate' : idx <= 9 ? 'High' : 'Very High';
  return { index: 'UK DAQI', value: idx, band };
}

interface EaqiResult {
  index: 'EU EAQI';
  category: 'Good' | 'Fair' | 'Moderate' | 'Poor' | 'Very poor' | 'Extremely poor';
  /** 1–6. */
  level: number;
}

/** EU EAQI, PM2.5 (2024 bands): 0–5, 5–15, 15–50, 50–90, 90–140, >140; a boundary value stays in the lower band. */
export function euEaqiPm25(value: number): EaqiResult {
  const bands: Array<[number, EaqiResult['category']]> = [
    [5, 'Good'],
    [15, 'Fair'],
    [50, 'Moderate'],
    [90, 'Poor'],
    [140, 'Very poor'],
  ];
  for (let i = 0; i < bands.length; i++) {
    const [hi, category] = bands[i]!;
    if (value <= hi) return { index: 'EU EAQI', category, level: i + 1 };
  }
  return { index: 'EU EAQI', category: 'Extremely poor', level: 6 };
}
