/**
 * Numbers people read on the Models page. Disk and download sizes in decimal GB, as Ollama and file
 * managers show them; memory (VRAM, RAM, estimates) in binary units labelled GB, the way cards are sold
 * ("a 12 GB card"), matching the engine's own reason text.
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

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

export function memSize(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  if (n < GIB) return `${Math.round(n / MIB)} MB`;
  const g = n / GIB;
  return `${g >= 100 ? Math.round(g) : g.toFixed(1).replace(/\.0$/, '')} GB`;
}

export function speed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${diskSize(Math.round(bytesPerSecond))}/s` : '';
}

export function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m ? `${h} h ${m} min left` : `${h} h left`;
}

/** 494032768 → "0.5B", 8030261248 → "8B", 70553706496 → "71B". */
export function paramCount(n: number): string {
  if (!n) return '';
  const b = n / 1e9;
  if (b >= 10) return `${Math.round(b)}B`;
  if (b >= 1) return `${b.toFixed(1).replace(/\.0$/, '')}B`;
  return b >= 0.1 ? `${b.toFixed(1)}B` : `${Math.round(n / 1e6)}M`;
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** "GPU 62%" share as Ollama's `ollama ps` says it: "100% GPU", "62% GPU", "100% CPU". */
export function gpuShareText(share: number): string {
  const p = Math.round(share * 100);
  if (p >= 100) return '100% GPU';
  if (p <= 0) return '100% CPU';
  return `${p}% GPU`;
}
