/**
 * Runs `fn` every `everyMs` until the returned stop function is called. Injected into the background
 * tasks (log rotation, scheduled backups, session cleanup) so tests drive them by hand; the default
 * timer is unref'd so it never keeps a CLI process alive.
 */
export type Schedule = (fn: () => void, everyMs: number) => () => void;

export const intervalSchedule: Schedule = (fn, everyMs) => {
  const handle = setInterval(fn, everyMs);
  handle.unref();
  return () => clearInterval(handle);
};
