import { engineMessage, type EngineText } from '../../../preload/shared/engine-messages';
import type { ChatEvent } from '../../chat/chat-events';
import type { Clock } from '../../core/clock';
import type { ComponentLogger } from '../logger';
import { intervalSchedule, type Schedule } from '../../core/ticker';
import { DAY_MS } from '../time-stamps';
import { emptyPoint, mergeInto, observe, percentile, type SeriesPoint } from './histogram';
import type { MetricsStore, SeriesName, StoredPoint } from './metrics-store';

export const HOUR_MS = 60 * 60 * 1000;

/** Where a request came from: the HTTP API in serve mode, or a contract call (IPC or the HTTP bridge). */
type RequestSource = 'http' | 'call';

/**
 * What services are handed to report what they did. Small on purpose: a shell or a test can pass a
 * no-op, and nothing that records depends on how metrics are kept.
 */
export interface MetricsRecorder {
  recordRequest(source: RequestSource, ms: number, ok: boolean): void;
  recordTool(tool: string, ms: number, ok: boolean): void;
  /** One finished reply: tokens generated, over `ms` of generation. */
  recordReply(model: string, tokens: number, ms: number, ok: boolean): void;
  /** The length of a conversation (messages) when a reply in it ends. */
  recordSessionLength(messages: number): void;
}

/** The seed's alert thresholds ("Set Up Alerts"). Disk usage is checked by the health model, which sees the disk. */
export const ALERT_THRESHOLDS = {
  /** Error rate > 5 %: critical. */
  errorRate: 0.05,
  /** Response time p95 > 30 s: warning. */
  latencyP95Ms: 30_000,
  /** Disk usage > 80 %: warning. */
  diskUsage: 0.8,
  /** Below this many requests in the window a rate is noise (1 failure in 3 is not a 33 % outage). */
  minRequests: 20,
  windowMs: HOUR_MS,
} as const;

export interface MetricAlert {
  id: 'error_rate' | 'latency_p95';
  severity: 'critical' | 'warning';
  firing: boolean;
  /** The measured value (a fraction, or ms); null without enough requests to tell. */
  value: number | null;
  threshold: number;
  /** In words, for the health card and `aeris health`. */
  message: string;
  /** `message` as a message id, for the UI's language (issue 15). */
  text?: EngineText;
}

interface MetricsPoint {
  /** Epoch ms where the bucket starts (an hour, or a local day). */
  start: number;
  requests: number;
  errors: number;
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  toolCalls: number;
  replies: number;
  tokens: number;
  tokensPerSecond: number | null;
}

interface MetricsTotals extends Omit<MetricsPoint, 'start'> {
  /** Requests per minute over the window. */
  requestsPerMinute: number;
}

interface MetricsSummary {
  generatedAt: number;
  /** The last 24 hours, oldest first; the last entry is the hour in progress. */
  hourly: MetricsPoint[];
  /** The last 30 local days, oldest first; the last entry is today. */
  daily: MetricsPoint[];
  last24h: MetricsTotals;
  last30d: MetricsTotals;
  /** Last 30 days, most used first. */
  tools: { tool: string; calls: number; errors: number; p95Ms: number | null }[];
  models: { model: string; replies: number; errors: number; tokens: number; tokensPerSecond: number | null }[];
  /** Conversation length when a reply ends, over the last 30 days. */
  messagesPerSession: { average: number; max: number } | null;
  alerts: MetricAlert[];
}

interface MetricsServiceDeps {
  store: MetricsStore;
  clock: Clock;
  logger?: ComponentLogger;
  schedule?: Schedule;
  /** How often the open buckets are written to SQLite (default one minute). */
  flushEveryMs?: number;
  /** Hours older than this are dropped at flush (default 90 days: the dashboard shows 30). */
  retentionDays?: number;
}

/** Per-series, per-label view of a set of points. */
type Grouped = Map<string, SeriesPoint>;

const key = (series: SeriesName, label: string) => `${series}\u0000${label}`;
const splitKey = (k: string): [SeriesName, string] => {
  const i = k.indexOf('\u0000');
  return [k.slice(0, i) as SeriesName, k.slice(i + 1)];
};

/** Local midnight of the day `daysAgo` before the one holding `ms` (DST-safe: built from the calendar date). */
function localDayStart(ms: number, daysAgo = 0): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - daysAgo).getTime();
}

