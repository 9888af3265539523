import os from 'node:os';

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
  /** Machine-readable figures, for `--json` (benches that have been given them). */
  figures?: BenchFigure[];
}

/** Median with the spread of the rounds (min–max), as every figure prints it. */
export function spread(values: number[], digits = 2): string {
  return `median ${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}, n=${values.length})`;
}

/**
 * Interleaved A/B rounds: `warmup` unrecorded rounds of both, then each round runs A and B back to back in
 * alternating order, so a slow patch on a busy machine (or a cold JIT) hits both sides alike.
 */
export async function interleaved(
  rounds: number,
  a: () => Promise<number> | number,
  b: () => Promise<number> | number,
  warmup = 2,
): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < warmup + rounds; i++) {
    const first = i % 2 === 0;
    const x = first ? await a() : await b();
    const y = first ? await b() : await a();
    if (i < warmup) continue;
    out.a.push(first ? x : y);
    out.b.push(first ? y : x);
  }
  return out;
}

/** The machine's load, printed beside every figure so a reader can judge it. */
export function loadNote(): string {
  const [l1, l5] = os.loadavg();
  return `load ${fmt(l1 ?? 0)} / ${fmt(l5 ?? 0)} on ${os.cpus().length} CPUs`;
}

/** Figures for `npm run bench -- --json`. */
export interface BenchFigure {
  bench: string;
  figure: string;
  ok: boolean;
  value: number;
  baseline?: number;
  ratio?: number;
  target: string;
  unit: string;
}
