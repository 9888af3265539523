import { useEffect, useId, useMemo, useRef, useState, type PointerEvent } from 'react';
import type { ChartSpecDto } from '../../../../preload/contract';
import {
  categoriesOf,
  formatFullTime,
  formatTime,
  formatValue,
  SERIES_COLORS,
  timeOf,
  timeTicks,
  xKindOf,
  yDomain,
} from './chart-scale';
import { chartCaption } from './chart-caption';
import { exportSvgAsPng } from './export-png';
import './chart.css';
import { t } from '../../i18n';

interface ChartProps {
  spec: ChartSpecDto;
  /** Plot height in CSS pixels (the width follows the container). */
  height?: number;
}

const M = { top: 34, right: 18, bottom: 44, left: 54 };
const LEGEND_H = 22;

interface Hover {
  key: number;
  px: number;
}

/**
 * A line, area or bar chart drawn from a ChartSpec as SVG: axes with units, optional reference lines (WHO
 * guideline) and background bands (AQI categories), a tooltip, and "Export PNG". Used by the chat and by
 * the imported-data page: give it `{ spec }` and it sizes itself to its container.
 */
export function Chart({ spec, height = 300 }: ChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(640);
  const [hover, setHover] = useState<Hover | null>(null);
  const clipId = `chart-clip-${useId().replace(/:/g, '')}`;

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(280, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const legend = spec.series.length > 1 || spec.referenceLines.length > 0;
  const totalH = height + (legend ? LEGEND_H : 0) + (spec.xLabel ? 14 : 0);
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;

  const model = useMemo(() => {
    const kind = xKindOf(spec);
    const y = yDomain(spec);
    const yPx = (v: number) => M.top + plotH - ((v - y.min) / (y.max - y.min || 1)) * plotH;
    const cats = kind === 'category' ? categoriesOf(spec) : [];
    const times = kind === 'time' ? spec.series.flatMap((s) => s.points.map((p) => timeOf(p.x)!)) : [];
    const tMin = times.length ? Math.min(...times) : 0;
    const tMax = times.length ? Math.max(...times) : 1;
    const span = tMax - tMin;
    const band = cats.length ? plotW / cats.length : plotW;
    /** Each x as a number: epoch ms for time, category index otherwise. */
    const keyOf = (x: string | number): number => (kind === 'time' ? timeOf(x)! : cats.indexOf(String(x)));
    const xPx = (k: number): number =>
      kind === 'time' ? M.left + (span > 0 ? ((k - tMin) / span) * plotW : plotW / 2) : M.left + band * k + band / 2;
    const keys = [...new Set(spec.series.flatMap((s) => s.points.map((p) => keyOf(p.x))))].sort((a, b) => a - b);
    const xTicks =
      kind === 'time'
        ? timeTicks(tMin, tMax, Math.max(2, Math.floor(plotW / 90))).map((t) => ({
            at: xPx(t),
            label: formatTime(t, span),
          }))
        : cats
            .map((c, i) => ({ at: xPx(i), label: c.length > 12 ? `${c.slice(0, 11)}…` : c, i }))
            // Thin out crowded category labels.
            .filter((t) => t.i % Math.max(1, Math.ceil(cats.length / Math.max(1, Math.floor(plotW / 64)))) === 0);
    const label = (k: number) => (kind === 'time' ? formatFullTime(k) : (cats[k] ?? ''));
    return { kind, y, yPx, xPx, keyOf, keys, xTicks, band, label };
  }, [spec, plotW, plotH]);

  const { y, yPx, xPx, keyOf, keys, xTicks, band, kind } = model;
  const baseY = yPx(Math.max(y.min, 0));

  const series = spec.series.map((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    const pts = s.points.map((p) => ({ k: keyOf(p.x), y: p.y })).sort((a, b) => a.k - b.k);
    let d = '';
    let open = false;
    for (const p of pts) {
      if (p.y === null || !Number.isFinite(p.y)) {
        open = false;
        continue;
      }
      d += `${open ? 'L' : 'M'}${xPx(p.k).toFixed(1)},${yPx(p.y).toFixed(1)}`;
      open = true;
    }
    const valid = pts.filter((p) => p.y !== null && Number.isFinite(p.y)) as Array<{ k: number; y: number }>;
    const area =
      spec.chartType === 'area' && valid.length > 1
        ? `M${xPx(valid[0]!.k).toFixed(1)},${baseY}` +
          valid.map((p) => `L${xPx(p.k).toFixed(1)},${yPx(p.y).toFixed(1)}`).join('') +
          `L${xPx(valid[valid.length - 1]!.k).toFixed(1)},${baseY}Z`
        : null;
    const byKey = new Map(pts.map((p) => [p.k, p.y]));
    return { name: s.name, color, d, area, valid, byKey };
  });

  const onMove = (e: PointerEvent<SVGRectElement>) => {
    const svg = svgRef.current;
    if (!svg || keys.length === 0) return;
    const r = svg.getBoundingClientRect();
    const px = e.clientX - r.left;
    let best = keys[0]!;
    for (const k of keys) if (Math.abs(xPx(k) - px) < Math.abs(xPx(best) - px)) best = k;
    setHover({ key: best, px: xPx(best) });
  };

  const barW = kind === 'category' ? Math.max(2, Math.min(36, (band * 0.72) / Math.max(1, series.length))) : 0;
  const caption = chartCaption(spec.provenance);
  const yTitle = spec.yLabel ? `${spec.yLabel} (${spec.units})` : spec.units;

  return (
    <figure className="chart" data-testid="chart">
      <div className="chart-canvas" ref={wrap}>
        <svg
          ref={svgRef}
          width={width}
          height={totalH}
          viewBox={`0 0 ${width} ${totalH}`}
          role="img"
          aria-label={t('chart.label', { title: spec.title, type: spec.chartType, units: spec.units })}
          xmlns="http://www.w3.org/2000/svg"
        >
          <defs>
            <clipPath id={clipId}>
              <rect x={M.left} y={M.top} width={plotW} height={plotH} />
            </clipPath>
          </defs>
          <text className="chart-title" x={M.left} y={18}>
            {spec.title}
          </text>
          {/* background bands (AQI categories) */}
          <g clipPath={`url(#${clipId})`}>
            {spec.bands.map((b) => {
              const top = yPx(Math.min(b.to, y.max));
              const bottom = yPx(Math.max(b.from, y.min));
              if (bottom <= top) return null;
              return (
                <rect
                  key={b.label}
                  x={M.left}
                  y={top}
                  width={plotW}
                  height={bottom - top}
                  fill={b.color}
                  fillOpacity={0.16}
                >
                  <title>{`${b.label} (${b.from}–${b.to})`}</title>
                </rect>
              );
            })}
          </g>
          {/* y grid + ticks */}
          <g className="chart-axis">
            {y.ticks.map((t) => (
              <g key={t}>
                <line className="chart-grid" x1={M.left} x2={M.left + plotW} y1={yPx(t)} y2={yPx(t)} />
                <text x={M.left - 8} y={yPx(t)} textAnchor="end" dominantBaseline="middle">
                  {formatValue(t)}
                </text>
              </g>
            ))}
            <text
              className="chart-axis-title"
              transform={`translate(14 ${M.top + plotH / 2}) rotate(-90)`}
              textAnchor="middle"
              dominantBaseline="middle"
            >
              {yTitle}
            </text>
            <line className="chart-baseline" x1={M.left} x2={M.left + plotW} y1={M.top + plotH} y2={M.top + plotH} />
            {xTicks.map((t) => (
              <g key={`${t.at}-${t.label}`}>
                <line className="chart-tick" x1={t.at} x2={t.at} y1={M.top + plotH} y2={M.top + plotH + 5} />
                <text x={t.at} y={M.top + plotH + 18} textAnchor="middle">
                  {t.label}
                </text>
              </g>
            ))}
            {spec.xLabel && (
              <text className="chart-axis-title" x={M.left + plotW / 2} y={M.top + plotH + 36} textAnchor="middle">
                {spec.xLabel}
              </text>
            )}
          </g>
          {/* data */}
          <g clipPath={`url(#${clipId})`}>
            {spec.chartType === 'bar'
              ? series.map((s, si) =>
                  s.valid.map((p) => {
                    const x = xPx(p.k) - (barW * series.length) / 2 + si * barW;
                    const top = yPx(Math.max(p.y, 0));
                    return (
                      <rect
                        key={`${si}-${p.k}`}
                        className="chart-bar"
                        x={x}
                        y={top}
                        width={Math.max(1, barW - 2)}
                        height={Math.max(0, baseY - top)}
                        fill={s.color}
                        rx={2}
                      />
                    );
                  }),
                )
              : series.map((s) => (
                  <g key={s.name}>
                    {s.area && <path d={s.area} fill={s.color} fillOpacity={0.18} stroke="none" />}
                    <path
                      d={s.d}
                      fill="none"
                      stroke={s.color}
                      strokeWidth={2}
                      strokeLinejoin="round"
                      strokeLinecap="round"
                    />
                    {s.valid.length <= 60 &&
                      s.valid.map((p) => <circle key={p.k} cx={xPx(p.k)} cy={yPx(p.y)} r={2.6} fill={s.color} />)}
                  </g>
                ))}
            {/* reference lines (WHO guideline) */}
            {spec.referenceLines.map((r) => (
              <g key={r.label}>
                <line
                  className="chart-ref"
                  style={{ ['--ref' as string]: r.color }}
                  x1={M.left}
                  x2={M.left + plotW}
                  y1={yPx(r.value)}
                  y2={yPx(r.value)}
                  strokeWidth={1.5}
                  strokeDasharray="6 4"
                />
                <text
                  className="chart-ref-label"
                  style={{ ['--ref' as string]: r.color }}
                  x={M.left + plotW - 4}
                  y={yPx(r.value) - 5}
                  textAnchor="end"
                >
                  {r.label}
                </text>
              </g>
            ))}
          </g>
          {hover && <line className="chart-hover-line" x1={hover.px} x2={hover.px} y1={M.top} y2={M.top + plotH} />}
          {hover &&
            kind !== 'category' &&
            series.map((s) => {
              const v = s.byKey.get(hover.key);
              return v !== undefined && v !== null ? (
                <circle
                  key={s.name}
                  cx={hover.px}
                  cy={yPx(v)}
                  r={4.5}
                  fill={s.color}
                  stroke="white"
                  strokeWidth={1.5}
                />
              ) : null;
            })}
          {legend && (
            <g className="chart-legend" transform={`translate(${M.left} ${height + (spec.xLabel ? 14 : 0) + 4})`}>
              {[
                ...series.map((s) => ({ name: s.name, color: s.color, dashed: false })),
                ...spec.referenceLines.map((r) => ({ name: r.label, color: r.color, dashed: true })),
              ].map((item, i, all) => {
                const x = all.slice(0, i).reduce((n, it) => n + 26 + it.name.length * 6.6, 0);
                return (
                  <g key={item.name} transform={`translate(${x} 0)`}>
                    <line
                      className={item.dashed ? 'chart-ref' : undefined}
                      style={item.dashed ? { ['--ref' as string]: item.color } : undefined}
                      x1={0}
                      x2={16}
                      y1={6}
                      y2={6}
                      stroke={item.dashed ? undefined : item.color}
                      strokeWidth={2.5}
                      strokeDasharray={item.dashed ? '4 3' : undefined}
                    />
                    <text x={21} y={6} dominantBaseline="middle">
                      {item.name}
                    </text>
                  </g>
                );
              })}
            </g>
          )}
          <rect
            className="chart-hit"
            x={M.left}
            y={M.top}
            width={plotW}
            height={plotH}
            fill="transparent"
            onPointerMove={onMove}
            onPointerLeave={() => setHover(null)}
          />
        </svg>
        {hover && (
          <div
            className="chart-tooltip"
            role="tooltip"
            // Beside the pointer, on whichever side has room.
            style={
              hover.px > width * 0.6
                ? { left: hover.px - 12, top: M.top + 4, transform: 'translateX(-100%)' }
                : { left: hover.px + 12, top: M.top + 4 }
            }
          >
            <div className="chart-tooltip-x">{model.label(hover.key)}</div>
            {series.map((s) => {
              const v = s.byKey.get(hover.key);
              return (
                <div key={s.name} className="chart-tooltip-row">
                  <span className="chart-swatch" style={{ background: s.color }} />
                  <span className="chart-tooltip-name">{s.name}</span>
                  <b>{v === undefined || v === null ? '—' : `${formatValue(v)} ${spec.units}`}</b>
                </div>
              );
            })}
          </div>
        )}
      </div>
      <figcaption className="chart-actions">
        {caption && (
          <span className="chart-source" data-testid="chart-source">
            {caption}
          </span>
        )}
        <button
          type="button"
          className="link-btn"
          onClick={() => svgRef.current && void exportSvgAsPng(svgRef.current, spec.title, caption)}
        >
          {t('chart.exportPng')}
        </button>
      </figcaption>
    </figure>
  );
}
