import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError } from '../core/errors';
import type { NaiveTime } from './values';

/** The zone naive timestamps are read in unless the user says otherwise: AirQo's exports write UTC. */
export const DEFAULT_NAIVE_ZONE = 'UTC';

/** The IANA zone's canonical name, or a bad_request naming the mistake. */
export function checkTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new AppError(
      'bad_request',
      `Unknown time zone "${zone.slice(0, 64)}": give an IANA name such as Africa/Kampala, Africa/Nairobi or UTC.`,
      {},
      engineMessage('error.unknownTimeZone', { zone: zone.slice(0, 64) }),
    );
  }
}

const HOUR = 3_600_000;

/**
 * Reads wall-clock times in an IANA zone. The zone's offset is looked up once per UTC hour and cached
 * (a file is mostly consecutive hours), so a million rows cost a few thousand Intl calls, not a million.
 * A time that a DST change skips is read with the offset before the change; a repeated hour takes its
 * first occurrence.
 */
export function naiveTimeIn(zone: string): NaiveTime {
  const canonical = checkTimeZone(zone);
  if (canonical === 'UTC' || canonical === 'Etc/UTC')
    return (y, mo, d, h, mi, s, ms) => Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: canonical,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const cache = new Map<number, number>();
  /** The zone's offset (ms east of UTC) at the instant `t`. */
  const offsetAt = (t: number): number => {
    const key = Math.floor(t / HOUR);
    let off = cache.get(key);
    if (off === undefined) {
      const at = key * HOUR;
      const p: Record<string, number> = {};
      for (const part of fmt.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      off = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second) - at;
      if (cache.size > 50_000) cache.clear();
      cache.set(key, off);
    }
    return off;
  };
  return (y, mo, d, h, mi, s, ms) => {
    const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    const first = wall - offsetAt(wall);
    const second = wall - offsetAt(first);
    return Math.min(first, second);
  };
}
