export function relativeTime(ms: number, now = Date.now()): string {
  const d = Math.round((now - ms) / 1000);
  if (d < 60) return 'just now';
  if (d < 3600) return `${Math.floor(d / 60)} min ago`;
  if (d < 86400) return `${Math.floor(d / 3600)} h ago`;
  if (d < 7 * 86400) return `${Math.floor(d / 86400)} d ago`;
  return new Date(ms).toLocaleDateString();
}

/**
 * The app's two ways of writing a size, on every page. Disk and file sizes in decimal units, as Ollama
 * and file managers show them; memory (VRAM, RAM, estimates) in binary units labelled GB, the way cards
 * are sold ("a 12 GB card"), matching the engine's own reason text.
 */
export function diskSize(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '?';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, '')} ${units[i]}`;
}

// Memory sizes are written once for engine and UI (preload/shared/units.ts).
export { memSize } from '../../../preload/shared/units';
