import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors';
import { openStore, type Store } from '../../store/store';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { BUCKET_BOUNDS_MS, bucketIndex, emptyPoint, mergeInto, observe, percentile } from './histogram';
import { instrumentHandlers } from './call-metrics';
import { HOUR_MS, MetricsService } from './metrics-service';
import { MetricsStore } from './metrics-store';
import { renderPrometheus } from './prometheus';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { ManualSchedule } from '../../../test/doubles/manual-schedule';

describe('histogram percentiles', () => {
  it('are exact when all samples are equal, and within a bucket otherwise', () => {
    const same = emptyPoint();
    for (let i = 0; i < 50; i++) observe(same, 42);
    expect([percentile(same, 0.5), percentile(same, 0.95), percentile(same, 0.99)]).toEqual([42, 42, 42]);

    const spread = emptyPoint();
    for (let ms = 1; ms <= 1000; ms++) observe(spread, ms);
    // True values: p50 = 500, p95 = 950, p99 = 990; buckets are ~1.5× apart, so allow ±25 %.
    expect(percentile(spread, 0.5)!).toBeGreaterThan(500 * 0.75);
    expect(percentile(spread, 0.5)!).toBeLessThan(500 * 1.25);
    expect(Math.abs(percentile(spread, 0.95)! - 950)).toBeLessThan(950 * 0.25);
    expect(Math.abs(percentile(spread, 0.99)! - 990)).toBeLessThan(990 * 0.25);
    expect(percentile(spread, 0.99)!).toBeLessThanOrEqual(1000);
    expect(percentile(emptyPoint(), 0.5)).toBeNull();
  });

  it('separate a slow tail from a fast body, and merge like one histogram', () => {
    const a = emptyPoint();
    const b = emptyPoint();
    for (let i = 0; i < 90; i++) observe(a, 10);
    for (let i = 0; i < 10; i++) observe(b, 40_000, false);
    const m = mergeInto(mergeInto(emptyPoint(), a), b);
    expect(m.count).toBe(100);
    expect(m.errors).toBe(10);
    expect(percentile(m, 0.5)).toBe(10);
    expect(percentile(m, 0.95)!).toBeGreaterThan(30_000);
    expect(percentile(m, 0.99)!).toBeLessThanOrEqual(40_000);
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(1e9)).toBe(BUCKET_BOUNDS_MS.length - 1);
  });
});

