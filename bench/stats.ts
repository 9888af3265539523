export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? NaN;
}

export const median = (v: number[]): number => percentile(v, 50);

export function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

/** One line per figure: value, target, ratio to the target or baseline, and PASS/FAIL. */
export function verdict(label: string, ok: boolean, detail: string): string {
  return `${ok ? 'PASS' : 'FAIL'}  ${label}: ${detail}`;
}

export interface BenchResult {
  name: string;
  lines: string[];
  ok: boolean;
}
