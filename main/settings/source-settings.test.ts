import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../engine';
import { createHandlers } from '../api/handlers';
import { dispatch } from '../api/dispatch';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { WaqiEmulator } from '../../e2e/emulators/waqi-emulator';
import { FileSecretStore } from './secret-store';
import { SourceSettingsService } from './source-settings';
import { MemorySecretStore } from '../../test/doubles/memory-secret-store';

const SECRET = 'sekret-waqi-7f3a9c1e';
const waqi = new WaqiEmulator({ tokens: [SECRET] });

beforeAll(async () => {
  await waqi.start();
});
afterAll(async () => {
  await waqi.close();
});

/** Every file under a folder, as text (logs, config). */
function readAll(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('data-source settings and keys', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let engine: Engine;
  beforeEach(() => {
    tmp = makeTempDir();
    // The real file logger, so the test can read what reached the disk.
    engine = createEngine({
      dataDir: tmp.dir,
      ollamaHost: 'http://127.0.0.1:9',
      env: { AERIS_OPENMETEO_URL: 'http://127.0.0.1:9' },
    });
  });
  afterEach(async () => {
    await engine.close();
    tmp.cleanup();
  });

  it('keeps keys in secrets.json (0600), never in config.json, the logs or anything the UI gets back', async () => {
    const handlers = createHandlers(engine, 'serve');
    engine.settings.update({ location: 'Kampala' });
    const status = await dispatch(handlers, 'sources.update', { waqiUrl: waqi.url, waqiToken: SECRET });
    const secrets = path.join(tmp.dir, 'secrets.json');
    expect(JSON.parse(fs.readFileSync(secrets, 'utf8'))).toMatchObject({ waqiToken: SECRET, waqiUrl: waqi.url });
    if (process.platform !== 'win32') expect(fs.statSync(secrets).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(tmp.dir, 'config.json'), 'utf8')).not.toContain(SECRET);

    const waqiStatus = (
      status as { sources: Array<{ id: string; keyConfigured: boolean; keyFrom: string; configured: boolean }> }
    ).sources.find((s) => s.id === 'waqi')!;
    expect(waqiStatus).toMatchObject({ keyConfigured: true, keyFrom: 'settings', configured: true });
    expect(JSON.stringify(status)).not.toContain(SECRET);
    expect(JSON.stringify(await dispatch(handlers, 'sources.status', {}))).not.toContain(SECRET);
    expect(JSON.stringify(await dispatch(handlers, 'settings.get', {}))).not.toContain(SECRET);

    // The key works (the emulator only accepts it), and a failing call does not leak it either.
    const ok = await engine.tools.execute('get_city_air_quality', { city: 'London' });
    expect(ok.ok).toBe(true);
    waqi.faults.add({ kind: 'error', message: 'Over quota' }, 10);
    await engine.tools.execute('get_city_air_quality', { city: 'Delhi' });
    waqi.faults.clear();
    expect(JSON.stringify(await dispatch(handlers, 'sources.status', {}))).not.toContain(SECRET);
    expect(readAll(path.join(tmp.dir, 'logs'))).not.toContain(SECRET);
    expect(readAll(path.join(tmp.dir, 'logs'))).toContain('data-source settings saved');
  });

  it('a key from the environment wins and is reported as such; clearing a saved key works', async () => {
    // Saved before the environment set it: the environment still wins.
    await dispatch(createHandlers(engine, 'serve'), 'sources.update', { airqoToken: 'saved-key' });
    await engine.close();
    engine = createEngine({
      dataDir: tmp.dir,
      ollamaHost: 'http://127.0.0.1:9',
      env: { AERIS_AIRQO_TOKEN: 'from-env' },
    });
    const handlers = createHandlers(engine, 'serve');
    // Saving over it now is refused: the value would never be used.
    await expect(dispatch(handlers, 'sources.update', { airqoToken: 'another' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await dispatch(handlers, 'sources.update', { openAqKey: 'oaq-key' });
    let s = (await dispatch(handlers, 'sources.status', {})) as {
      sources: Array<{ id: string; keyFrom: string; keyConfigured: boolean }>;
    };
    expect(s.sources.find((x) => x.id === 'airqo')).toMatchObject({ keyFrom: 'env', keyConfigured: true });
    expect(s.sources.find((x) => x.id === 'openaq')).toMatchObject({ keyFrom: 'settings', keyConfigured: true });
    await dispatch(handlers, 'sources.update', { openAqKey: null });
    s = (await dispatch(handlers, 'sources.status', {})) as typeof s;
    expect(s.sources.find((x) => x.id === 'openaq')).toMatchObject({ keyFrom: 'none', keyConfigured: false });
    expect(fs.readFileSync(path.join(tmp.dir, 'secrets.json'), 'utf8')).not.toContain('oaq-key');
  });

  it('refuses URLs that are not http(s) and unknown fields', async () => {
    const handlers = createHandlers(engine, 'serve');
    await expect(dispatch(handlers, 'sources.update', { waqiUrl: 'file:///etc/passwd' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(dispatch(handlers, 'sources.update', { apiKey: 'x' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('aqi.compute gives the EPA index', async () => {
    const r = await dispatch(createHandlers(engine, 'serve'), 'aqi.compute', { pollutant: 'PM2.5', value: 35.5 });
    expect(r).toMatchObject({
      pollutant: 'pm25',
      aqi: 101,
      category: 'Unhealthy for Sensitive Groups',
      color: '#FF7E00',
    });
  });
});

describe('SourceSettingsService', () => {
  it('reads back what it saved through any SecretStore, and tightens a loosened file', () => {
    const mem = new MemorySecretStore();
    const s = new SourceSettingsService(mem);
    s.update({ waqiToken: ' abc ', waqiUrl: 'https://example.org/' });
    expect(new SourceSettingsService(mem).get()).toEqual({ waqiToken: 'abc', waqiUrl: 'https://example.org' });

    const tmp = makeTempDir();
    try {
      const file = path.join(tmp.dir, 'secrets.json');
      new SourceSettingsService(new FileSecretStore(file)).update({ airqoToken: 'k1' });
      if (process.platform !== 'win32') {
        fs.chmodSync(file, 0o644);
        expect(new FileSecretStore(file).load()).toEqual({ airqoToken: 'k1' });
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      }
    } finally {
      tmp.cleanup();
    }
  });
});
