import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { startHttpServer, type RunningServer } from './http-server';
import { RateLimiter, rateLimitFromEnv, SharedResult, StreamGate } from './load-limits';
import { ManualClock } from '../../test/doubles/manual-clock';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

describe('rate limiter (token bucket, injected clock)', () => {
  it('allows the per-minute budget at once, then refills evenly; clients are counted apart', () => {
    const clock = new ManualClock();
    const rl = new RateLimiter(60, clock);
    for (let i = 0; i < 60; i++) expect(rl.take('a').ok).toBe(true);
    expect(rl.take('a')).toEqual({ ok: false, retryAfterSec: 1 });
    expect(rl.take('b').ok).toBe(true);
    clock.advance(1_000);
    expect(rl.take('a').ok).toBe(true);
    expect(rl.take('a').ok).toBe(false);
  });

  it('Retry-After is the wait for one request; 0 per minute turns the limit off', () => {
    const clock = new ManualClock();
    const rl = new RateLimiter(2, clock);
    rl.take('a');
    rl.take('a');
    expect(rl.take('a')).toEqual({ ok: false, retryAfterSec: 30 });
    clock.advance(29_000);
    expect(rl.take('a')).toEqual({ ok: false, retryAfterSec: 1 });
    const off = new RateLimiter(0, clock);
    for (let i = 0; i < 1000; i++) expect(off.take('a').ok).toBe(true);
  });

  it('AERIS_RATE_LIMIT_PER_MINUTE: a whole number, else the default of 60', () => {
    expect(rateLimitFromEnv({})).toBe(60);
    expect(rateLimitFromEnv({ AERIS_RATE_LIMIT_PER_MINUTE: '5' })).toBe(5);
    expect(rateLimitFromEnv({ AERIS_RATE_LIMIT_PER_MINUTE: '0' })).toBe(0);
    expect(rateLimitFromEnv({ AERIS_RATE_LIMIT_PER_MINUTE: 'lots' })).toBe(60);
  });

  it('forgets the least recently seen clients past its cap', () => {
    const clock = new ManualClock();
    const rl = new RateLimiter(1, clock, 2);
    rl.take('a');
    rl.take('b');
    rl.take('c'); // 'a' is forgotten: it starts again with a full bucket
    expect(rl.take('a').ok).toBe(true);
    expect(rl.take('c').ok).toBe(false);
  });
});

describe('stream gate and shared result', () => {
  it('opens up to the cap; a release frees one place, once', () => {
    const gate = new StreamGate(2);
    const r1 = gate.tryOpen();
    expect(gate.tryOpen()).not.toBeNull();
    expect(gate.tryOpen()).toBeNull();
    r1!();
    r1!();
    expect(gate.count).toBe(1);
    expect(gate.tryOpen()).not.toBeNull();
    expect(gate.tryOpen()).toBeNull();
  });

  it('concurrent callers share one computation, and the answer is reused until it expires', async () => {
    const clock = new ManualClock();
    let runs = 0;
    const shared = new SharedResult(async () => ++runs, clock, 1_500);
    expect(await Promise.all(Array.from({ length: 50 }, () => shared.get()))).toEqual(Array(50).fill(1));
    clock.advance(1_499);
    expect(await shared.get()).toBe(1);
    clock.advance(1);
    expect(await shared.get()).toBe(2);
    const failing = new SharedResult<number>(() => Promise.reject(new Error('probe failed')), clock);
    await expect(failing.get()).rejects.toThrow('probe failed');
  });
});

describe('serve mode under load (real HTTP)', () => {
  let f: EngineFixture;
  let server: RunningServer;
  const clock = new ManualClock();

  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, {
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      rendererDir: null,
      limits: { ratePerMinute: 2, maxOpenStreams: 2, clock },
    });
  });
  afterEach(async () => {
    await server.close();
    await f.close();
  });

  const chat = (message: string) =>
    fetch(`${server.url}/api/v1/agent/chat`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ session_id: 'rate', message, model: 'qwen2.5:3b' }),
    });

  it('chat routes answer 429 with Retry-After past the per-minute limit, and work again after it', async () => {
    expect((await chat('one')).status).toBe(200);
    expect((await chat('two')).status).toBe(200);
    const limited = await chat('three');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(((await limited.json()) as { detail: string }).detail).toMatch(/Too many chat requests: try again in 30 s/);
    // The bridge's chat.send counts against the same budget; other calls do not.
    const bridged = await fetch(`${server.url}/bridge/call/chat.send`, { method: 'POST', headers: auth, body: '{}' });
    expect(bridged.status).toBe(429);
    const list = await fetch(`${server.url}/bridge/call/sessions.list`, { method: 'POST', headers: auth, body: '{}' });
    expect(list.status).toBe(200);
    clock.advance(30_000);
    expect((await chat('four')).status).toBe(200);
  });

  it('open event streams are capped: 503 with Retry-After past the cap, a place again once one closes', async () => {
    const open = async () => {
      const ac = new AbortController();
      const res = await fetch(`${server.url}/bridge/events`, { headers: auth, signal: ac.signal });
      return { res, close: () => ac.abort() };
    };
    const a = await open();
    const b = await open();
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    const c = await open();
    expect(c.res.status).toBe(503);
    expect(c.res.headers.get('retry-after')).toBe('5');
    expect(((await c.res.json()) as { error: string }).error).toMatch(/Too many open event streams \(2\)/);
    a.close();
    // The server frees the place when it sees the socket close: wait for that, not for a fixed time.
    let d = await open();
    for (let i = 0; d.res.status === 503 && i < 200; i++) {
      await new Promise((r) => setImmediate(r));
      d = await open();
    }
    expect(d.res.status).toBe(200);
    b.close();
    d.close();
  });

  it('/health: concurrent probes share one check; without the token only the light status', async () => {
    let checks = 0;
    const real = f.engine.health.check.bind(f.engine.health);
    f.engine.health.check = () => {
      checks++;
      return real();
    };
    const bodies = await Promise.all(
      Array.from({ length: 40 }, async () => (await fetch(`${server.url}/health`)).json() as Promise<object>),
    );
    expect(checks).toBe(1);
    expect(bodies[0]).toMatchObject({ status: 'healthy', database: 'connected', version: '0.1.0' });
    expect(Object.keys(bodies[0]!).sort()).toEqual(['cache', 'database', 'ollama', 'status', 'timestamp', 'version']);
    const full = (await (await fetch(`${server.url}/health`, { headers: auth })).json()) as { checks: unknown[] };
    expect(full.checks.length).toBeGreaterThan(0);
    expect(checks).toBe(1); // still inside the 1.5 s window
    clock.advance(1_500);
    await fetch(`${server.url}/health`);
    expect(checks).toBe(2);
  });
});
