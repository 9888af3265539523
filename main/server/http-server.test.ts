import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { startHttpServer, type RunningServer } from './http-server';

const TOKEN = 'test-token-0123456789abcdef';

// Test-only: the shapes are what the assertions check, so the parsed body stays loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

describe('serve mode HTTP API', () => {
  let f: EngineFixture;
  let server: RunningServer;
  const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
  });
  afterEach(async () => {
    await server.close();
    await f.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
    fetch(server.url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('GET /health is open and reports store, cache, Ollama and version', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ status: 'healthy', database: 'connected', cache: 'operational', version: '0.1.0' });
    expect(body.ollama).toMatch(/^connected/);
    expect(Date.parse(body.timestamp)).not.toBeNaN();
  });

  it('health is degraded (still 200) when Ollama is down', async () => {
    await f.emulator.close();
    const body = await json(await fetch(`${server.url}/health`));
    expect(body.status).toBe('degraded');
    expect(body.ollama).toMatch(/^unreachable/);
  });

  it('everything else needs the bearer token', async () => {
    expect((await fetch(`${server.url}/api/v1/sessions`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/sessions`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    expect((await post('/bridge/call/sessions.list', {}, { 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/sessions`, { headers: auth })).status).toBe(200);
  });

  it('rejects foreign Host and Origin headers (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(`${server.url}/health`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status({ Host: 'evil.example:80' })).toBe(403);
    expect(await status({ Host: `localhost:${server.port}` })).toBe(200);
    expect(await status({ Host: `127.0.0.1:${server.port}`, Origin: 'http://evil.example' })).toBe(403);
    expect(await status({ Host: `127.0.0.1:${server.port}`, Origin: `http://127.0.0.1:${server.port}` })).toBe(200);
  });

  it('POST /api/v1/agent/chat answers with the seed shape and keeps the session', async () => {
    f.emulator.script({ match: 'Nairobi', reply: { content: 'Nairobi PM2.5 is moderate.' } });
    const res = await post('/api/v1/agent/chat', {
      session_id: 'test',
      message: 'Air in Nairobi?',
      model: 'qwen2.5:3b',
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      response: 'Nairobi PM2.5 is moderate.',
      session_id: 'test',
      tools_used: [],
      message_count: 2,
      cached: false,
    });
    expect(typeof body.tokens_used).toBe('number');
    const msgs = await json(
      await fetch(`${server.url}/api/v1/sessions/test/messages?limit=1&offset=1`, { headers: auth }),
    );
    expect(msgs.messages).toHaveLength(1);
    expect(msgs.messages[0]).toMatchObject({ role: 'assistant', content: 'Nairobi PM2.5 is moderate.' });
    expect(msgs.count).toBe(1);
  });

  it('streams over SSE with every token, then the response, then done', async () => {
    f.emulator.script({ reply: { tokens: ['a', 'b', 'c', 'd'] } });
    const res = await post('/api/v1/agent/chat/stream', { message: 'hi', model: 'qwen2.5:3b' });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    const events = text
      .trim()
      .split('\n\n')
      .map((f) => ({ event: /event: (.*)/.exec(f)![1], data: JSON.parse(/data: (.*)/.exec(f)![1]!) }));
    expect(events[0]?.event).toBe('thought');
    expect(
      events
        .filter((e) => e.event === 'token')
        .map((e) => e.data.content)
        .join(''),
    ).toBe('abcd');
    expect(events.at(-2)).toMatchObject({ event: 'response', data: { data: { response: 'abcd' } } });
    expect(events.at(-1)).toMatchObject({ event: 'done', data: {} });
  });

  it('maps bad input to 400/422, unknown sessions to 404, oversize to 413, a full session to 429', async () => {
    expect((await post('/api/v1/agent/chat', '{not json')).status).toBe(400);
    expect((await post('/api/v1/agent/chat', { message: 42 })).status).toBe(422);
    expect((await post('/api/v1/agent/chat', [1, 2])).status).toBe(400);
    expect((await fetch(`${server.url}/api/v1/sessions/nope`, { headers: auth })).status).toBe(404);
    // As the original: an unknown session's messages are an empty page.
    expect((await fetch(`${server.url}/api/v1/sessions/nope/messages`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/sessions/nope`, { method: 'DELETE', headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/sessions?limit=abc`, { headers: auth })).status).toBe(422);
    expect((await post('/api/v1/agent/chat', { message: 'x'.repeat(33_000) })).status).toBe(413);
    expect((await post('/api/v1/agent/chat', { message: 'x'.repeat(2_000_000) })).status).toBe(413);
    const s = f.engine.store.sessions.create({ id: 'full', model: 'qwen2.5:3b' });
    for (let i = 0; i < 100; i++) f.engine.store.messages.insert({ sessionId: s.id, role: 'user', content: `m${i}` });
    const res = await post('/api/v1/agent/chat', { session_id: 'full', message: 'one more' });
    expect(res.status).toBe(429);
    expect(await json(res)).toMatchObject({ action_required: 'start_new_session', code: 'session_limit' });
  });

  it('a dead Ollama gives 503 with the reason', async () => {
    await f.emulator.close();
    const res = await post('/api/v1/agent/chat', { message: 'x', model: 'qwen2.5:3b' });
    expect(res.status).toBe(503);
    expect((await json(res)).detail).toMatch(/Ollama is not answering/);
  });

  it('creates, lists, fetches and deletes sessions', async () => {
    const created = await json(await post('/api/v1/sessions/new', { title: 'Field visit' }));
    expect(created.session_id).toMatch(/^[0-9a-f-]{36}$/);
    const list = await json(await fetch(`${server.url}/api/v1/sessions`, { headers: auth }));
    expect(list.map((s: { title: string }) => s.title)).toContain('Field visit');
    const one = await json(await fetch(`${server.url}/api/v1/sessions/${created.session_id}`, { headers: auth }));
    expect(one).toMatchObject({ title: 'Field visit', message_count: 0, messages: [] });
    const del = await fetch(`${server.url}/api/v1/sessions/${created.session_id}`, { method: 'DELETE', headers: auth });
    expect(await json(del)).toMatchObject({ status: 'success', session_id: created.session_id });
  });

  it('the contract bridge validates payloads and delivers events', async () => {
    const bad = await post('/bridge/call/sessions.rename', { id: 'x', title: 5 });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('bad_request');
    const unknown = await post('/bridge/call/nope.nope', {});
    expect(unknown.status).toBe(404);
    const extra = await post('/bridge/call/sessions.list', { limit: 5, evil: true });
    expect(extra.status).toBe(400);

    const ctrl = new AbortController();
    const events = await fetch(`${server.url}/bridge/events`, { headers: auth, signal: ctrl.signal });
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    const sent = await json(await post('/bridge/call/chat.send', { message: 'hello bridge', model: 'qwen2.5:3b' }));
    expect(sent.ok).toBe(true);
    let buf = '';
    while (!buf.includes('"type":"done"')) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
    }
    ctrl.abort();
    expect(buf).toContain('event: chat.event');
    expect(buf).toContain('You said: hello bridge'.split(' ')[0]);
    const hits = await json(await post('/bridge/call/search.messages', { query: 'bridge' }));
    expect(hits.result.hits.length).toBeGreaterThan(0);
  });

  it('without a built UI, / explains how to build it', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });
});
