import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { startHttpServer, type RunningServer } from './http-server';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
const words = (seed: number, n: number) => Array.from({ length: n }, (_, j) => `w${seed}x${j}`).join(' ');

/** What an HTTP client sees when the data dir's disk is full: 507 and words, from every kind of route. */
describe('HTTP on a full disk', () => {
  let f: EngineFixture;
  let server: RunningServer;
  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
  });
  afterEach(async () => {
    await server.close();
    await f.close();
  });

  // SQLite's page cap fails the next write that needs a page with the SQLITE_FULL a full disk gives.
  const fillDisk = () =>
    f.engine.store.db.pragma(`max_page_count = ${f.engine.store.db.pragma('page_count', { simple: true }) as number}`);

  it('the seed chat route answers 507 disk_full naming the data dir', async () => {
    fillDisk();
    const res = await fetch(`${server.url}/api/v1/agent/chat`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ message: words(1, 3000), model: 'qwen2.5:3b' }),
    });
    expect(res.status).toBe(507);
    // The original API's error shape: `detail` in words, plus our stable `code`.
    const body = (await res.json()) as { detail: string; code: string };
    expect(body.code).toBe('disk_full');
    expect(body.detail).toMatch(/^The disk is full: AERIS-AQ could not save on the disk that holds /);
    expect(body.detail).toContain(f.dataDir);
  });

  it('a bridge call whose store write fails underneath answers 507 disk_full, not 500', async () => {
    const s = f.engine.store.sessions.create({ title: 'notes' });
    for (let i = 0; i < 20; i++)
      f.engine.store.messages.insert({ sessionId: s.id, role: 'user', content: words(i, 300) });
    // Full before anything is indexed: the search has to index first, and cannot.
    fillDisk();
    const res = await fetch(`${server.url}/bridge/call/search.messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ query: 'w3x7' }),
    });
    expect(res.status).toBe(507);
    const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect(body.error.message).toContain(f.dataDir);

    // The same call works once there is room.
    f.engine.store.db.pragma('max_page_count = 1073741823');
    const again = await fetch(`${server.url}/bridge/call/search.messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ query: 'w3x7' }),
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { result: { hits: unknown[] } }).result.hits).toHaveLength(1);
  });
});
