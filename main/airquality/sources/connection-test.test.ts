import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandlers } from '../../api/handlers';
import { dispatch } from '../../api/dispatch';
import { AppError } from '../../core/errors';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import type { MemoryLogger } from '../../../test/doubles/memory-logger';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { AirQoEmulator } from '../../../e2e/emulators/airqo-emulator';
import { OpenAqEmulator } from '../../../e2e/emulators/openaq-emulator';
import { OpenMeteoEmulator } from '../../../e2e/emulators/openmeteo-emulator';
import type { SourceTestDto, SourcesStatusDto } from '../../../preload/contract';
import { envLockedFields } from './source-config';

type Handlers = ReturnType<typeof createHandlers>;
const testOf = async (h: Handlers, id: string) => (await dispatch(h, 'sources.test', { id })) as SourceTestDto;
const statusOf = async (h: Handlers) => (await dispatch(h, 'sources.status', {})) as SourcesStatusDto;

/** A loopback port that nothing listens on: bound, then closed, so a connection to it is refused. */
async function closedPort(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('sources.test: one small real request per source', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });
  const start = async <T extends { start(): Promise<T>; close(): Promise<void> }>(e: T): Promise<T> => {
    await e.start();
    closers.push(() => e.close());
    return e;
  };
  const engine = async (env: NodeJS.ProcessEnv): Promise<EngineFixture> => {
    const f = await engineFixture({ env });
    closers.push(() => f.close());
    return f;
  };

  it('a good key answers ok with a time, for each keyed source and Open-Meteo', async () => {
    const waqi = await start(new WaqiEmulator({ tokens: ['good-waqi'] }));
    const airqo = await start(new AirQoEmulator({ tokens: ['good-airqo'] }));
    const openaq = await start(new OpenAqEmulator({ keys: ['good-openaq'] }));
    const meteo = await start(new OpenMeteoEmulator());
    const f = await engine({
      AERIS_WAQI_URL: waqi.url,
      AERIS_WAQI_TOKEN: 'good-waqi',
      AERIS_AIRQO_URL: airqo.baseUrl,
      AERIS_AIRQO_TOKEN: 'good-airqo',
      AERIS_OPENAQ_URL: openaq.baseUrl,
      AERIS_OPENAQ_KEY: 'good-openaq',
      AERIS_OPENMETEO_URL: meteo.url,
    });
    const h = createHandlers(f.engine, 'serve');
    for (const id of ['waqi', 'airqo', 'openaq', 'openmeteo'] as const) {
      const r = await testOf(h, id);
      expect(r, id).toMatchObject({ ok: true });
      expect(r.ok && r.ms, id).toBeGreaterThan(0);
    }
    // Each request reached its own emulator with its own key.
    expect(waqi.requests.at(-1)?.query.token).toBe('good-waqi');
    expect(airqo.requests.at(-1)?.query.token).toBe('good-airqo');
    expect(openaq.requests.at(-1)?.apiKey).toBe('good-openaq');
    expect(meteo.requests.at(-1)?.path).toBe('/v1/air-quality');
  });

  it('a wrong key is "key refused" from the source’s real error reply (WAQI 200 "Invalid key", AirQo and OpenAQ 401)', async () => {
    const waqi = await start(new WaqiEmulator({ tokens: ['good-waqi'] }));
    const airqo = await start(new AirQoEmulator({ tokens: ['good-airqo'] }));
    const openaq = await start(new OpenAqEmulator({ keys: ['good-openaq'] }));
    const f = await engine({
      AERIS_WAQI_URL: waqi.url,
      AERIS_WAQI_TOKEN: 'wrong-waqi-7f3a',
      AERIS_AIRQO_URL: airqo.baseUrl,
      AERIS_AIRQO_TOKEN: 'wrong-airqo-7f3a',
      AERIS_OPENAQ_URL: openaq.baseUrl,
      AERIS_OPENAQ_KEY: 'wrong-openaq-7f3a',
    });
    const h = createHandlers(f.engine, 'serve');
    for (const id of ['waqi', 'airqo', 'openaq'] as const) {
      const r = await testOf(h, id);
      expect(r, id).toMatchObject({ ok: false, reason: 'key_refused' });
      expect(JSON.stringify(r)).not.toContain('7f3a');
    }
    // One request each: a test is not retried.
    expect(waqi.requests).toHaveLength(1);
    expect(airqo.requests).toHaveLength(1);
    expect(openaq.requests).toHaveLength(1);
    // The log says which source and why, never the key.
    const logged = JSON.stringify((f.engine.logger as MemoryLogger).entries);
    expect(logged).toContain('key_refused');
    expect(logged).not.toContain('7f3a');
  });

  it('a closed port is "not reachable"; a source with no key says so without calling it', async () => {
    const closed = await closedPort();
    const f = await engine({ AERIS_WAQI_URL: closed, AERIS_WAQI_TOKEN: 'k-1234', AERIS_AIRQO_URL: closed });
    const h = createHandlers(f.engine, 'serve');
    expect(await testOf(h, 'waqi')).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(await testOf(h, 'airqo')).toMatchObject({ ok: false, reason: 'no_key' });
    // The test has a breaker of its own: the source the chat uses is not paused or counted against.
    const status = await statusOf(h);
    expect(status.sources.find((s) => s.id === 'waqi')?.breaker.consecutiveFailures).toBe(0);
  });

  it('something that is not the source answering is "unexpected answer"', async () => {
    // An Open-Meteo emulator standing where WAQI should be: it answers, but not as WAQI does.
    const meteo = await start(new OpenMeteoEmulator());
    const f = await engine({ AERIS_WAQI_URL: meteo.url, AERIS_WAQI_TOKEN: 'k-1234' });
    const r = await testOf(createHandlers(f.engine, 'serve'), 'waqi');
    expect(r).toMatchObject({ ok: false, reason: 'unexpected' });
  });

  it('an unknown source id is refused by the contract', async () => {
    const f = await engine({});
    await expect(testOf(createHandlers(f.engine, 'serve'), 'nope')).rejects.toThrow(AppError);
  });
});

