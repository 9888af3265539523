import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError } from '../core/errors';
import type { AirQualityCache } from './cache/aq-cache';
import { formatAge } from './cache/cache-age';
import { haversineKm, type Gazetteer } from './gazetteer/gazetteer';

interface NearStation {
  network: string;
  name: string;
  latitude: number;
  longitude: number;
  distanceKm: number;
}

interface ResolvedLocation {
  latitude: number;
  longitude: number;
  /** What the person typed or chose, tidied: "Nairobi, Kenya" or "-1.2921, 36.8219". */
  label: string;
  /** The bundled gazetteer's nearest place (offline), when one is within 50 km. */
  place: { name: string; country: string; distanceKm: number } | null;
  /** The nearest stations in the station lists this app has fetched before (works offline). */
  stations: NearStation[];
  /** Which lists were searched and how old they are, or why none was. */
  stationsNote: string;
}

/** "-1.29, 36.82", "-1.29 36.82", "lat -1.29 lon 36.82". */
const COORDS =
  /^\s*(?:lat(?:itude)?\s*[:=]?\s*)?(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(?:lon(?:gitude)?\s*[:=]?\s*)?(-?\d{1,3}(?:\.\d+)?)\s*$/i;

/** Station lists the official sources cache (by their cache key), read as [name, latitude, longitude]. */
const LISTS: Array<{
  key: string;
  network: string;
  read(v: unknown): Array<[string, number | undefined, number | undefined]>;
}> = [
  {
    key: 'defra:stations',
    network: 'UK-AIR (Defra)',
    read: (v) =>
      (v as Array<{ label: string; latitude?: number; longitude?: number }>).map((s) => [
        s.label,
        s.latitude,
        s.longitude,
      ]),
  },
  {
    key: 'uba:stations',
    network: 'UBA',
    read: (v) =>
      (v as Array<{ name: string; latitude?: number; longitude?: number; active: boolean }>)
        .filter((s) => s.active)
        .map((s) => [s.name, s.latitude, s.longitude]),
  },
  {
    key: 'nsw:sites',
    network: 'NSW Air Quality',
    read: (v) =>
      (v as Array<{ name: string; latitude?: number; longitude?: number }>).map((s) => [
        s.name,
        s.latitude,
        s.longitude,
      ]),
  },
  {
    key: 'airqo:meta:sites',
    network: 'AirQo',
    read: (v) =>
      (v as Array<{ name?: string; approximate_latitude?: number; approximate_longitude?: number }>).map((s) => [
        String(s.name ?? '?'),
        s.approximate_latitude,
        s.approximate_longitude,
      ]),
  },
];

/**
 * "My location": a typed place (the offline gazetteer) or coordinates (typed, or the OS position the UI got) →
 * its coordinates, the gazetteer's place name and the nearest stations known offline. Nothing goes online.
 */
export function resolveLocation(
  gazetteer: Gazetteer,
  cache: AirQualityCache,
  now: number,
  where: { query: string } | { latitude: number; longitude: number },
): ResolvedLocation {
  let latitude: number;
  let longitude: number;
  let label: string;
  if ('query' in where) {
    const m = COORDS.exec(where.query);
    if (m) {
      latitude = Number(m[1]);
      longitude = Number(m[2]);
      label = `${latitude}, ${longitude}`;
    } else {
      const place = gazetteer.lookup(where.query.trim());
      if (!place)
        throw new AppError(
          'not_found',
          `"${where.query.trim()}" is not in the offline gazetteer. Type a larger town nearby, or coordinates such as "-1.29, 36.82".`,
          {},
          engineMessage('error.placeNotFound', { place: where.query.trim() }),
        );
      ({ latitude, longitude } = place);
      label = `${place.name}, ${place.countryName}`;
    }
  } else {
    ({ latitude, longitude } = where);
    label = `${Math.round(latitude * 1e4) / 1e4}, ${Math.round(longitude * 1e4) / 1e4}`;
  }
  if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180))
    throw new AppError(
      'bad_request',
      'Latitude must be within ±90 and longitude within ±180.',
      {},
      engineMessage('error.badCoordinates', {}),
    );
  const near = gazetteer.nearest(latitude, longitude);
  const place =
    near && near.distanceKm <= 50
      ? { name: near.place.name, country: near.place.countryName, distanceKm: Math.round(near.distanceKm * 10) / 10 }
      : null;
  const stations: NearStation[] = [];
  const searched: string[] = [];
  for (const list of LISTS) {
    const entry = cache.getAny<unknown>(list.key);
    if (!entry || !Array.isArray(entry.value)) continue;
    searched.push(`${list.network} (list from ${formatAge(now - entry.fetchedAt)})`);
    for (const [name, lat, lon] of list.read(entry.value)) {
      if (typeof lat !== 'number' || typeof lon !== 'number') continue;
      const d = haversineKm(latitude, longitude, lat, lon);
      if (d <= 100)
        stations.push({
          network: list.network,
          name,
          latitude: lat,
          longitude: lon,
          distanceKm: Math.round(d * 10) / 10,
        });
    }
  }
  stations.sort((a, b) => a.distanceKm - b.distanceKm);
  return {
    latitude,
    longitude,
    label,
    place,
    stations: stations.slice(0, 5),
    stationsNote: searched.length
      ? `Searched the station lists fetched before: ${searched.join(', ')}.`
      : 'No station list has been fetched yet; ask about the air here and the app looks up the nearest station online.',
  };
}
