import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { OpenAqEmulator } from '../../../e2e/emulators/openaq-emulator';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { OpenMeteoEmulator } from '../../../e2e/emulators/openmeteo-emulator';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { openStore } from '../../store/store';
import { AirQualityService } from '../air-quality-service';
import { Gazetteer } from '../gazetteer/gazetteer';
import { OpenAqClient } from './openaq-client';
import { SourceHttp } from './source-http';
import { SourceError } from './source-error';
import { ManualClock } from '../../../test/doubles/manual-clock';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 17, 5, 0));
const emu = new OpenAqEmulator({ now: () => clock.now() });
const waqi = new WaqiEmulator({ now: () => clock.now() });
const om = new OpenMeteoEmulator({ now: () => clock.now() });

beforeAll(async () => {
  await Promise.all([emu.start(), waqi.start(), om.start()]);
});
afterAll(async () => {
  await Promise.all([emu.close(), waqi.close(), om.close()]);
});
beforeEach(() => {
  emu.requests.length = 0;
  emu.faults.clear();
});

const client = (key: string | null) =>
  new OpenAqClient({
    http: new SourceHttp({ source: 'openaq', fetch, clock, retries: 0, secrets: () => [key] }),
    baseUrl: () => emu.baseUrl,
    apiKey: () => key,
  });

describe('OpenAQ v3 client', () => {
  it('finds the nearest location and reads its latest measurements, key in X-API-Key', async () => {
    const r = await client('test-openaq-key').nearestReading(-12.05, -77.04);
    expect(r).toMatchObject({
      source: 'openaq',
      dataType: 'measurement',
      station: { id: '2178', name: 'Lima - Campo de Marte', country: 'Peru' },
      measuredAt: '2026-01-10T17:00:00.000Z',
      utcOffsetSeconds: -5 * 3600,
      concentrations: { pm2_5: { value: 24.3, unit: 'µg/m³' }, pm10: { value: 51, unit: 'µg/m³' } },
      aqi: { value: 79, category: 'Moderate' },
    });
    expect(r!.attribution.map((a) => a.name)).toEqual(['OpenAQ', 'SENAMHI']);
    expect(emu.requests[0]).toMatchObject({
      path: '/v3/locations',
      query: { coordinates: '-12.05,-77.04' },
      apiKey: 'test-openaq-key',
    });
    expect(emu.requests[0]!.query.token).toBeUndefined();
  });

  it('maps a bad key to auth, and nothing nearby to null', async () => {
    const err = await client('bad')
      .nearestReading(-12.05, -77.04)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('auth');
    expect(await client('test-openaq-key').nearestReading(50, 50)).toBeNull();
    expect(client(null).configured).toBe(false);
  });

  it('joins the city chain before the model when a key is set', async () => {
    const tmp = makeTempDir();
    const store = openStore(path.join(tmp.dir, 'aq.db'), clock);
    try {
      const s = new AirQualityService({
        db: store.db,
        clock,
        gazetteer: new Gazetteer(),
        retries: 0,
        env: {
          AERIS_WAQI_URL: waqi.url,
          AERIS_WAQI_TOKEN: 'test-waqi-token',
          AERIS_OPENAQ_URL: emu.baseUrl,
          AERIS_OPENAQ_KEY: 'test-openaq-key',
          AERIS_OPENMETEO_URL: om.url,
        },
      });
      const a = await s.cityAirQuality('Lima');
      expect(a.data?.source).toBe('openaq');
      expect(a.sourcesTried.map((t) => [t.source, t.outcome])).toEqual([
        ['waqi', 'no_data'],
        ['openaq', 'ok'],
      ]);
    } finally {
      store.close();
      tmp.cleanup();
    }
  });
});
