const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYYMMDD` in local time: the seed's rotated-log suffix (`app.log.$(date +%Y%m%d)`). */
export function dayStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}

/** `YYYYMMDD-HHMMSS` in local time, for backup file names a person can sort by eye. */
export function fileStamp(ms: number): string {
  const d = new Date(ms);
  return `${dayStamp(ms)}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
