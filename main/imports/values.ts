import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
/** Cell parsers for sensor files. Each returns a value, `null` for an empty cell, or throws a RowError. */

/** A row left out, with why: in English for the CLI and the report, and as a message id for the UI. */
export class RowError extends Error {
  constructor(
    message: string,
    readonly text?: EngineText,
  ) {
    super(message);
  }
}

const TS =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number) =>
  m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[m - 1]!;

/** Turns a wall-clock time without a zone into epoch ms (see naive-time.ts). */
export type NaiveTime = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) => number;

/**
 * A timestamp as epoch milliseconds. Accepts ISO 8601 (`2024-03-01T06:00:00Z`, `+03:00` offsets), the
 * PurpleAir SD-card form (`2024/03/01T06:00:02z`), `YYYY-MM-DD HH:MM[:SS]`, and Unix seconds or ms.
 * A time without a zone is read by `naive` (default UTC: sensor loggers and AirQo's exports write UTC).
 * Day-first local forms such as 01/03/2024 are refused: they are ambiguous.
 */
export function parseTimestamp(text: string, naive?: NaiveTime): number {
  const fast = fastIso(text);
  if (fast !== null) return fast;
  const s = text.trim();
  if (s === '') throw new RowError('missing timestamp', engineMessage('importRow.missingTimestamp', {}));
  const m = TS.exec(s);
  if (!m) {
    if (/^\d{10}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
    if (/^\d{13}$/.test(s)) return Number(s);
    throw new RowError(
      `unreadable timestamp "${s.slice(0, 40)}"`,
      engineMessage('importRow.unreadableTimestamp', { value: s.slice(0, 40) }),
    );
  }
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  const h = m[4] ? +m[4] : 0;
  const mi = m[5] ? +m[5] : 0;
  const sec = m[6] ? +m[6] : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 60) {
    throw new RowError(
      `impossible date or time "${s.slice(0, 40)}"`,
      engineMessage('importRow.impossibleDate', { value: s.slice(0, 40) }),
    );
  }
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const zone = m[8];
  if (!zone && naive) return naive(y, mo, d, h, mi, sec, ms);
  let t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  if (zone && zone[0] !== 'Z' && zone[0] !== 'z' && zone !== 'UTC' && zone !== 'GMT') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    t -= sign * offset * 60_000;
  }
  return t;
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/**
 * The common case without a regex: `YYYY-MM-DDTHH:MM:SSZ` (or `/`-dated, `z`, space-separated, with
 * `.000`). Anything else, or any doubt, returns null and goes the general way.
 */
function fastIso(s: string): number | null {
  const n = s.length;
  if (n !== 20 && n !== 24) return null;
  const sep = s.charCodeAt(4);
  if ((sep !== 45 && sep !== 47) || s.charCodeAt(7) !== sep) return null; // - or /
  const t = s.charCodeAt(10);
  if ((t !== 84 && t !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null; // T or space, :
  const z = s.charCodeAt(n - 1);
  if (z !== 90 && z !== 122) return null; // Z or z
  if (
    n === 24 &&
    (s.charCodeAt(19) !== 46 || s.charCodeAt(20) !== 48 || s.charCodeAt(21) !== 48 || s.charCodeAt(22) !== 48)
  ) {
    return null; // only .000
  }
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) {
    const d = digit(s, i);
    if (d < 0 || d > 9) return null;
  }
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const sec = two(s, 17);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, sec);
}

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '--']);

/** A number, or null for an empty / NA cell. */
export function parseNumber(text: string | undefined, what: string): number | null {
  if (text === undefined || text === '') return null;
  // Fast path: Number() takes surrounding spaces; only '' and blanks would wrongly read as 0.
  const quick = Number(text);
  if (Number.isFinite(quick) && quick !== 0) return quick;
  const s = text.trim();
  if (s === '' || MISSING.has(s.toLowerCase())) return null;
  const n = Number(s);
  if (!Number.isFinite(n)) {
    throw new RowError(
      `${what} is not a number ("${s.slice(0, 30)}")`,
      engineMessage('importRow.notANumber', { column: what, value: s.slice(0, 30) }),
    );
  }
  return n;
}

/** Highest concentration taken as a measurement; optical sensors saturate far below this. */
const MAX_PM = 5000;

/** A PM concentration in µg/m³: not negative, not absurd. */
export function parsePm(text: string | undefined, what: string): number | null {
  const n = parseNumber(text, what);
  if (n === null) return null;
  if (n < 0) {
    throw new RowError(
      `negative ${what} (${n})`,
      engineMessage('importRow.negative', { column: what, value: String(n) }),
    );
  }
  if (n > MAX_PM) {
    throw new RowError(
      `${what} ${n} µg/m³ is beyond any sensor's range`,
      engineMessage('importRow.beyondRange', { column: what, value: String(n) }),
    );
  }
  return n;
}

/** Why a row's coordinates were not used: `zero` is (0, 0), the "no fix" a GPS or an export writes. */
export type CoordinateIssue = 'zero' | 'out_of_range' | 'unreadable' | 'half';

/**
 * A row's position, or the reason it is refused. A bad position never costs the row its measurement:
 * the reading is kept and the site's location comes from the rows whose coordinates are good.
 */
export function parseCoordinates(
  latText: string | undefined,
  lonText: string | undefined,
): { latitude: number; longitude: number } | { issue: CoordinateIssue } | null {
  let lat: number | null;
  let lon: number | null;
  try {
    lat = parseNumber(latText, 'latitude');
    lon = parseNumber(lonText, 'longitude');
  } catch {
    return { issue: 'unreadable' };
  }
  if (lat === null && lon === null) return null;
  if (lat === null || lon === null) return { issue: 'half' };
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return { issue: 'out_of_range' };
  if (lat === 0 && lon === 0) return { issue: 'zero' };
  return { latitude: lat, longitude: lon };
}

/** Mean of the values present (null when none). */
export function meanOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return (a + b) / 2;
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;
