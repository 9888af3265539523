/** Rows further than this from a site's median position are counted as outlying (and never moved it). */
const OUTLIER_KM = 5;
/** Positions kept per site for the median: enough for a robust centre, bounded for a million-row file. */
const MAX_SAMPLES = 5000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Great-circle distance in km. */
function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(a)));
}

interface SiteLocation {
  latitude: number;
  longitude: number;
  /** Rows whose coordinates were good. */
  rows: number;
  /** Of those, rows more than {@link OUTLIER_KM} from the centre. */
  outlying: number;
}

/**
 * A site's location from an import's rows: the per-axis median of the good coordinates (a robust centre:
 * a few rows at (0.19, 20.57) do not move a site whose other rows sit at (0.31, 32.58)), with the rows far
 * from it counted. The first {@link MAX_SAMPLES} good positions of each site are used.
 */
export class SiteLocator {
  private readonly bySite = new Map<string, { lat: number[]; lon: number[]; rows: number }>();

  add(site: string, latitude: number, longitude: number): void {
    let s = this.bySite.get(site);
    if (!s) this.bySite.set(site, (s = { lat: [], lon: [], rows: 0 }));
    s.rows++;
    if (s.lat.length < MAX_SAMPLES) {
      s.lat.push(latitude);
      s.lon.push(longitude);
    }
  }

  locate(site: string): SiteLocation | null {
    const s = this.bySite.get(site);
    if (!s || s.lat.length === 0) return null;
    const latitude = median(s.lat);
    const longitude = median(s.lon);
    let outlying = 0;
    for (let i = 0; i < s.lat.length; i++) {
      if (distanceKm(latitude, longitude, s.lat[i]!, s.lon[i]!) > OUTLIER_KM) outlying++;
    }
    return {
      latitude: Math.round(latitude * 1e6) / 1e6,
      longitude: Math.round(longitude * 1e6) / 1e6,
      rows: s.rows,
      outlying,
    };
  }
}
