import fs from 'node:fs';
import path from 'node:path';
import { isAfricanCountry } from './africa';

export interface Place {
  name: string;
  latitude: number;
  longitude: number;
  /** ISO 3166-1 alpha-2. */
  country: string;
  countryName: string;
  population: number;
  isAfrican: boolean;
}

type Row = [name: string, latitude: number, longitude: number, country: string, population: number];

/** Lower case, accents stripped, punctuation to spaces: "São Paulo" and "sao-paulo" meet. */
export function normalizePlaceName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Made at the first name asked for: loading ICU's region names costs ~10 ms, too much for every start-up.
let regionNames: Intl.DisplayNames | null = null;
const countryNames = new Map<string, string>();
/** English country name from the ISO code, via the ICU data Node ships (no table to maintain). */
function countryName(code: string): string {
  let name = countryNames.get(code);
  if (name === undefined) {
    try {
      regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
      name = regionNames.of(code) ?? code;
    } catch {
      name = code;
    }
    countryNames.set(code, name);
  }
  return name;
}

/** Where the bundled data lies in a checkout, next to dist/, or in a packaged app's resources. */
function defaultGazetteerFile(env: NodeJS.ProcessEnv = process.env): string {
  const rel = path.join('gazetteer', 'cities.json');
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath; // set by Electron only
  const candidates = [
    env.AERIS_GAZETTEER_FILE,
    path.resolve(__dirname, '../../../resources', rel),
    path.resolve(__dirname, '../resources', rel),
    path.resolve(__dirname, '../../resources', rel),
    resourcesPath ? path.join(resourcesPath, rel) : undefined,
    path.resolve(process.cwd(), 'resources', rel),
  ].filter((c): c is string => Boolean(c));
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[1]!;
}

/**
 * An offline gazetteer of world cities (GeoNames-derived, see resources/gazetteer/). Loaded on first use:
 * about 26,500 places, 1 MB, a few tens of milliseconds.
 */
export class Gazetteer {
  private byName: Map<string, Place[]> | null = null;
  private countryCodes: Map<string, string> | null = null;
  private maxWords = 1;

  constructor(private readonly source: { file?: string; rows?: Row[] } = {}) {}

  private load(): Map<string, Place[]> {
    if (this.byName) return this.byName;
    const rows: Row[] =
      this.source.rows ??
      (JSON.parse(fs.readFileSync(this.source.file ?? defaultGazetteerFile(), 'utf8')) as { rows: Row[] }).rows;
    const map = new Map<string, Place[]>();
    const codes = new Map<string, string>();
    for (const [name, latitude, longitude, country, population] of rows) {
      const key = normalizePlaceName(name);
      if (!key) continue;
      const place: Place = {
        name,
        latitude,
        longitude,
        country,
        countryName: countryName(country),
        population,
        isAfrican: isAfricanCountry(country),
      };
      const list = map.get(key);
      if (list) list.push(place);
      else map.set(key, [place]);
      this.maxWords = Math.max(this.maxWords, key.split(' ').length);
      if (!codes.has(country.toLowerCase())) {
        codes.set(country.toLowerCase(), country);
        codes.set(normalizePlaceName(place.countryName), country);
      }
    }
    for (const list of map.values()) list.sort((a, b) => b.population - a.population);
    this.byName = map;
    this.countryCodes = codes;
    return map;
  }

  get size(): number {
    let n = 0;
    for (const l of this.load().values()) n += l.length;
    return n;
  }

  /** Longest place name, in words (for scanning free text). */
  get longestNameWords(): number {
    this.load();
    return this.maxWords;
  }

  /** Every place with this exact (normalised) name, most populous first. */
  candidates(name: string): Place[] {
    return this.load().get(normalizePlaceName(name)) ?? [];
  }

  /** "Uganda", "ug", "UG" → "UG". */
  countryCode(nameOrCode: string): string | null {
    this.load();
    return this.countryCodes!.get(normalizePlaceName(nameOrCode)) ?? null;
  }

  /**
   * The best match for "Kampala", "Kampala, Uganda" or "Paris, FR": the most populous place of that name,
   * within the country when one is given after a comma.
   */
  lookup(query: string): Place | null {
    const parts = query
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length === 0) return null;
    const cityPart = parts[0]!;
    const countryPart = parts.length > 1 ? parts[parts.length - 1]! : null;
    let list = this.candidates(cityPart);
    if (list.length === 0) {
      // "Kampala city", "Greater Nairobi": try dropping common decorations.
      const stripped = normalizePlaceName(cityPart)
        .replace(/\b(city|town|greater|municipality|district|metropolitan|area)\b/g, ' ')
        .trim();
      if (stripped) list = this.candidates(stripped);
    }
    if (countryPart) {
      const code = this.countryCode(countryPart);
      if (code) {
        const inCountry = list.filter((p) => p.country === code);
        if (inCountry.length) return inCountry[0]!;
      }
    }
    return list[0] ?? null;
  }

  /** Whether a city is in Africa (routes to AirQo first). Unknown places are not. */
  isAfricanCity(query: string): boolean {
    return this.lookup(query)?.isAfrican ?? false;
  }

  /** The nearest known place to a point (for naming a coordinate). */
  nearest(latitude: number, longitude: number): { place: Place; distanceKm: number } | null {
    let best: { place: Place; distanceKm: number } | null = null;
    for (const list of this.load().values()) {
      for (const p of list) {
        const d = haversineKm(latitude, longitude, p.latitude, p.longitude);
        if (!best || d < best.distanceKm) best = { place: p, distanceKm: d };
      }
    }
    return best;
  }
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = (x: number) => (x * Math.PI) / 180;
  const a =
    Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}