/**
 * In-process metrics: requests, tool calls, replies (tokens/s per model) and conversation lengths, kept in
 * hourly buckets that are flushed to SQLite every minute and at close, read back for 24-hour and 30-day
 * charts, checked against the seed's alert thresholds, and rendered for Prometheus.
 */
export class MetricsService implements MetricsRecorder {
  /** Buckets not yet written: hour → series/label → point. */
  private pending = new Map<number, Grouped>();
  /** Everything since the process started, for Prometheus counters (which must only go up). */
  private readonly lifetime: Grouped = new Map();
  /** Requests of the last window, for alerts that must not wait for an hour to close. */
  private recent: { t: number; ms: number; ok: boolean }[] = [];
  private readonly streams = new Map<
    string,
    { model: string; startedAt: number; firstTokenAt: number | null; toolMs: number }
  >();
  private stopTimer: (() => void) | null = null;
  readonly startedAt: number;

  constructor(private readonly deps: MetricsServiceDeps) {
    this.startedAt = deps.clock.now();
  }

  // ---- recording -------------------------------------------------------------------------------------

  private add(series: SeriesName, label: string, ms: number, ok: boolean, extra = 0): void {
    const hour = Math.floor(this.deps.clock.now() / HOUR_MS) * HOUR_MS;
    let group = this.pending.get(hour);
    if (!group) this.pending.set(hour, (group = new Map<string, SeriesPoint>()));
    const k = key(series, label);
    for (const g of [group, this.lifetime]) {
      let p = g.get(k);
      if (!p) g.set(k, (p = emptyPoint()));
      observe(p, ms, ok, extra);
    }
  }

  recordRequest(source: RequestSource, ms: number, ok: boolean): void {
    this.add('request', source, ms, ok);
    const now = this.deps.clock.now();
    this.recent.push({ t: now, ms, ok });
    const cutoff = now - ALERT_THRESHOLDS.windowMs;
    if (this.recent.length > 50_000 || (this.recent[0] && this.recent[0].t < cutoff)) {
      this.recent = this.recent.filter((r) => r.t >= cutoff).slice(-50_000);
    }
  }

  recordTool(tool: string, ms: number, ok: boolean): void {
    this.add('tool', tool, ms, ok);
  }

  recordReply(model: string, tokens: number, ms: number, ok: boolean): void {
    this.add('reply', model, ms, ok, Math.max(0, tokens));
  }

  recordSessionLength(messages: number): void {
    // The length rides in the duration slot, so max and percentiles of conversation length come for free.
    this.add('session', '', messages, true, messages);
  }

  /**
   * Follows the engine's chat events: tool calls per tool, and tokens/s measured from the first token to
   * the end less the time tools ran meanwhile, so model loading, prompt reading and slow data sources do
   * not count as slow generation.
   */
  observeChat(e: ChatEvent): void {
    const s = this.streams.get(e.streamId);
    // Tokens are the hot path: only the first one of a reply reads the clock.
    if (e.type === 'token') {
      if (s && s.firstTokenAt === null) s.firstTokenAt = this.deps.clock.now();
      return;
    }
    const now = this.deps.clock.now();
    switch (e.type) {
      case 'start':
        this.streams.set(e.streamId, { model: e.model, startedAt: now, firstTokenAt: null, toolMs: 0 });
        return;
      case 'tool':
        if (e.status === 'running') return;
        this.recordTool(e.name, e.durationMs ?? 0, e.status === 'done');
        if (s && s.firstTokenAt !== null) s.toolMs += e.durationMs ?? 0;
        return;
      case 'done': {
        this.streams.delete(e.streamId);
        const from = s?.firstTokenAt ?? s?.startedAt ?? now;
        this.recordReply(e.result.model, e.result.tokens_used, Math.max(1, now - from - (s?.toolMs ?? 0)), true);
        this.recordSessionLength(e.result.message_count);
        return;
      }
      case 'error':
        this.streams.delete(e.streamId);
        this.recordReply(s?.model ?? 'unknown', 0, s ? now - s.startedAt : 0, false);
        return;
    }
  }

  // ---- persistence -----------------------------------------------------------------------------------