describe('MetricsService', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let clock: ManualClock;
  const file = () => path.join(tmp.dir, 'db.sqlite');
  const service = () => new MetricsService({ store: new MetricsStore(() => store.db), clock });

  beforeEach(() => {
    tmp = makeTempDir();
    // 10:20 local time, so hours and days have room on both sides.
    clock = new ManualClock(new Date(2026, 2, 10, 10, 20, 0).getTime());
    store = openStore(file(), clock);
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('puts samples in the hour they happened and reads 24 hourly and 30 daily points', () => {
    const m = service();
    m.recordRequest('http', 100, true);
    m.recordRequest('call', 300, false);
    clock.advance(-2 * HOUR_MS);
    m.recordRequest('http', 50, true);
    clock.advance(2 * HOUR_MS);
    const s = m.summary();
    expect(s.hourly).toHaveLength(24);
    expect(s.daily).toHaveLength(30);
    const last = s.hourly[23]!;
    expect(last.start).toBe(Math.floor(clock.now() / HOUR_MS) * HOUR_MS);
    expect(last).toMatchObject({ requests: 2, errors: 1, errorRate: 0.5 });
    expect(s.hourly[21]).toMatchObject({ requests: 1, errors: 0, p50Ms: 50 });
    expect(s.hourly[22]).toMatchObject({ requests: 0, errorRate: null, p95Ms: null });
    expect(s.daily[29]).toMatchObject({ requests: 3, errors: 1, start: new Date(2026, 2, 10).getTime() });
    expect(s.last24h.requests).toBe(3);
    expect(s.last24h.requestsPerMinute).toBeGreaterThan(0);
  });

  it('persists hourly buckets across an engine restart, adding to what is stored', () => {
    const schedule = new ManualSchedule();
    const a = new MetricsService({ store: new MetricsStore(() => store.db), clock, schedule: schedule.schedule });
    a.start();
    for (let i = 0; i < 4; i++) a.recordRequest('http', 20, true);
    schedule.tick(); // the periodic flush
    a.recordRequest('http', 20, false);
    a.close(); // the flush at close
    store.close();

    store = openStore(file(), clock);
    const b = service();
    expect(b.summary().hourly[23]).toMatchObject({ requests: 5, errors: 1 });
    b.recordRequest('http', 20, true);
    b.close();
    const rows = store.db.prepare('SELECT count, errors FROM metrics_hourly').all();
    expect(rows).toEqual([{ count: 6, errors: 1 }]);
    // Next day: 30 days keep it, the hour it happened is out of the 24-hour view.
    clock.advance(26 * HOUR_MS);
    const c = service().summary();
    expect(c.hourly.every((p) => p.requests === 0)).toBe(true);
    expect(c.daily[28]!.requests).toBe(6);
  });

  it('drops buckets past retention at flush', () => {
    const m = new MetricsService({ store: new MetricsStore(() => store.db), clock, retentionDays: 30 });
    m.recordRequest('http', 5, true);
    m.flush();
    clock.advance(31 * 24 * HOUR_MS);
    m.recordRequest('http', 5, true);
    m.flush();
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM metrics_hourly').get() as { n: number }).n).toBe(1);
  });

  it('follows chat events: tool calls per tool, tokens/s per model without tool time, conversation length', () => {
    const m = service();
    const base = { sessionId: 's1', messageId: 7 };
    m.observeChat({ type: 'start', streamId: '7', ...base, model: 'qwen2.5:3b' });
    clock.advance(2000); // loading the model: not generation
    m.observeChat({ type: 'token', streamId: '7', ...base, text: 'a', offset: 0 });
    clock.advance(1000);
    m.observeChat({
      type: 'tool',
      streamId: '7',
      ...base,
      seq: 1,
      name: 'compute_aqi',
      status: 'done',
      durationMs: 3000,
      activity: {} as never,
    });
    clock.advance(4000); // 1 s + 4 s wall, 3 s of it the tool: 2 s generating
    m.observeChat({
      type: 'done',
      streamId: '7',
      ...base,
      result: {
        response: 'x',
        session_id: 's1',
        message_id: 7,
        status: 'complete',
        tools_used: ['compute_aqi'],
        message_count: 4,
        tokens_used: 40,
        cached: false,
        model: 'qwen2.5:3b',
        warning: null,
      },
    });
    m.observeChat({ type: 'start', streamId: '9', ...base, model: 'llama3.1:8b' });
    m.observeChat({ type: 'error', streamId: '9', ...base, error: { code: 'ollama_error', message: 'x' } });
    const s = m.summary();
    expect(s.tools).toEqual([{ tool: 'compute_aqi', calls: 1, errors: 0, p95Ms: 3000 }]);
    expect(s.models.find((x) => x.model === 'qwen2.5:3b')).toMatchObject({
      replies: 1,
      tokens: 40,
      tokensPerSecond: 20,
    });
    expect(s.models.find((x) => x.model === 'llama3.1:8b')).toMatchObject({
      replies: 1,
      errors: 1,
      tokensPerSecond: null,
    });
    expect(s.messagesPerSession).toEqual({ average: 4, max: 4 });
    expect(s.hourly[23]).toMatchObject({ toolCalls: 1, replies: 2, tokens: 40, tokensPerSecond: 20 });
  });

  it('alerts on the seed’s thresholds over the last hour, and not on too few requests', () => {
    const m = service();
    for (let i = 0; i < 3; i++) m.recordRequest('http', 10, false);
    let [err, lat] = m.alerts();
    expect(err).toMatchObject({ id: 'error_rate', severity: 'critical', firing: false, value: null });
    expect(err!.message).toMatch(/only 3 requests/);
    for (let i = 0; i < 17; i++) m.recordRequest('http', 10, true);
    [err] = m.alerts();
    expect(err).toMatchObject({ firing: true, value: 0.15 });
    expect(err!.message).toBe('15 % of 20 requests failed in the last hour (alert above 5.0 %).');
    for (let i = 0; i < 20; i++) m.recordRequest('call', 45_000, true);
    [err, lat] = m.alerts();
    expect(err!.firing).toBe(true);
    expect(lat).toMatchObject({ id: 'latency_p95', severity: 'warning', firing: true });
    clock.advance(HOUR_MS + 1);
    [err, lat] = m.alerts();
    expect(err!.firing || lat!.firing).toBe(false);
  });

  it('renders Prometheus text that parses line by line', () => {
    const m = service();
    m.recordRequest('http', 120, true);
    m.recordRequest('http', 80, false);
    m.recordRequest('call', 3, true);
    m.recordTool('get_city_air_quality', 900, true);
    m.recordReply('qwen2.5:3b', 100, 4000, true);
    m.recordReply('we"ird\\model\nname', 10, 1000, true);
    m.recordSessionLength(6);
    const text = renderPrometheus(m, clock.now());
    expect(text.endsWith('\n')).toBe(true);
    const typed = new Map<string, string>();
    const helped = new Set<string>();
    const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
    const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
    const SAMPLE = new RegExp(
      `^(${NAME})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*",?)*)\\})? (\\S+)$`,
    );
    for (const line of text.trimEnd().split('\n')) {
      let m2: RegExpExecArray | null;
      if ((m2 = new RegExp(`^# HELP (${NAME}) .+$`).exec(line))) helped.add(m2[1]!);
      else if ((m2 = new RegExp(`^# TYPE (${NAME}) (counter|gauge|summary|histogram|untyped)$`).exec(line))) {
        expect(typed.has(m2[1]!), `TYPE twice for ${m2[1]}`).toBe(false);
        typed.set(m2[1]!, m2[2]!);
      } else {
        const s = SAMPLE.exec(line);
        expect(s, `not a valid sample line: ${line}`).not.toBeNull();
        const labels: Record<string, string> = {};
        for (const [, k, v] of (s![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
        const value = Number(s![3] === '+Inf' ? Infinity : s![3]);
        expect(Number.isNaN(value), line).toBe(false);
        const family = s![1]!.replace(/_(sum|count)$/, '');
        expect(typed.has(s![1]!) || typed.get(family) === 'summary', `sample before its TYPE: ${line}`).toBe(true);
        samples.push({ name: s![1]!, labels, value });
      }
    }
    for (const name of typed.keys()) expect(helped.has(name)).toBe(true);
    const get = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(get('aeris_requests_total', { source: 'http' })).toBe(2);
    expect(get('aeris_request_errors_total', { source: 'http' })).toBe(1);
    expect(get('aeris_requests_total', { source: 'call' })).toBe(1);
    expect(get('aeris_request_duration_seconds_count', { source: 'http' })).toBe(2);
    expect(get('aeris_request_duration_seconds_sum', { source: 'http' })).toBeCloseTo(0.2);
    expect(get('aeris_request_duration_seconds', { source: 'http', quantile: '0.99' })).toBeLessThanOrEqual(0.12);
    expect(get('aeris_tool_calls_total', { tool: 'get_city_air_quality' })).toBe(1);
    expect(get('aeris_tokens_per_second', { model: 'qwen2.5:3b' })).toBe(25);
    expect(get('aeris_reply_tokens_total', { model: 'we\\"ird\\\\model\\nname' })).toBe(10);
    expect(get('aeris_session_messages_count')).toBe(1);
    expect(get('aeris_alert_firing', { alert: 'error_rate', severity: 'critical' })).toBe(0);
    expect(typed.get('aeris_request_duration_seconds')).toBe('summary');
    expect(typed.get('aeris_requests_total')).toBe('counter');
  });
});

describe('instrumentHandlers', () => {
  it('times every call, counts server errors but not refusals, and skips the dashboard’s own polling', async () => {
    const seen: { ms: number; ok: boolean }[] = [];
    const rec = {
      recordRequest: (_s: string, ms: number, ok: boolean) => seen.push({ ms, ok }),
      recordTool: () => undefined,
      recordReply: () => undefined,
      recordSessionLength: () => undefined,
    };
    const h = instrumentHandlers(rec, {
      'a.sync': () => 1,
      'a.async': async () => 2,
      'a.bad': async () => {
        throw new AppError('bad_request', 'no');
      },
      'a.boom': () => {
        throw new Error('boom');
      },
      'logs.tail': () => 3,
    });
    expect(h['a.sync']()).toBe(1);
    expect(await h['a.async']()).toBe(2);
    await expect(h['a.bad']()).rejects.toThrow('no');
    expect(() => h['a.boom']()).toThrow('boom');
    expect(h['logs.tail']()).toBe(3);
    expect(seen.map((s) => s.ok)).toEqual([true, true, true, false]);
  });
});
