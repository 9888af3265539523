import { useState } from 'react';
import type { ChartSpecDto, MetricsPointDto } from '../../../../preload/contract';
import { Chart as FullChart } from '../../components/chart';
import { useDashboard } from '../../stores/dashboard-store';
import { MiniChart } from './MiniChart';
import { plural } from './plural';

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`);
const fmtCount = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : String(Math.round(n)));
const fmtPct = (f: number) => `${(f * 100).toFixed(f < 0.1 ? 1 : 0)} %`;
const perHour = (perMinute: number) => {
  const h = perMinute * 60;
  return `${h < 10 ? h.toFixed(1) : Math.round(h)} an hour on average`;
};
const fmtTps = (t: number) => `${t.toFixed(t < 10 ? 1 : 0)} tok/s`;

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
    requests: ['Requests', 'requests'],
    latency: ['Latency p95', 's'],
    errors: ['Errors', 'errors'],
    speed: ['Generation speed', 'tokens/s'],
  };
  return {
    type: 'chart',
    version: 1,
    chartType: bar ? 'bar' : 'line',
    title: `${titles[id][0]}, ${range === '24h' ? 'last 24 hours' : 'last 30 days'}`,
    units: titles[id][1],
    series: [
      { name: titles[id][0], points: points.map((p, i) => ({ x: bar ? (labels[i] ?? '') : p.start, y: value(p) })) },
    ],
    referenceLines: id === 'latency' ? [{ label: 'Alert (30 s)', value: 30, color: '#d97706' }] : [],
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
      ? new Date(p.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : new Date(p.start).toLocaleDateString([], { month: 'short', day: 'numeric' }),
  );
  // The axis names the ends of the window; hover gives each bucket's own time.
  const axis: [string, string] = range === '24h' ? ['24 h ago', 'now'] : [labels[0] ?? '', 'today'];
  const firing = m?.alerts.filter((a) => a.firing) ?? [];
  return (
    <section className="card db-card db-metrics" aria-labelledby="db-metrics-title">
      <div className="db-card-head">
        <h2 id="db-metrics-title">Activity</h2>
        <div className="segmented db-seg" role="group" aria-label="Time range">
          <button
            className={range === '24h' ? 'on' : ''}
            aria-pressed={range === '24h'}
            onClick={() => useDashboard.getState().setMetricsRange('24h')}
          >
            24 hours
          </button>
          <button
            className={range === '30d' ? 'on' : ''}
            aria-pressed={range === '30d'}
            onClick={() => useDashboard.getState().setMetricsRange('30d')}
          >
            30 days
          </button>
        </div>
      </div>
      {error && <p className="db-error">{error}</p>}
      {firing.map((a) => (
        <p key={a.id} className={`db-alert severity-${a.severity}`} role="alert">
          <strong>{a.severity === 'critical' ? 'Critical' : 'Warning'}:</strong> {a.message}
        </p>
      ))}
      {m && totals && (
        <>
          <div className="db-charts">
            <Chart
              title="Requests"
              open={open === 'requests'}
              onOpen={() => toggle('requests')}
              value={`${fmtCount(totals.requests)}`}
              sub={perHour(totals.requestsPerMinute)}
              values={points.map((p) => p.requests)}
              labels={labels}
              axis={axis}
              kind="bar"
              format={(v) => `${fmtCount(v)} requests`}
            />
            <Chart
              title="Latency p95"
              open={open === 'latency'}
              onOpen={() => toggle('latency')}
              value={totals.p95Ms === null ? '–' : fmtMs(totals.p95Ms)}
              sub={
                totals.p50Ms === null ? 'no requests' : `p50 ${fmtMs(totals.p50Ms)} · p99 ${fmtMs(totals.p99Ms ?? 0)}`
              }
              values={points.map((p) => p.p95Ms)}
              labels={labels}
              axis={axis}
              kind="line"
              format={fmtMs}
              threshold={30_000}
            />
            <Chart
              title="Errors"
              open={open === 'errors'}
              onOpen={() => toggle('errors')}
              value={fmtCount(totals.errors)}
              sub={totals.errorRate === null ? 'no requests' : `${fmtPct(totals.errorRate)} of requests`}
              values={points.map((p) => p.errors)}
              labels={labels}
              axis={axis}
              kind="bar"
              tone="danger"
              format={(v) => `${fmtCount(v)} errors`}
            />
            <Chart
              title="Generation speed"
              open={open === 'speed'}
              onOpen={() => toggle('speed')}
              value={totals.tokensPerSecond === null ? '–' : fmtTps(totals.tokensPerSecond)}
              sub={`${plural(totals.replies, 'reply', 'replies')} · ${fmtCount(totals.tokens)} tokens`}
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
              <h3>Tool calls (30 days)</h3>
              {m.tools.length === 0 ? (
                <p className="muted small">No tool has run yet.</p>
              ) : (
                <ul className="db-bars">
                  {m.tools.slice(0, 8).map((t) => (
                    <li key={t.tool}>
                      <span className="db-bars-name">{t.tool}</span>
                      <span className="db-bars-track">
                        <span style={{ width: `${(t.calls / m.tools[0]!.calls) * 100}%` }} />
                      </span>
                      <span className="db-bars-value">
                        {t.calls}
                        {t.errors > 0 && <span className="db-err-count"> · {t.errors} failed</span>}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3>Models (30 days)</h3>
              {m.models.length === 0 ? (
                <p className="muted small">No replies yet.</p>
              ) : (
                <ul className="db-kv">
                  {m.models.slice(0, 6).map((x) => (
                    <li key={x.model}>
                      <span>{x.model}</span>
                      <span className="muted small">
                        {plural(x.replies, 'reply', 'replies')}
                        {x.tokensPerSecond !== null ? ` · ${fmtTps(x.tokensPerSecond)}` : ''}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <h3 className="db-sub-h">Conversations</h3>
              <p className="small">
                {m.messagesPerSession
                  ? `${m.messagesPerSession.average.toFixed(1)} messages on average, longest ${m.messagesPerSession.max}.`
                  : 'No conversations yet.'}
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
        aria-label={`${props.title}: ${props.open ? 'hide' : 'show'} the detailed chart`}
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
        ariaLabel={`${props.title} chart`}
      />
      <div className="db-chart-axis muted">
        <span>{props.axis[0]}</span>
        <span>{props.axis[1]}</span>
      </div>
    </figure>
  );
}
