import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openStore, type Store } from '../store/store';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { WaqiEmulator } from '../../e2e/emulators/waqi-emulator';
import { AirQoEmulator } from '../../e2e/emulators/airqo-emulator';
import { OpenMeteoEmulator } from '../../e2e/emulators/openmeteo-emulator';
import { AirQualityService } from './air-quality-service';
import { Gazetteer } from './gazetteer/gazetteer';
import { ManualClock } from '../../test/doubles/manual-clock';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 11, 20, 0));
const waqi = new WaqiEmulator({ now: () => clock.now() });
const airqo = new AirQoEmulator({ now: () => clock.now() });
const om = new OpenMeteoEmulator({ now: () => clock.now() });
const gazetteer = new Gazetteer();
let tmp: ReturnType<typeof makeTempDir>;
let store: Store;
let dbFile: string;

const env = (): NodeJS.ProcessEnv => ({
  AERIS_WAQI_URL: waqi.url,
  AERIS_WAQI_TOKEN: 'test-waqi-token',
  AERIS_AIRQO_URL: airqo.baseUrl,
  AERIS_AIRQO_TOKEN: 'test-airqo-token',
  AERIS_OPENMETEO_URL: om.url,
});

function service(e: NodeJS.ProcessEnv = env(), s: Store = store): AirQualityService {
  return new AirQualityService({ db: s.db, clock, env: e, gazetteer, retries: 0, backoffMs: 1, timeoutMs: 1500 });
}
const allDown = () => {
  for (const e of [waqi, airqo, om]) e.faults.add({ kind: 'down' });
};
const paths = () => [...airqo.requests, ...waqi.requests, ...om.requests].length;

