/**
 * Latency histograms with fixed bucket bounds, so hourly buckets can be stored as counts and merged into
 * days (raw samples could not be kept for 30 days). Percentiles interpolate inside a bucket and are
 * clamped to the observed min and max, which makes them exact when every sample is the same.
 */

/** Upper bounds in milliseconds (the last bucket is open-ended). About 1.5× apart: ±25 % resolution. */
export const BUCKET_BOUNDS_MS: readonly number[] = [
  1,
  2,
  3,
  5,
  7.5,
  10,
  15,
  20,
  30,
  50,
  75,
  100,
  150,
  200,
  300,
  500,
  750,
  1000,
  1500,
  2000,
  3000,
  5000,
  7500,
  10_000,
  15_000,
  20_000,
  30_000,
  45_000,
  60_000,
  90_000,
  120_000,
  180_000,
  300_000,
  600_000,
  Infinity,
];

/** One series in one time bucket: everything needed to merge with another and to read percentiles. */
export interface SeriesPoint {
  count: number;
  errors: number;
  /** Sum of the observed durations (ms). */
  sumMs: number;
  /** A second sum the series gives a meaning to: tokens for replies, message counts for sessions. */
  extra: number;
  minMs: number;
  maxMs: number;
  /** Sparse bucket counts: index into BUCKET_BOUNDS_MS → samples. */
  hist: Record<number, number>;
}

export function emptyPoint(): SeriesPoint {
  return { count: 0, errors: 0, sumMs: 0, extra: 0, minMs: Infinity, maxMs: 0, hist: {} };
}

export function bucketIndex(ms: number): number {
  const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
  for (let i = 0; i < BUCKET_BOUNDS_MS.length; i++) if (v <= BUCKET_BOUNDS_MS[i]!) return i;
  return BUCKET_BOUNDS_MS.length - 1;
}

export function observe(p: SeriesPoint, ms: number, ok = true, extra = 0): void {
  const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
  p.count++;
  if (!ok) p.errors++;
  p.sumMs += v;
  p.extra += extra;
  p.minMs = Math.min(p.minMs, v);
  p.maxMs = Math.max(p.maxMs, v);
  const i = bucketIndex(v);
  p.hist[i] = (p.hist[i] ?? 0) + 1;
}

/** Adds `b` into `a`. */
export function mergeInto(a: SeriesPoint, b: SeriesPoint): SeriesPoint {
  a.count += b.count;
  a.errors += b.errors;
  a.sumMs += b.sumMs;
  a.extra += b.extra;
  a.minMs = Math.min(a.minMs, b.minMs);
  a.maxMs = Math.max(a.maxMs, b.maxMs);
  for (const [k, n] of Object.entries(b.hist)) a.hist[Number(k)] = (a.hist[Number(k)] ?? 0) + n;
  return a;
}

/** The q-quantile (0 < q ≤ 1) in ms, or null without samples. Nearest rank, interpolated inside its bucket. */
export function percentile(p: SeriesPoint, q: number): number | null {
  const total = Object.values(p.hist).reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  const indices = Object.keys(p.hist)
    .map(Number)
    .sort((a, b) => a - b);
  for (const i of indices) {
    const n = p.hist[i]!;
    if (seen + n >= rank) {
      const lower = i === 0 ? 0 : BUCKET_BOUNDS_MS[i - 1]!;
      const upperBound = BUCKET_BOUNDS_MS[i]!;
      const upper = Number.isFinite(upperBound) ? upperBound : p.maxMs;
      const value = lower + (upper - lower) * ((rank - seen) / n);
      const lo = Number.isFinite(p.minMs) ? p.minMs : 0;
      return Math.min(Math.max(value, lo), p.maxMs);
    }
    seen += n;
  }
  return p.maxMs;
}
