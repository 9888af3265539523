import { percentile, type SeriesPoint } from './histogram';
import { tokensPerSecond, type MetricsService } from './metrics-service';
import type { SeriesName } from './metrics-store';

/** Prometheus text exposition format 0.0.4 (what `GET /metrics` answers). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(Math.round(v * 1e6) / 1e6);
}

class Writer {
  private readonly lines: string[] = [];
  family(name: string, type: 'counter' | 'gauge' | 'summary', help: string): this {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }
  sample(name: string, labels: Record<string, string>, value: number): this {
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
    this.lines.push(`${name}${l ? `{${l}}` : ''} ${num(value)}`);
    return this;
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/**
 * Counters and latency summaries since the process started (Prometheus' `rate()` copes with restarts),
 * plus gauges for the last hour and the seed's alerts.
 */
export function renderPrometheus(metrics: MetricsService, nowMs: number): string {
  const all = metrics.lifetimeSeries();
  const of = (series: SeriesName) =>
    all.filter((s) => s.series === series).sort((a, b) => a.label.localeCompare(b.label));
  const w = new Writer();

  const requests = of('request');
  w.family('aeris_requests_total', 'counter', 'Requests handled: HTTP API (serve mode) and contract calls.');
  for (const r of requests) w.sample('aeris_requests_total', { source: r.label }, r.point.count);
  w.family('aeris_request_errors_total', 'counter', 'Requests that failed on the server side (5xx, internal errors).');
  for (const r of requests) w.sample('aeris_request_errors_total', { source: r.label }, r.point.errors);
  summary(w, 'aeris_request_duration_seconds', 'Request latency.', requests, 'source');

  const tools = of('tool');
  w.family('aeris_tool_calls_total', 'counter', 'Agent tool executions, per tool.');
  for (const t of tools) w.sample('aeris_tool_calls_total', { tool: t.label }, t.point.count);
  w.family('aeris_tool_errors_total', 'counter', 'Agent tool executions that returned an error.');
  for (const t of tools) w.sample('aeris_tool_errors_total', { tool: t.label }, t.point.errors);
  summary(w, 'aeris_tool_duration_seconds', 'Agent tool execution time.', tools, 'tool');

  const replies = of('reply');
  w.family('aeris_replies_total', 'counter', 'Chat replies finished, per model.');
  for (const r of replies) w.sample('aeris_replies_total', { model: r.label }, r.point.count);
  w.family('aeris_reply_errors_total', 'counter', 'Chat replies that ended in an error, per model.');
  for (const r of replies) w.sample('aeris_reply_errors_total', { model: r.label }, r.point.errors);
  w.family('aeris_reply_tokens_total', 'counter', 'Tokens generated, per model.');
  for (const r of replies) w.sample('aeris_reply_tokens_total', { model: r.label }, r.point.extra);
  w.family('aeris_reply_generation_seconds_total', 'counter', 'Time spent generating, first token to last, per model.');
  for (const r of replies) w.sample('aeris_reply_generation_seconds_total', { model: r.label }, r.point.sumMs / 1000);
  w.family('aeris_tokens_per_second', 'gauge', 'Generation speed since the process started, per model.');
  for (const r of replies) {
    const tps = tokensPerSecond(r.point);
    if (tps !== null) w.sample('aeris_tokens_per_second', { model: r.label }, tps);
  }

  const session = of('session')[0]?.point;
  w.family('aeris_session_messages', 'summary', 'Conversation length (messages) when a reply ends.');
  if (session && session.count > 0) {
    for (const q of [0.5, 0.95])
      w.sample('aeris_session_messages', { quantile: String(q) }, percentile(session, q) ?? 0);
    w.sample('aeris_session_messages_sum', {}, session.sumMs);
    w.sample('aeris_session_messages_count', {}, session.count);
  }

  const alerts = metrics.alerts();
  w.family('aeris_alert_firing', 'gauge', "1 while one of the seed's alert thresholds is crossed (last hour).");
  for (const a of alerts) w.sample('aeris_alert_firing', { alert: a.id, severity: a.severity }, a.firing ? 1 : 0);
  const errorRate = alerts.find((a) => a.id === 'error_rate')?.value;
  if (errorRate !== null && errorRate !== undefined) {
    w.family('aeris_error_ratio', 'gauge', 'Failed requests / all requests over the last hour.');
    w.sample('aeris_error_ratio', {}, errorRate);
  }
  w.family('aeris_process_start_time_seconds', 'gauge', 'When this process started (Unix time).');
  w.sample('aeris_process_start_time_seconds', {}, metrics.startedAt / 1000);
  w.family('aeris_scrape_time_seconds', 'gauge', 'When this page was rendered (Unix time).');
  w.sample('aeris_scrape_time_seconds', {}, nowMs / 1000);
  return w.text();
}

function summary(
  w: Writer,
  name: string,
  help: string,
  items: { label: string; point: SeriesPoint }[],
  labelName: string,
): void {
  w.family(name, 'summary', help);
  for (const it of items) {
    for (const q of [0.5, 0.95, 0.99]) {
      const v = percentile(it.point, q);
      if (v !== null) w.sample(name, { [labelName]: it.label, quantile: String(q) }, v / 1000);
    }
    w.sample(`${name}_sum`, { [labelName]: it.label }, it.point.sumMs / 1000);
    w.sample(`${name}_count`, { [labelName]: it.label }, it.point.count);
  }
}
