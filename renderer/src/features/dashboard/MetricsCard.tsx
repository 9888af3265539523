import { engineText } from '../../i18n/engine-text';
import { useState } from 'react';
import type { ChartSpecDto, MetricsPointDto } from '../../../../preload/contract';
import { Chart as FullChart } from '../../components/chart';
import { useDashboard } from '../../stores/dashboard-store';
import { MiniChart } from './MiniChart';
import { currentLanguage, t } from '../../i18n';
import { formatDecimal, formatNumber, formatTime } from '../../lib/format';

const fmtMs = (ms: number) =>
  ms >= 1000
    ? `${formatNumber(ms / 1000, { minimumFractionDigits: ms >= 10_000 ? 0 : 1, maximumFractionDigits: ms >= 10_000 ? 0 : 1 })} s`
    : `${formatNumber(Math.round(ms))} ms`;
const fmtCount = (n: number) => (n >= 10_000 ? `${formatNumber(Math.round(n / 1000))}k` : formatNumber(Math.round(n)));
const fmtPct = (f: number) => formatNumber(f, { style: 'percent', maximumFractionDigits: f < 0.1 ? 1 : 0 });
const perHour = (perMinute: number) => {
  const h = perMinute * 60;
  return t('dashboard.metrics.perHour', { n: h < 10 ? formatDecimal(h) : formatNumber(Math.round(h)) });
};
const fmtTps = (v: number) => `${formatDecimal(v, v < 10 ? 1 : 0)} tok/s`;

type MetricId = 'requests' | 'latency' | 'errors' | 'speed';

/** The shared chart (axes, tooltip, PNG export) for the tile a person opened. */
function expandedSpec(id: MetricId, points: MetricsPointDto[], labels: string[], range: '24h' | '30d'): ChartSpecDto {
  const bar = id === 'requests' || id === 'errors';
  const value = (p: MetricsPointDto): number | null =>
    id === 'requests'
      ? p.requests
      : id === 'errors'
        ? p.errors
        : id === 'latency'
          ? p.p95Ms === null
            ? null
            : p.p95Ms / 1000
          : p.tokensPerSecond;
  const titles: Record<MetricId, [string, string]> = {
    requests: [t('dashboard.metrics.requests'), t('dashboard.metrics.requestsUnit')],
    latency: [t('dashboard.metrics.latency'), 's'],
    errors: [t('dashboard.metrics.errors'), t('dashboard.metrics.errorsUnit')],
    speed: [t('dashboard.metrics.speed'), 'tokens/s'],
  };
  return {
    type: 'chart',
    version: 1,
    chartType: bar ? 'bar' : 'line',
    title: `${titles[id][0]}, ${range === '24h' ? t('dashboard.metrics.last24h') : t('dashboard.metrics.last30d')}`,
    units: titles[id][1],
    series: [
      { name: titles[id][0], points: points.map((p, i) => ({ x: bar ? (labels[i] ?? '') : p.start, y: value(p) })) },
    ],
    referenceLines: id === 'latency' ? [{ label: t('dashboard.metrics.alert30'), value: 30, color: '#d97706' }] : [],
    bands: [],
  };
}

