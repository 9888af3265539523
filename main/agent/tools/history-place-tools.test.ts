import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { OpenMeteoEmulator } from '../../../e2e/emulators/openmeteo-emulator';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { toolsWithEmulators } from '../../../test/helpers/tools-with-emulators';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 11, 20, 0));
const om = new OpenMeteoEmulator({ now: () => clock.now() });
const waqi = new WaqiEmulator({ now: () => clock.now() });
const aq = toolsWithEmulators({
  clock,
  emulators: [om, waqi],
  env: () => ({
    AERIS_OPENMETEO_URL: om.url,
    AERIS_WAQI_URL: waqi.url,
    AERIS_WAQI_TOKEN: 'test-waqi-token',
    AERIS_FORECAST_TTL_SECONDS: '3600',
  }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests dig freely into tool JSON
const data = (o: { result: { ok: boolean; data?: unknown } }) => o.result.data as Record<string, any>;

describe('get_openmeteo_historical', () => {
  it('"the last 30 days in Nairobi": 30 local days of model means, with the WHO comparison and source', async () => {
    const o = await aq.tools.execute('get_openmeteo_historical', { city: 'Nairobi', past_days: 30 });
    expect(o.result.ok).toBe(true);
    expect(o.meta).toMatchObject({ sources: ['openmeteo'], cached: false });
    const d = data(o);
    expect(d).toMatchObject({
      source: 'Open-Meteo (Copernicus CAMS model)',
      data_type: 'model estimate (CAMS), not measurements',
      start_date: '2025-12-11',
      end_date: '2026-01-09',
      unit: 'µg/m³',
      place: { name: 'Nairobi', country: 'Kenya' },
    });
    expect(d.days).toHaveLength(30);
    expect(d.days[0]).toMatchObject({ date: '2025-12-11', hours: 24 });
    // The emulator's daily cycle averages to its base (30 µg/m³): every day is above the 15 µg/m³ guideline.
    expect(d.who_2021_24h).toMatchObject({ pm2_5_guideline: 15, days_above_pm2_5: 30 });
    const q = om.requests.at(-1)!.query;
    expect(q).toMatchObject({
      start_date: '2025-12-11',
      end_date: '2026-01-09',
      hourly: 'pm2_5,pm10',
      timezone: 'auto',
    });
    expect(q.past_days).toBeUndefined();
  });

  it('a cached answer is used within its TTL; offline, the stale one says its age', async () => {
    const args = { latitude: 0.35, longitude: 32.58, start_date: '2026-01-01', end_date: '2026-01-03' };
    expect(data(await aq.tools.execute('get_openmeteo_historical', args)).days).toHaveLength(3);
    const calls = om.requests.length;
    const again = await aq.tools.execute('get_openmeteo_historical', args);
    expect(again.meta).toMatchObject({ cached: true, stale: false });
    expect(om.requests.length).toBe(calls);
    clock.advance(2 * 3_600_000);
    om.faults.add({ kind: 'down' });
    const offline = await aq.tools.execute('get_openmeteo_historical', args);
    expect(offline.meta).toMatchObject({ cached: true, stale: true });
    expect(data(offline).cache.note).toMatch(/2 h/);
    expect(data(offline).location.name).toBe('Kampala, Uganda');
  });

  it('failing with nothing cached: no_data naming the source; bad arguments are refused before any call', async () => {
    om.faults.add({ kind: 'down' });
    const o = await aq.tools.execute('get_openmeteo_historical', { city: 'Accra', past_days: 7 });
    expect(o.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    const calls = om.requests.length;
    const backwards = await aq.tools.execute('get_openmeteo_historical', {
      city: 'Accra',
      start_date: '2026-01-05',
      end_date: '2026-01-01',
    });
    expect(backwards.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    const nowhere = await aq.tools.execute('get_openmeteo_historical', { past_days: 7 });
    expect(nowhere.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    const long = await aq.tools.execute('get_openmeteo_historical', { city: 'Accra', past_days: 200 });
    expect(long.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(om.requests.length).toBe(calls);
  });

  it('the emulator is no more lenient than the API: a lone start_date is a 400', async () => {
    const res = await fetch(`${om.url}/v1/air-quality?latitude=1&longitude=32&hourly=pm2_5&start_date=2026-01-01`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: true });
    const mixed = await fetch(
      `${om.url}/v1/air-quality?latitude=1&longitude=32&hourly=pm2_5&start_date=2026-01-01&end_date=2026-01-02&past_days=3`,
    );
    expect(mixed.status).toBe(400);
  });
});

describe('reverse_geocode', () => {
  it('names the nearest gazetteer place offline, with the distance', async () => {
    om.faults.add({ kind: 'down' });
    const d = data(await aq.tools.execute('reverse_geocode', { latitude: 0.3136, longitude: 32.5811 }));
    expect(d.place).toMatchObject({ name: 'Kampala', country: 'Uganda', country_code: 'UG' });
    expect(d.distance_km).toBeLessThan(5);
    expect(d.source).toMatch(/offline gazetteer/);
    const sea = data(await aq.tools.execute('reverse_geocode', { latitude: -30, longitude: -30 }));
    expect(sea.note).toMatch(/far/);
  });
});

describe('get_air_quality_by_coordinates', () => {
  it('the nearest station when one is close, else the model; the place named offline; cached; failing', async () => {
    const kla = data(
      await aq.tools.execute('get_air_quality_by_coordinates', { latitude: 0.3136, longitude: 32.5811 }),
    );
    expect(kla).toMatchObject({
      data_type: 'measurement',
      station: { name: 'Kampala US Embassy, Uganda' },
      nearest_place: { name: 'Kampala', country: 'Uganda' },
    });
    // Mid-Atlantic: WAQI's nearest station is thousands of km away, so the model answers, and says so.
    const sea = await aq.tools.execute('get_air_quality_by_coordinates', { latitude: -30, longitude: -30 });
    expect(data(sea).data_type).toMatch(/model estimate/);
    expect(data(sea).sources_tried.map((t: { outcome: string }) => t.outcome)).toEqual(['no_data', 'ok']);
    const again = await aq.tools.execute('get_air_quality_by_coordinates', { latitude: 0.3136, longitude: 32.5811 });
    expect(again.meta).toMatchObject({ cached: true });
    for (const e of [om, waqi]) e.faults.add({ kind: 'down' });
    const down = await aq.tools.execute('get_air_quality_by_coordinates', { latitude: 9.05, longitude: 7.49 });
    expect(down.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
  });
});