describe('sources.update refuses a field the environment overrides', () => {
  let f: EngineFixture | null = null;
  afterEach(async () => {
    await f?.close();
    f = null;
  });

  it('a URL or key set in the environment cannot be saved; the error names the variable; the rest still saves', async () => {
    f = await engineFixture({ env: { AERIS_WAQI_TOKEN: 'env-token', AERIS_OPENAQ_URL: 'http://127.0.0.1:9/v3' } });
    const h = createHandlers(f.engine, 'serve');
    const refused = await dispatch(h, 'sources.update', { waqiToken: 'typed' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: 'bad_request',
      text: { id: 'error.sourceFieldLocked', params: { variable: 'AERIS_WAQI_TOKEN' } },
    });
    expect(f.engine.sourceSettings.get().waqiToken).toBeUndefined();
    await expect(dispatch(h, 'sources.update', { openAqUrl: 'http://other.test' })).rejects.toMatchObject({
      text: { id: 'error.sourceFieldLocked', params: { variable: 'AERIS_OPENAQ_URL' } },
    });
    // Clearing is never refused, and a field the environment leaves alone saves as before.
    await dispatch(h, 'sources.update', { waqiToken: null, airqoToken: 'saved-airqo' });
    expect(f.engine.sourceSettings.get().airqoToken).toBe('saved-airqo');
    const status = await statusOf(h);
    expect(status.sources.find((s) => s.id === 'waqi')).toMatchObject({
      keyFrom: 'env',
      keyEnv: 'AERIS_WAQI_TOKEN',
      baseUrlEnv: 'AERIS_WAQI_URL',
    });
  });

  it('an env key with no env URL is not locked once the patch moves the URL away from it', () => {
    const env = { AERIS_WAQI_TOKEN: 'E' };
    expect(envLockedFields(env, {}, { waqiToken: 'typed' })).toEqual([
      { field: 'waqiToken', variable: 'AERIS_WAQI_TOKEN' },
    ]);
    // The env key only goes to the public URL: with a new URL the typed key is the one used.
    expect(envLockedFields(env, {}, { waqiUrl: 'http://127.0.0.1:1', waqiToken: 'typed' })).toEqual([]);
  });
});