beforeAll(async () => {
  await Promise.all([waqi.start(), airqo.start(), om.start()]);
});
afterAll(async () => {
  await Promise.all([waqi.close(), airqo.close(), om.close()]);
});
beforeEach(() => {
  clock.set(Date.UTC(2026, 0, 10, 11, 20, 0));
  tmp = makeTempDir();
  dbFile = path.join(tmp.dir, 'data', 'aeris_agent.db');
  store = openStore(dbFile, clock);
  for (const e of [waqi, airqo, om]) {
    e.faults.clear();
    e.requests.length = 0;
  }
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('get_city_air_quality fallback chain', () => {
  it('asks AirQo first for an African city', async () => {
    const a = await service().cityAirQuality('Kampala');
    expect(a.ok).toBe(true);
    expect(a.data).toMatchObject({ source: 'airqo', station: { name: 'Makerere University, Kampala, Uganda' } });
    expect(a.sourcesTried).toEqual([expect.objectContaining({ source: 'airqo', outcome: 'ok' })]);
    expect(a.place).toMatchObject({ country: 'UG', isAfrican: true });
    expect(waqi.requests).toHaveLength(0);
    expect(a.message).toMatch(/Live AirQo measurement from Makerere/);
  });

  it('falls back to WAQI when AirQo fails, then to Open-Meteo when WAQI fails', async () => {
    airqo.faults.add({ kind: 'down' });
    let a = await service().cityAirQuality('Kampala');
    expect(a.data?.source).toBe('waqi');
    expect(a.sourcesTried.map((t) => [t.source, t.outcome])).toEqual([
      ['airqo', 'failed'],
      ['waqi', 'ok'],
    ]);

    waqi.faults.add({ kind: 'error', message: 'Invalid key' });
    a = await service().cityAirQuality('Jinja');
    expect(a.data).toMatchObject({ source: 'openmeteo', dataType: 'model' });
    expect(a.data?.notes.join(' ')).toMatch(/CAMS model output/);
    expect(a.sourcesTried.map((t) => [t.source, t.outcome])).toEqual([
      ['airqo', 'failed'],
      ['waqi', 'failed'],
      ['openmeteo', 'ok'],
    ]);
  });

  it('goes to WAQI first outside Africa and never asks AirQo', async () => {
    const a = await service().cityAirQuality('London');
    expect(a.data?.source).toBe('waqi');
    expect(airqo.requests).toHaveLength(0);
  });

  it('uses the gazetteer + Open-Meteo when WAQI has no station', async () => {
    const a = await service().cityAirQuality('Lima');
    expect(a.data?.source).toBe('openmeteo');
    expect(a.sourcesTried.map((t) => [t.source, t.outcome])).toEqual([
      ['waqi', 'no_data'],
      ['openmeteo', 'ok'],
    ]);
  });

  it('skips sources without keys and says so', async () => {
    const e = env();
    delete e.AERIS_AIRQO_TOKEN;
    delete e.AERIS_WAQI_TOKEN;
    const a = await service(e).cityAirQuality('Kampala');
    expect(a.data?.source).toBe('openmeteo');
    expect(a.sourcesTried.slice(0, 2)).toEqual([
      expect.objectContaining({ source: 'airqo', outcome: 'skipped', reason: 'no API key configured' }),
      expect.objectContaining({ source: 'waqi', outcome: 'skipped' }),
    ]);
  });

  it('says which sources were tried when all fail and nothing is cached', async () => {
    allDown();
    const a = await service().cityAirQuality('Nairobi');
    expect(a.ok).toBe(false);
    expect(a.data).toBeNull();
    expect(a.sourcesTried.map((t) => t.source)).toEqual(['airqo', 'waqi', 'openmeteo']);
    expect(a.message).toMatch(/Tried: AirQo \(.*could not be reached.*\); WAQI .*; Open-Meteo/);
    expect(a.message).toMatch(/Check the internet connection/);
  });
});

describe('cache and offline answers', () => {
  it('answers repeats from the cache within the TTL, and asks again after it', async () => {
    const s = service();
    await s.cityAirQuality('Kampala');
    const before = paths();
    const hit = await s.cityAirQuality('kampala, uganda');
    expect(hit.cache).toMatchObject({ hit: true, stale: false });
    expect(hit.sourcesTried).toEqual([]);
    expect(paths()).toBe(before);
    clock.advance(301_000);
    const again = await s.cityAirQuality('Kampala');
    expect(again.cache).toBeNull();
    expect(paths()).toBeGreaterThan(before);
  });

  it('honours AERIS_CACHE_TTL_SECONDS', async () => {
    const s = service({ ...env(), AERIS_CACHE_TTL_SECONDS: '30' });
    await s.cityAirQuality('London');
    clock.advance(31_000);
    expect((await s.cityAirQuality('London')).cache).toBeNull();
  });

  it('offline: answers from the newest cached reading and says how old it is', async () => {
    await service().cityAirQuality('Kampala'); // measured 11:00 UTC = 14:00 in Kampala
    clock.advance(3 * 3600_000);
    allDown();
    const a = await service().cityAirQuality('Kampala');
    expect(a.ok).toBe(true);
    expect(a.data?.source).toBe('airqo');
    expect(a.cache).toMatchObject({ hit: true, stale: true });
    // AirQo gives no offset, so the clock time is UTC (11:00) and the age counts from the measurement.
    expect(a.cache?.note).toBe('cached reading from 11:00 UTC, 3 hours ago');
    expect(a.message).toMatch(/Live sources failed .*showing the cached reading from 11:00 UTC, 3 hours ago/);
    expect(a.sourcesTried.every((t) => t.outcome === 'failed')).toBe(true);
  });

  it('gives local station time when the source says its offset', async () => {
    await service().cityAirQuality('London');
    clock.advance(3 * 3600_000);
    allDown();
    const a = await service().cityAirQuality('London');
    expect(a.cache?.note).toBe('cached reading from 11:00, 3 hours ago');
  });

  it('survives a restart: a new store on the same file still has the reading', async () => {
    await service().cityAirQuality('Kampala');
    store.close();
    store = openStore(dbFile, clock);
    clock.advance(3600_000);
    allDown();
    const a = await service().cityAirQuality('Kampala');
    expect(a.cache?.stale).toBe(true);
    expect(a.data?.source).toBe('airqo');
  });

  it('forecasts come from Open-Meteo (concentrations) and are cached longer', async () => {
    const s = service();
    const f = await s.forecast('Kampala', 3);
    expect(f.data).toMatchObject({ source: 'openmeteo', dataType: 'model' });
    expect(f.data?.days).toHaveLength(3);
    clock.advance(3600_000);
    expect((await s.forecast('Kampala', 3)).cache?.hit).toBe(true);
    om.faults.add({ kind: 'down' });
    const w = await s.forecast('London', 2);
    expect(w.data?.source).toBe('waqi');
    expect(w.data?.notes.join(' ')).toMatch(/sub-indices/);
  });

  it('opens a source’s breaker after 5 failed calls, then skips it', async () => {
    const s = service({ ...env(), AERIS_CACHE_TTL_SECONDS: '0' });
    airqo.faults.add({ kind: 'down' });
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      await s.cityAirQuality('Kampala');
    }
    const before = airqo.requests.length;
    clock.advance(60_000);
    const a = await s.cityAirQuality('Kampala');
    expect(airqo.requests.length).toBe(before);
    expect(a.sourcesTried[0]).toMatchObject({
      source: 'airqo',
      outcome: 'skipped',
      reason: expect.stringMatching(/paused/),
    });
    expect(s.sourceStatus().find((x) => x.id === 'airqo')?.breaker.state).toBe('open');
    expect(a.data?.source).toBe('waqi');
  });

  it('Open-Meteo at a point, AirQo site search and history, with cache', async () => {
    const s = service();
    const p = await s.openMeteoCurrent(0.35, 32.58);
    expect(p.data?.station.name).toMatch(/near Kampala, Uganda/);
    const sites = await s.searchAirQoSites('Jinja');
    expect(sites.data?.map((x) => x.name)).toEqual(['Jinja Main Street']);
    const h = await s.airQoHistory('64b7f2a1c3d4e5f600000003', {
      startTime: '2026-01-10T00:00:00Z',
      endTime: '2026-01-10T11:00:00Z',
      frequency: 'hourly',
    });
    expect(h.data?.points.length).toBe(12);
    allDown();
    clock.advance(86_400_000 + 1);
    const cached = await s.searchAirQoSites('Jinja');
    expect(cached.cache?.stale).toBe(true);
  });
});
