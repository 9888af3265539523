import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { startHttpServer, type RunningServer } from './http-server';
import { MemoryLogger } from '../../test/doubles/memory-logger';

const TOKEN = 'test-token-0123456789abcdef';

describe('GET /metrics and /health checks (serve mode)', () => {
  let f: EngineFixture;
  let server: RunningServer;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
  });
  afterEach(async () => {
    await server.close();
    await f.close();
  });

  it('needs the bearer token', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('counts API requests and contract calls, not the bridge or static files twice', async () => {
    await fetch(`${server.url}/health`);
    await fetch(`${server.url}/api/v1/sessions`, { headers: auth });
    await fetch(`${server.url}/api/v1/nope`, { headers: auth }); // 404: a refusal, not an error
    await fetch(`${server.url}/bridge/call/sessions.list`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const text = await (await fetch(`${server.url}/metrics`, { headers: auth })).text();
    expect(text).toMatch(/^aeris_requests_total\{source="http"\} 3$/m);
    expect(text).toMatch(/^aeris_request_errors_total\{source="http"\} 0$/m);
    expect(text).toMatch(/^aeris_requests_total\{source="call"\} 1$/m);
    expect(text).toMatch(/^# TYPE aeris_request_duration_seconds summary$/m);
  });

  it('/health keeps its fields and adds the checks (with the token)', async () => {
    const body = (await (await fetch(`${server.url}/health`, { headers: auth })).json()) as {
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
