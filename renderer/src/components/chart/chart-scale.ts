import type { ChartSpecDto } from '../../../../preload/contract';
import { currentLanguage } from '../../i18n';

/** Pure helpers for the chart: what kind of x axis, nice ticks, label formats. No DOM. */

type XKind = 'time' | 'category';

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms for a time-like x (ISO string or epoch ms), else null. */
export function timeOf(x: string | number): number | null {
  if (typeof x === 'number') return x > 1e11 ? x : null;
  if (!ISO_LIKE.test(x.trim())) return null;
  const t = Date.parse(x.length === 10 ? `${x}T00:00:00Z` : x);
  return Number.isNaN(t) ? null : t;
}

/** Times when every x is a time and the chart is not a bar chart; categories otherwise. */
export function xKindOf(spec: ChartSpecDto): XKind {
  if (spec.chartType === 'bar') return 'category';
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
  return xs.length > 0 && xs.every((x) => timeOf(x) !== null) ? 'time' : 'category';
}

/** Category labels in order of first appearance across series. */
export function categoriesOf(spec: ChartSpecDto): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of spec.series)
    for (const p of s.points) {
      const k = String(p.x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
    }
  return out;
}

/** 1, 2, 2.5 or 5 × 10^n steps, about `count` of them, covering [min, max]. */
function niceTicks(min: number, max: number, count = 5): { ticks: number[]; min: number; max: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0, 1], min: 0, max: 1 };
  if (max <= min) max = min + (min === 0 ? 1 : Math.abs(min) * 0.5);
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return { ticks, min: lo, max: hi };
}

/** The y domain: from 0 (concentrations and indices are never negative) to the data and reference lines. */
export function yDomain(spec: ChartSpecDto): { ticks: number[]; min: number; max: number } {
  const ys = spec.series
    .flatMap((s) => s.points.map((p) => p.y))
    .filter((y): y is number => y !== null && Number.isFinite(y));
  const refs = spec.referenceLines.map((r) => r.value);
  const lo = Math.min(0, ...ys);
  const hi = Math.max(...(ys.length ? ys : [1]), ...refs) * 1.08;
  return niceTicks(lo, hi, 5);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Time ticks: hours within a day or two, days beyond. Times shown in the viewer's local zone. */
export function timeTicks(min: number, max: number, count = 6): number[] {
  const span = Math.max(1, max - min);
  const H = 3_600_000;
  const steps = [H, 2 * H, 3 * H, 6 * H, 12 * H, 24 * H, 2 * 24 * H, 7 * 24 * H, 30 * 24 * H];
  const step = steps.find((s) => span / s <= count) ?? steps[steps.length - 1]!;
  const offset = new Date(min).getTimezoneOffset() * 60_000;
  const first = Math.ceil((min - offset) / step) * step + offset;
  const out: number[] = [];
  for (let t = first; t <= max; t += step) out.push(t);
  return out.length ? out : [min, max];
}

export function formatTime(t: number, span: number): string {
  const d = new Date(t);
  const month = d.toLocaleString(currentLanguage(), { month: 'short' });
  if (span <= 36 * 3_600_000) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (span <= 4 * 86_400_000) return `${d.getDate()} ${month} ${pad(d.getHours())}h`;
  return `${d.getDate()} ${month}`;
}

export function formatFullTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatValue(v: number): string {
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return String(Math.round(v * 10) / 10);
  return String(Math.round(v * 100) / 100);
}

/**
 * Series colours that read on light and dark backgrounds, stay apart from the AQI category hues, and
 * from the WHO guideline's blue.
 */
export const SERIES_COLORS = ['#00897b', '#d81b60', '#6d4c41', '#5c6bc0', '#9e9d24', '#546e7a', '#ab47bc', '#26a69a'];
