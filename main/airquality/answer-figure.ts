import type { Answer } from './air-quality-service';

/** "2026-01-10 11:00 UTC", "2026-01-10 20:00 UTC+10:00": a time with the zone it was given in. */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC${m[3] === 'Z' ? '' : m[3]}` : iso;
}

/**
 * The answer's one line names its figure: value, source, station, time, and live or cached (with its age),
 * so the chat's tool line and the model both read where each number comes from.
 */
export function named<T, A extends Answer<T>>(a: A & Answer<T>, figure: (data: T) => string | null): A {
  if (!a.ok || a.data === null) return a;
  const text = figure(a.data);
  if (!text) return a;
  const freshness = a.cache ? (a.cache.stale ? `offline: ${a.cache.note}` : a.cache.note) : 'live';
  return { ...a, message: `${text} (${freshness}).` };
}
