import type { ReactNode } from 'react';
import { t } from '../../i18n';

/**
 * Small SVG charts for the dashboard (no chart library: a few dozen points need none). Bars for counts,
 * a line with a soft area for rates and latencies; gaps (null) break the line instead of drawing zero.
 */
interface MiniChartProps {
  values: (number | null)[];
  kind: 'bar' | 'line';
  /** One label per value, shown on hover. */
  labels: string[];
  format: (v: number) => string;
  tone?: 'accent' | 'danger' | 'green' | 'amber';
  /** Draw a dashed threshold line (e.g. the p95 alert). */
  threshold?: number;
  ariaLabel: string;
}

const W = 300;
const H = 64;
const PAD_TOP = 4;

export function MiniChart({ values, kind, labels, format, tone = 'accent', threshold, ariaLabel }: MiniChartProps) {
  const present = values.filter((v): v is number => v !== null);
  const maxValue = Math.max(
    ...present,
    threshold !== undefined && present.some((v) => v > threshold * 0.5) ? threshold : 0,
    0,
  );
  const max = maxValue > 0 ? maxValue : 1;
  const n = values.length;
  const step = W / n;
  const y = (v: number) => H - (v / max) * (H - PAD_TOP);
  const empty = present.length === 0 || present.every((v) => v === 0);

  let body: ReactNode;
  if (kind === 'bar') {
    const bw = Math.max(1, step * 0.7);
    body = values.map((v, i) => {
      const h = v ? Math.max(1.5, H - y(v)) : 0;
      return (
        <rect
          key={i}
          className="db-chart-bar"
          x={i * step + (step - bw) / 2}
          y={H - h}
          width={bw}
          height={h}
          rx={Math.min(2, bw / 3)}
        >
          <title>{`${labels[i]}: ${v === null ? t('dashboard.noData') : format(v)}`}</title>
        </rect>
      );
    });
  } else {
    // Consecutive non-null runs become separate paths.
    const runs: { x: number; y: number; i: number }[][] = [];
    let run: { x: number; y: number; i: number }[] = [];
    values.forEach((v, i) => {
      if (v === null) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push({ x: i * step + step / 2, y: y(v), i });
    });
    if (run.length) runs.push(run);
    body = (
      <>
        {runs.map((r, k) => {
          const line = r.map((p, j) => `${j ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
          const area = `${line} L${r[r.length - 1]!.x.toFixed(1)},${H} L${r[0]!.x.toFixed(1)},${H} Z`;
          return (
            <g key={k}>
              {r.length > 1 && <path className="db-chart-area" d={area} />}
              {r.length > 1 && <path className="db-chart-line" d={line} />}
              {/* A lone point (one busy hour) gets a stem, so it reads as a value and not a speck. */}
              {r.length === 1 && <line className="db-chart-stem" x1={r[0]!.x} x2={r[0]!.x} y1={r[0]!.y} y2={H} />}
              {r.map((p) => (
                <circle key={p.i} className="db-chart-dot" cx={p.x} cy={p.y} r={r.length === 1 ? 2.5 : 1.6}>
                  <title>{`${labels[p.i]}: ${format(values[p.i]!)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </>
    );
  }
  return (
    <svg
      className={`db-chart tone-${tone}`}
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={ariaLabel}
    >
      <line className="db-chart-base" x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} />
      {threshold !== undefined && threshold <= max && (
        <line className="db-chart-threshold" x1={0} x2={W} y1={y(threshold)} y2={y(threshold)}>
          <title>{t('dashboard.alertAbove', { value: format(threshold) })}</title>
        </line>
      )}
      {!empty && body}
    </svg>
  );
}