/** Requests, p95 latency, errors and tokens/s over 24 hours or 30 days, with the seed's alert thresholds. */
export function MetricsCard() {
  const [open, setOpen] = useState<MetricId | null>(null);
  const toggle = (id: MetricId) => setOpen((cur) => (cur === id ? null : id));
  const m = useDashboard((s) => s.metrics);
  const error = useDashboard((s) => s.metricsError);
  const range = useDashboard((s) => s.metricsRange);
  const points: MetricsPointDto[] = m ? (range === '24h' ? m.hourly : m.daily) : [];
  const totals = m ? (range === '24h' ? m.last24h : m.last30d) : null;
  const labels = points.map((p) =>
    range === '24h'
      ? formatTime(p.start)
      : new Date(p.start).toLocaleDateString(currentLanguage(), { month: 'short', day: 'numeric' }),
  );
  // The axis names the ends of the window; hover gives each bucket's own time.
  const axis: [string, string] =
    range === '24h'
      ? [t('dashboard.metrics.ago24h'), t('dashboard.metrics.now')]
      : [labels[0] ?? '', t('dashboard.metrics.today')];
  const firing = m?.alerts.filter((a) => a.firing) ?? [];
  return (
    <section className="card db-card db-metrics" aria-labelledby="db-metrics-title">
      <div className="db-card-head">
        <h2 id="db-metrics-title">{t('dashboard.metrics.title')}</h2>
        <div className="segmented db-seg" role="group" aria-label={t('dashboard.metrics.range')}>
          <button
            className={range === '24h' ? 'on' : ''}
            aria-pressed={range === '24h'}
            onClick={() => useDashboard.getState().setMetricsRange('24h')}
          >
            {t('dashboard.metrics.hours24')}
          </button>
          <button
            className={range === '30d' ? 'on' : ''}
            aria-pressed={range === '30d'}
            onClick={() => useDashboard.getState().setMetricsRange('30d')}
          >
            {t('dashboard.metrics.days30')}
          </button>
        </div>
      </div>
      {error && <p className="db-error">{error}</p>}
      {firing.map((a) => (
        <p key={a.id} className={`db-alert severity-${a.severity}`} role="alert">
          <strong>
            {a.severity === 'critical' ? t('dashboard.metrics.critical') : t('dashboard.health.status.warn')}:
          </strong>{' '}
          {engineText(a.text, a.message)}
        </p>
      ))}
      {m && totals && (
        <>
          <div className="db-charts">
            <Chart
              title={t('dashboard.metrics.requests')}
              open={open === 'requests'}
              onOpen={() => toggle('requests')}
              value={`${fmtCount(totals.requests)}`}
              sub={perHour(totals.requestsPerMinute)}
              values={points.map((p) => p.requests)}
              labels={labels}
              axis={axis}
              kind="bar"
              format={(v) => `${fmtCount(v)} ${t('dashboard.metrics.requestsUnit')}`}
            />
            <Chart
              title={t('dashboard.metrics.latency')}
              open={open === 'latency'}
              onOpen={() => toggle('latency')}
              value={totals.p95Ms === null ? '–' : fmtMs(totals.p95Ms)}
              sub={
                totals.p50Ms === null
                  ? t('dashboard.metrics.noRequests')
                  : `p50 ${fmtMs(totals.p50Ms)} · p99 ${fmtMs(totals.p99Ms ?? 0)}`
              }
              values={points.map((p) => p.p95Ms)}
              labels={labels}
              axis={axis}
              kind="line"
              format={fmtMs}
              threshold={30_000}
            />
            <Chart
              title={t('dashboard.metrics.errors')}
              open={open === 'errors'}
              onOpen={() => toggle('errors')}
              value={fmtCount(totals.errors)}
              sub={
                totals.errorRate === null
                  ? t('dashboard.metrics.noRequests')
                  : t('dashboard.metrics.ofRequests', { pct: fmtPct(totals.errorRate) })
              }
              values={points.map((p) => p.errors)}
              labels={labels}
              axis={axis}
              kind="bar"
              tone="danger"
              format={(v) => `${fmtCount(v)} ${t('dashboard.metrics.errorsUnit')}`}
            />
            <Chart
              title={t('dashboard.metrics.speed')}
              open={open === 'speed'}
              onOpen={() => toggle('speed')}
              value={totals.tokensPerSecond === null ? '–' : fmtTps(totals.tokensPerSecond)}
              sub={`${t('dashboard.metrics.replies', { count: totals.replies })} · ${fmtCount(totals.tokens)} tokens`}
              values={points.map((p) => p.tokensPerSecond)}
              labels={labels}
              axis={axis}
              kind="line"
              tone="green"
              format={fmtTps}
            />
          </div>
          {open && (
            <div className="db-expanded">
              <FullChart spec={expandedSpec(open, points, labels, range)} height={240} />
            </div>
          )}
          <div className="db-breakdowns">
            <div>
              <h3>{t('dashboard.metrics.toolCalls')}</h3>
              {m.tools.length === 0 ? (
                <p className="muted small">{t('dashboard.metrics.noTools')}</p>
              ) : (
                <ul className="db-bars">
                  {m.tools.slice(0, 8).map((x) => (
                    <li key={x.tool}>
                      <span className="db-bars-name">{x.tool}</span>
                      <span className="db-bars-track">
                        <span style={{ width: `${(x.calls / m.tools[0]!.calls) * 100}%` }} />
                      </span>
                      <span className="db-bars-value">
                        {x.calls}
                        {x.errors > 0 && (
                          <span className="db-err-count"> · {t('dashboard.metrics.failed', { n: x.errors })}</span>
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3>{t('dashboard.metrics.models')}</h3>
              {m.models.length === 0 ? (
                <p className="muted small">{t('dashboard.metrics.noReplies')}</p>
              ) : (
                <ul className="db-kv">
                  {m.models.slice(0, 6).map((x) => (
                    <li key={x.model}>
                      <span>{x.model}</span>
                      <span className="muted small">
                        {t('dashboard.metrics.replies', { count: x.replies })}
                        {x.tokensPerSecond !== null ? ` · ${fmtTps(x.tokensPerSecond)}` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <h3 className="db-sub-h">{t('chat.conversations')}</h3>
              <p className="small">
                {m.messagesPerSession
                  ? t('dashboard.metrics.perSession', {
                      avg: formatNumber(m.messagesPerSession.average, {
                        minimumFractionDigits: 1,
                        maximumFractionDigits: 1,
                      }),
                      max: m.messagesPerSession.max,
                    })
                  : t('chat.sidebar.none')}
              </p>
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Chart(props: {
  title: string;
  open: boolean;
  onOpen: () => void;
  value: string;
  sub: string;
  values: (number | null)[];
  labels: string[];
  axis: [string, string];
  kind: 'bar' | 'line';
  tone?: 'accent' | 'danger' | 'green';
  format: (v: number) => string;
  threshold?: number;
}) {
  return (
    <figure className={`db-chart-box${props.open ? ' open' : ''}`}>
      <button
        className="db-chart-open"
        aria-pressed={props.open}
        aria-label={
          props.open
            ? t('dashboard.metrics.hideChart', { title: props.title })
            : t('dashboard.metrics.showChart', { title: props.title })
        }
        onClick={props.onOpen}
      />
      <figcaption>
        <span className="db-chart-title">{props.title}</span>
        <span className="db-chart-value">{props.value}</span>
        <span className="db-chart-sub muted small">{props.sub}</span>
      </figcaption>
      <MiniChart
        values={props.values}
        labels={props.labels}
        kind={props.kind}
        tone={props.tone}
        format={props.format}
        threshold={props.threshold}
        ariaLabel={t('dashboard.metrics.chartOf', { title: props.title })}
      />
      <div className="db-chart-axis muted">
        <span>{props.axis[0]}</span>
        <span>{props.axis[1]}</span>
      </div>
    </figure>
  );
}