  /** Writes the open buckets to SQLite. A failed write keeps them for the next try. */
  flush(): void {
    if (this.pending.size === 0) return;
    const points: StoredPoint[] = [];
    for (const [hour, group] of this.pending) {
      for (const [k, point] of group) {
        const [series, label] = splitKey(k);
        points.push({ hour, series, label, point });
      }
    }
    const taken = this.pending;
    this.pending = new Map();
    try {
      this.deps.store.add(points);
      this.deps.store.prune(this.deps.clock.now() - (this.deps.retentionDays ?? 90) * DAY_MS);
    } catch (err) {
      // Put them back (merged with anything recorded meanwhile) so nothing is lost to a busy or full disk.
      for (const [hour, group] of taken) {
        let g = this.pending.get(hour);
        if (!g) this.pending.set(hour, (g = new Map<string, SeriesPoint>()));
        for (const [k, p] of group) g.set(k, g.has(k) ? mergeInto(g.get(k)!, p) : p);
      }
      this.deps.logger?.warn('metrics flush failed', { error: String(err) });
    }
  }

  /** Flushes every minute until `close()`. */
  start(): void {
    if (this.stopTimer) return;
    this.stopTimer = (this.deps.schedule ?? intervalSchedule)(() => this.flush(), this.deps.flushEveryMs ?? 60_000);
  }

  close(): void {
    this.stopTimer?.();
    this.stopTimer = null;
    this.flush();
  }

  // ---- reading ---------------------------------------------------------------------------------------

  /** Stored and unflushed points with hour in [from, to). */
  private points(from: number, to: number): StoredPoint[] {
    let stored: StoredPoint[] = [];
    try {
      stored = this.deps.store.range(from, to);
    } catch (err) {
      this.deps.logger?.warn('metrics read failed', { error: String(err) });
    }
    for (const [hour, group] of this.pending) {
      if (hour < from || hour >= to) continue;
      for (const [k, point] of group) {
        const [series, label] = splitKey(k);
        stored.push({ hour, series, label, point: mergeInto(emptyPoint(), point) });
      }
    }
    return stored;
  }

  summary(): MetricsSummary {
    const now = this.deps.clock.now();
    const hourNow = Math.floor(now / HOUR_MS) * HOUR_MS;
    const hourlyFrom = hourNow - 23 * HOUR_MS;
    const dayStarts = Array.from({ length: 30 }, (_, i) => localDayStart(now, 29 - i));
    const from = Math.min(hourlyFrom, dayStarts[0]!);
    const all = this.points(from - HOUR_MS, hourNow + HOUR_MS);

    const hourly = Array.from({ length: 24 }, () => new Map() as Grouped);
    const daily = Array.from({ length: 30 }, () => new Map() as Grouped);
    const last24: Grouped = new Map();
    const last30: Grouped = new Map();
    const fold = (g: Grouped, k: string, p: SeriesPoint) => g.set(k, mergeInto(g.get(k) ?? emptyPoint(), p));
    for (const sp of all) {
      const k = key(sp.series, sp.label);
      const h = (sp.hour - hourlyFrom) / HOUR_MS;
      if (h >= 0 && h < 24) {
        fold(hourly[h]!, k, sp.point);
        fold(last24, k, sp.point);
      }
      // A bucket belongs to the local day its hour starts in.
      let d = -1;
      for (let i = dayStarts.length - 1; i >= 0; i--) {
        if (sp.hour >= dayStarts[i]!) {
          d = i;
          break;
        }
      }
      if (d >= 0) {
        fold(daily[d]!, k, sp.point);
        fold(last30, k, sp.point);
      }
    }
    const windowMinutes = (start: number) => Math.max(1, (now - start) / 60_000);
    const bySeries = (g: Grouped, series: SeriesName) =>
      [...g].filter(([k]) => splitKey(k)[0] === series).map(([k, p]) => [splitKey(k)[1], p] as const);

    const tools = bySeries(last30, 'tool')
      .map(([tool, p]) => ({ tool, calls: p.count, errors: p.errors, p95Ms: percentile(p, 0.95) }))
      .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
    const models = bySeries(last30, 'reply')
      .map(([model, p]) => ({
        model,
        replies: p.count,
        errors: p.errors,
        tokens: p.extra,
        tokensPerSecond: tokensPerSecond(p),
      }))
      .sort((a, b) => b.replies - a.replies || a.model.localeCompare(b.model));
    const sessions = last30.get(key('session', ''));
    return {
      generatedAt: now,
      hourly: hourly.map((g, i) => pointOf(hourlyFrom + i * HOUR_MS, g)),
      daily: daily.map((g, i) => pointOf(dayStarts[i]!, g)),
      last24h: { ...pointOf(0, last24), requestsPerMinute: requestsOf(last24).count / windowMinutes(hourlyFrom) },
      last30d: { ...pointOf(0, last30), requestsPerMinute: requestsOf(last30).count / windowMinutes(dayStarts[0]!) },
      tools,
      models,
      messagesPerSession:
        sessions && sessions.count > 0 ? { average: sessions.extra / sessions.count, max: sessions.maxMs } : null,
      alerts: this.alerts(),
    };
  }

