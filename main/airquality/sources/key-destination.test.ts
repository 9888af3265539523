import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandlers } from '../../api/handlers';
import { dispatch } from '../../api/dispatch';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { DEFAULT_BASE_URLS, resolveSourcesConfig } from './source-config';

const SECRET = 'env-waqi-secret-5b1d0c77';

/** A loopback listener that records every request whole (URL, headers, body) and answers an empty JSON. */
async function recorder(): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"error","data":"Unknown station"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

interface WaqiStatus {
  keyConfigured: boolean;
  keyFrom: string;
  baseUrl: string;
}
const waqiStatus = (s: unknown): WaqiStatus =>
  (s as { sources: Array<WaqiStatus & { id: string }> }).sources.find((x) => x.id === 'waqi')!;

describe('keys go only where their owner sent them', () => {
  let rec: Awaited<ReturnType<typeof recorder>>;
  let f: EngineFixture | null = null;
  beforeEach(async () => {
    rec = await recorder();
  });
  afterEach(async () => {
    await f?.close();
    f = null;
    await rec.close();
  });

  /** One chat whose model asks for the city tool, as a person's question would. */
  const chatAboutLondon = async (fx: EngineFixture) => {
    fx.emulator.script({
      match: 'London',
      times: 1,
      reply: { toolCalls: [{ name: 'get_city_air_quality', arguments: { city: 'London' } }] },
    });
    fx.emulator.script({ times: 1, reply: { content: 'Here is what I found.' } });
    const handle = await fx.engine.chat.send({ message: 'Air in London?', model: 'qwen2.5:3b' });
    return handle.done;
  };

  it('a URL changed over the bridge never receives the key from the environment', async () => {
    // The token is in the environment with no URL beside it: it belongs to the provider's public URL.
    f = await engineFixture({
      env: {
        AERIS_WAQI_TOKEN: SECRET,
        // Every other source points at the recorder too, so nothing leaves this machine.
        AERIS_AIRQO_URL: rec.url,
        AERIS_OPENMETEO_URL: rec.url,
        AERIS_OPENAQ_URL: rec.url,
      },
    });
    const h = createHandlers(f.engine, 'serve');
    expect(waqiStatus(await dispatch(h, 'sources.status', {}))).toMatchObject({ keyFrom: 'env', keyConfigured: true });
    const after = waqiStatus(await dispatch(h, 'sources.update', { waqiUrl: `${rec.url}/x` }));
    // The UI sees the source has no key for this URL and asks for one.
    expect(after).toMatchObject({ baseUrl: `${rec.url}/x`, keyConfigured: false, keyFrom: 'none' });
    const r = await chatAboutLondon(f);
    expect(r.tools_used).toContain('get_city_air_quality');
    for (const req of rec.seen) expect(req).not.toContain(SECRET);
    expect(f.emulator.requests.map((q) => JSON.stringify(q.body)).join('\n')).not.toContain(SECRET);
  });

  it('Test connection sends no key to a URL changed over the bridge, and the env key only to its own URL', async () => {
    f = await engineFixture({ env: { AERIS_WAQI_TOKEN: SECRET } });
    const h = createHandlers(f.engine, 'serve');
    await dispatch(h, 'sources.update', { waqiUrl: rec.url });
    // The env key belongs to the public URL: the recorder gets no request at all, and the answer says why.
    expect(await dispatch(h, 'sources.test', { id: 'waqi' })).toMatchObject({ ok: false, reason: 'no_key' });
    expect(rec.seen).toHaveLength(0);
    // A key saved beside that URL goes there, and only that key.
    await dispatch(h, 'sources.update', { waqiUrl: rec.url, waqiToken: 'saved-for-recorder' });
    await dispatch(h, 'sources.test', { id: 'waqi' });
    expect(rec.seen).toHaveLength(1);
    expect(rec.seen[0]).toContain('saved-for-recorder');
    expect(rec.seen[0]).not.toContain(SECRET);
  });

  it('changing a source URL drops the key saved for it; a key sent with the new URL goes there', async () => {
    const waqi = new WaqiEmulator({ tokens: ['saved-for-emulator', 'new-key-for-x'] });
    await waqi.start();
    try {
      f = await engineFixture({
        // No cache: each chat calls the source again.
        env: {
          AERIS_CACHE_TTL_SECONDS: '0',
          AERIS_AIRQO_URL: rec.url,
          AERIS_OPENMETEO_URL: rec.url,
          AERIS_OPENAQ_URL: rec.url,
        },
      });
      const h = createHandlers(f.engine, 'serve');
      await dispatch(h, 'sources.update', { waqiUrl: waqi.url, waqiToken: 'saved-for-emulator' });
      expect((await chatAboutLondon(f)).tools_used).toContain('get_city_air_quality');
      expect(waqi.requests.some((q) => q.query.token === 'saved-for-emulator')).toBe(true);

      const moved = waqiStatus(await dispatch(h, 'sources.update', { waqiUrl: `${rec.url}/x` }));
      expect(moved).toMatchObject({ keyConfigured: false, keyFrom: 'none' });
      expect(f.engine.sourceSettings.get().waqiToken).toBeUndefined();
      await chatAboutLondon(f);
      for (const req of rec.seen) expect(req).not.toContain('saved-for-emulator');

      // URL and key together: the owner sent this key for this URL.
      await dispatch(h, 'sources.update', { waqiUrl: `${rec.url}/x`, waqiToken: 'new-key-for-x' });
      await chatAboutLondon(f);
      expect(rec.seen.some((q) => q.startsWith('GET /x/') && q.includes('new-key-for-x'))).toBe(true);
      // Leaving the URL as it is keeps the key (an unrelated edit does not drop it).
      await dispatch(h, 'sources.update', { defraUrl: rec.url });
      expect(f.engine.sourceSettings.get().waqiToken).toBe('new-key-for-x');
    } finally {
      await waqi.close();
    }
  });
});

