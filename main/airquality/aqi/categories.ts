/** The six US EPA AQI categories, their index ranges and official colours. */
export const AQI_CATEGORIES = [
  { key: 'good', name: 'Good', min: 0, max: 50, color: '#00E400' },
  { key: 'moderate', name: 'Moderate', min: 51, max: 100, color: '#FFFF00' },
  { key: 'usg', name: 'Unhealthy for Sensitive Groups', min: 101, max: 150, color: '#FF7E00' },
  { key: 'unhealthy', name: 'Unhealthy', min: 151, max: 200, color: '#FF0000' },
  { key: 'very_unhealthy', name: 'Very Unhealthy', min: 201, max: 300, color: '#8F3F97' },
  { key: 'hazardous', name: 'Hazardous', min: 301, max: 500, color: '#7E0023' },
] as const;

export type AqiCategoryKey = (typeof AQI_CATEGORIES)[number]['key'];
export type AqiCategoryName = (typeof AQI_CATEGORIES)[number]['name'];
export type AqiCategory = (typeof AQI_CATEGORIES)[number];

/** The category of an (integer) AQI; values above 500 stay Hazardous ("beyond the AQI"). */
export function categoryForAqi(aqi: number): AqiCategory {
  for (const c of AQI_CATEGORIES) if (aqi <= c.max) return c;
  return AQI_CATEGORIES[AQI_CATEGORIES.length - 1]!;
}

const ALIASES: Record<string, AqiCategoryKey> = {
  good: 'good',
  moderate: 'moderate',
  usg: 'usg',
  'unhealthy for sensitive groups': 'usg',
  'unhealthy for sensitive group': 'usg',
  sensitive: 'usg',
  unhealthy: 'unhealthy',
  'very unhealthy': 'very_unhealthy',
  very_unhealthy: 'very_unhealthy',
  hazardous: 'hazardous',
};

/** Accepts a category name in any case or spacing, its key, or an AQI number ("Very unhealthy", "usg", "162"). */
export function parseCategory(input: string | number): AqiCategory | null {
  if (typeof input === 'number' || /^\s*\d+(\.\d+)?\s*$/.test(String(input))) {
    const n = Math.round(Number(input));
    return Number.isFinite(n) && n >= 0 ? categoryForAqi(n) : null;
  }
  const norm = String(input).trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
  const key = ALIASES[norm] ?? ALIASES[norm.replace(/ /g, '_')];
  return key ? AQI_CATEGORIES.find((c) => c.key === key)! : null;
}
