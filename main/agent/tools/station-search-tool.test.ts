import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { AirQoEmulator } from '../../../e2e/emulators/airqo-emulator';
import { toolsWithEmulators } from '../../../test/helpers/tools-with-emulators';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 11, 20, 0));
const waqi = new WaqiEmulator({ now: () => clock.now() });
const airqo = new AirQoEmulator({ now: () => clock.now() });
const aq = toolsWithEmulators({
  clock,
  emulators: [waqi, airqo],
  env: () => ({
    AERIS_WAQI_URL: waqi.url,
    AERIS_WAQI_TOKEN: 'test-waqi-token',
    AERIS_AIRQO_URL: airqo.baseUrl,
    AERIS_AIRQO_TOKEN: 'test-airqo-token',
    AERIS_CACHE_TTL_SECONDS: '300',
    AERIS_FORECAST_TTL_SECONDS: '3600',
  }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests dig freely into tool JSON
const data = (o: { result: { ok: boolean; data?: unknown } }) => o.result.data as Record<string, any>;

describe('search_waqi_stations', () => {
  it('live hits with coordinates and AQI; cached within the TTL; stale when WAQI is down; none is no_data', async () => {
    const o = await aq.tools.execute('search_waqi_stations', { keyword: 'Embassy' });
    expect(o.meta).toMatchObject({ sources: ['waqi'], cached: false });
    const d = data(o);
    expect(d.stations[0]).toMatchObject({ name: 'Kampala US Embassy, Uganda' });
    expect(typeof d.stations[0].us_aqi).toBe('number');
    expect(d.stations[0].latitude).toBeCloseTo(0.3, 0);
    expect(waqi.requests.at(-1)).toMatchObject({ path: '/search/', query: { keyword: 'Embassy' } });
    expect((await aq.tools.execute('search_waqi_stations', { keyword: 'Embassy' })).meta).toMatchObject({
      cached: true,
    });
    clock.advance(600_000);
    waqi.faults.add({ kind: 'down' });
    const stale = await aq.tools.execute('search_waqi_stations', { keyword: 'embassy' });
    expect(stale.meta).toMatchObject({ cached: true, stale: true });
    expect(data(stale).cache.note).toMatch(/10 min/);
    waqi.faults.clear();
    const none = await aq.tools.execute('search_waqi_stations', { keyword: 'Atlantis' });
    expect(none.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
  });
});

describe('get_airqo_forecast', () => {
  it('by site id or by place: 7 daily or 24 hourly PM2.5 values; cached; offline stale; unknown site no_data', async () => {
    const daily = await aq.tools.execute('get_airqo_forecast', { site_id: '64b7f2a1c3d4e5f600000001' });
    expect(daily.meta).toMatchObject({ sources: ['airqo'], cached: false });
    const d = data(daily);
    expect(d).toMatchObject({ source: 'AirQo', frequency: 'daily', unit: 'µg/m³' });
    expect(d.points).toHaveLength(7);
    expect(d.points[0]).toEqual({ time: '2026-01-10T00:00:00.000Z', pm2_5: 28 });
    expect(airqo.requests.at(-1)).toMatchObject({
      path: '/api/v2/predict/daily-forecast',
      query: { site_id: '64b7f2a1c3d4e5f600000001' },
    });
    const hourly = data(await aq.tools.execute('get_airqo_forecast', { city: 'Kampala', frequency: 'hourly' }));
    expect(hourly.points).toHaveLength(24);
    expect(typeof hourly.site_name).toBe('string');
    clock.advance(2 * 3_600_000);
    airqo.faults.add({ kind: 'down' });
    const stale = await aq.tools.execute('get_airqo_forecast', { site_id: '64b7f2a1c3d4e5f600000001' });
    expect(stale.meta).toMatchObject({ cached: true, stale: true });
    airqo.faults.clear();
    const unknown = await aq.tools.execute('get_airqo_forecast', { site_id: '000000000000000000000000' });
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    const neither = await aq.tools.execute('get_airqo_forecast', { frequency: 'daily' });
    expect(neither.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });
});