describe('resolveSourcesConfig: which key goes with which URL', () => {
  it('env key only with the env URL or the public default; a saved key with its source', () => {
    const env = { AERIS_WAQI_TOKEN: 'E' };
    expect(resolveSourcesConfig(env).sources.waqi).toMatchObject({ baseUrl: DEFAULT_BASE_URLS.waqi, key: 'E' });
    expect(resolveSourcesConfig(env, { waqiUrl: 'http://evil.test' }).sources.waqi).toMatchObject({
      baseUrl: 'http://evil.test',
      key: null,
      configured: false,
    });
    // The saved URL may name the public default itself: the env key still fits it.
    expect(resolveSourcesConfig(env, { waqiUrl: `${DEFAULT_BASE_URLS.waqi}/` }).sources.waqi.key).toBe('E');
    const both = { AERIS_WAQI_URL: 'http://127.0.0.1:1/w', AERIS_WAQI_TOKEN: 'E' };
    expect(resolveSourcesConfig(both, { waqiUrl: 'http://evil.test' }).sources.waqi).toMatchObject({
      baseUrl: 'http://127.0.0.1:1/w',
      key: 'E',
      keyFrom: 'env',
    });
    // A saved key stays with its source (a change of the saved URL drops it; see the test above); the
    // operator's env URL may use it, as the Sources page shows that URL when the key is typed.
    expect(resolveSourcesConfig({ AERIS_WAQI_URL: 'http://127.0.0.1:1/w' }, { waqiToken: 'S' }).sources.waqi.key).toBe(
      'S',
    );
    expect(resolveSourcesConfig({}, { waqiToken: 'S', waqiUrl: 'http://x.test' }).sources.waqi.key).toBe('S');
    expect(resolveSourcesConfig({}, { waqiToken: 'S' }).sources.waqi.key).toBe('S');
  });
});