  /** The seed's request alerts over the last hour: error rate > 5 % (critical), p95 > 30 s (warning). */
  alerts(): MetricAlert[] {
    const cutoff = this.deps.clock.now() - ALERT_THRESHOLDS.windowMs;
    const recent = this.recent.filter((r) => r.t >= cutoff);
    const enough = recent.length >= ALERT_THRESHOLDS.minRequests;
    const errors = recent.filter((r) => !r.ok).length;
    const rate = recent.length ? errors / recent.length : null;
    const p = emptyPoint();
    for (const r of recent) observe(p, r.ms);
    const p95 = percentile(p, 0.95);
    const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
    const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
    const tooFew = `only ${recent.length} request${recent.length === 1 ? '' : 's'} in the last hour (${ALERT_THRESHOLDS.minRequests} needed to judge)`;
    const errorFiring = enough && rate !== null && rate > ALERT_THRESHOLDS.errorRate;
    const latencyFiring = p95 !== null && recent.length >= 5 && p95 > ALERT_THRESHOLDS.latencyP95Ms;
    return [
      {
        id: 'error_rate',
        severity: 'critical',
        firing: errorFiring,
        value: enough ? rate : null,
        threshold: ALERT_THRESHOLDS.errorRate,
        message: !enough
          ? `Error rate not judged: ${tooFew}.`
          : `${pct(rate ?? 0)} of ${recent.length} requests failed in the last hour (alert above ${pct(ALERT_THRESHOLDS.errorRate)}).`,
        text: !enough
          ? engineMessage('health.errorRateNotJudged', { count: recent.length, needed: ALERT_THRESHOLDS.minRequests })
          : engineMessage('health.errorRate', {
              percent: Math.round((rate ?? 0) * 1000) / 10,
              requests: recent.length,
              threshold: ALERT_THRESHOLDS.errorRate * 100,
            }),
      },
      {
        id: 'latency_p95',
        severity: 'warning',
        firing: latencyFiring,
        value: recent.length >= 5 ? p95 : null,
        threshold: ALERT_THRESHOLDS.latencyP95Ms,
        message:
          recent.length < 5 || p95 === null
            ? `Response time not judged: only ${recent.length} requests in the last hour.`
            : `95 % of requests in the last hour took up to ${secs(p95)} (alert above ${secs(ALERT_THRESHOLDS.latencyP95Ms)}).`,
        text:
          recent.length < 5 || p95 === null
            ? engineMessage('health.latencyNotJudged', { count: recent.length })
            : engineMessage('health.latency', {
                seconds: Math.round(p95 / 10) / 100,
                threshold: ALERT_THRESHOLDS.latencyP95Ms / 1000,
              }),
      },
    ];
  }

  /** Since the process started, per series and label (Prometheus counters). */
  lifetimeSeries(): { series: SeriesName; label: string; point: SeriesPoint }[] {
    return [...this.lifetime].map(([k, point]) => {
      const [series, label] = splitKey(k);
      return { series, label, point };
    });
  }
}

function requestsOf(g: Grouped): SeriesPoint {
  const p = emptyPoint();
  for (const [k, v] of g) if (splitKey(k)[0] === 'request') mergeInto(p, v);
  return p;
}

export function tokensPerSecond(reply: SeriesPoint): number | null {
  return reply.sumMs > 0 && reply.extra > 0 ? reply.extra / (reply.sumMs / 1000) : null;
}

function pointOf(start: number, g: Grouped): MetricsPoint {
  const req = requestsOf(g);
  const reply = emptyPoint();
  let toolCalls = 0;
  for (const [k, v] of g) {
    const [series] = splitKey(k);
    if (series === 'reply') mergeInto(reply, v);
    if (series === 'tool') toolCalls += v.count;
  }
  return {
    start,
    requests: req.count,
    errors: req.errors,
    errorRate: req.count ? req.errors / req.count : null,
    p50Ms: percentile(req, 0.5),
    p95Ms: percentile(req, 0.95),
    p99Ms: percentile(req, 0.99),
    toolCalls,
    replies: reply.count,
    tokens: reply.extra,
    tokensPerSecond: tokensPerSecond(reply),
  };
}
