const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/**
 * Memory in binary units labelled "GB", the way GPU and RAM sizes are sold and talked about:
 * a "12 GB" card holds 12 GiB.
 */
export function formatGb(bytes: number): string {
  if (bytes < GIB) return `${Math.round(bytes / MIB)} MB`;
  const gb = bytes / GIB;
  return `${gb >= 100 ? String(Math.round(gb)) : gb.toFixed(1).replace(/\.0$/, '')} GB`;
}

/** 4096 → "4k", 131072 → "128k". */
export function formatContext(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0 ? `${tokens / 1024}k` : String(tokens);
}
