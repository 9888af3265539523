import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { servePerTest } from '../../test/helpers/serve-fixture';
import { MemoryLogger } from '../../test/doubles/memory-logger';

describe('GET /metrics and /health checks (serve mode)', () => {
  const fx = servePerTest();

  it('needs the bearer token', async () => {
    const none = await fetch(`${fx.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${fx.url}/metrics`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    const ok = await fx.fetch('/metrics');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('counts API requests and contract calls, not the bridge or static files twice', async () => {
    await fetch(`${fx.url}/health`);
    await fx.fetch('/api/v1/sessions');
    await fx.fetch('/api/v1/nope'); // 404: a refusal, not an error
    await fx.fetch('/bridge/call/sessions.list', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    const text = await (await fx.fetch('/metrics')).text();
    expect(text).toMatch(/^aeris_requests_total\{source="http"\} 3$/m);
    expect(text).toMatch(/^aeris_request_errors_total\{source="http"\} 0$/m);
    expect(text).toMatch(/^aeris_requests_total\{source="call"\} 1$/m);
    expect(text).toMatch(/^# TYPE aeris_request_duration_seconds summary$/m);
  });

  it('/health keeps its fields and adds the checks (with the token)', async () => {
    const body = (await (await fx.fetch('/health')).json()) as {
      status: string;
      database: string;
      checks: { id: string; status: string; reason: string }[];
    };
    expect(body).toMatchObject({ status: 'healthy', database: 'connected' });
    expect(body.checks.map((c) => c.id)).toEqual([
      'store',
      'ollama',
      'cache',
      'sources',
      'disk',
      'backup',
      'errors',
      'latency',
    ]);
    expect(body.checks.find((c) => c.id === 'backup')).toMatchObject({
      status: 'warn',
      reason: expect.stringMatching(/No backup yet/),
    });
  });
});

describe('metrics across an engine restart', () => {
  it('are flushed at close and read back by the next engine on the same data dir', async () => {
    const tmp = makeTempDir();
    try {
      const a = createEngine({
        dataDir: tmp.dir,
        ollamaHost: 'http://127.0.0.1:9',
        env: {},
        logger: new MemoryLogger(),
      });
      a.metrics.recordRequest('http', 40, true);
      a.metrics.recordRequest('call', 60, false);
      await a.close();
      const b = createEngine({
        dataDir: tmp.dir,
        ollamaHost: 'http://127.0.0.1:9',
        env: {},
        logger: new MemoryLogger(),
      });
      const s = b.metrics.summary();
      expect(s.last24h).toMatchObject({ requests: 2, errors: 1 });
      await b.close();
    } finally {
      tmp.cleanup();
    }
  });
});
