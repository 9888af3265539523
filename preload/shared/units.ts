const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/**
 * Memory in binary units labelled "GB", the way GPU and RAM sizes are sold and talked about:
 * a "12 GB" card holds 12 GiB. The engine's reason texts and the UI's figures both write it this way.
 */
export function formatGb(bytes: number): string {
  if (bytes < GIB) return `${Math.round(bytes / MIB)} MB`;
  const gb = bytes / GIB;
  return `${gb >= 100 ? String(Math.round(gb)) : gb.toFixed(1).replace(/\.0$/, '')} GB`;
}

/** `formatGb` for values that may be missing: "?" instead of a number. */
export function memSize(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  return formatGb(n);
}

/** 4096 → "4k", 131072 → "128k". */
export function formatContext(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0 ? `${tokens / 1024}k` : String(tokens);
}
