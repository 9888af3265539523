/** "3 hours ago", "12 minutes ago", "just now". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} days ago`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Wall-clock time at the station when its offset is known, else UTC (and said so). */
function formatClock(utcMs: number, utcOffsetSeconds: number | undefined, withDate: boolean): string {
  const d = new Date(utcMs + (utcOffsetSeconds ?? 0) * 1000);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  const date = withDate ? `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ` : '';
  return `${date}${hm}${utcOffsetSeconds === undefined ? ' UTC' : ''}`;
}

/** The honest offline line: "cached reading from 14:20, 3 hours ago". */
export function cachedReadingNote(measuredAtMs: number, nowMs: number, utcOffsetSeconds?: number): string {
  const age = nowMs - measuredAtMs;
  return `cached reading from ${formatClock(measuredAtMs, utcOffsetSeconds, age >= 20 * 3_600_000)}, ${formatAge(age)}`;
}
