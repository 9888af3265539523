import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { OpenMeteoEmulator } from '../../../e2e/emulators/openmeteo-emulator';
import { toolsWithEmulators } from '../../../test/helpers/tools-with-emulators';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 11, 20, 0));
const om = new OpenMeteoEmulator({ now: () => clock.now() });
const aq = toolsWithEmulators({
  clock,
  emulators: [om],
  env: () => ({ AERIS_OPENMETEO_URL: om.url, AERIS_OPENMETEO_WEATHER_URL: om.url, AERIS_CACHE_TTL_SECONDS: '300' }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests dig freely into tool JSON
const data = (o: { result: { ok: boolean; data?: unknown } }) => o.result.data as Record<string, any>;

describe('weather tools (Open-Meteo /v1/forecast)', () => {
  it('get_city_weather: live values with units, local time and conditions; then from cache', async () => {
    const o = await aq.tools.execute('get_city_weather', { city: 'Nairobi' });
    expect(o.meta).toMatchObject({ sources: ['openmeteo'], cached: false });
    const d = data(o);
    expect(d).toMatchObject({
      place: { name: 'Nairobi', country: 'Kenya' },
      conditions: 'partly cloudy',
      data_type: 'model estimate, not a station reading',
      values: { temperature_2m: { unit: '°C' }, relative_humidity_2m: { unit: '%' }, wind_speed_10m: { unit: 'km/h' } },
    });
    expect(d.local_time).toBe('2026-01-10T13:15');
    const q = om.requests.at(-1)!;
    expect(q.path).toBe('/v1/forecast');
    expect(q.query.current).toContain('temperature_2m');
    expect((await aq.tools.execute('get_city_weather', { city: 'Nairobi' })).meta).toMatchObject({ cached: true });
  });

  it('get_weather_forecast: 1–16 days; offline, the cached forecast says its age; unknown city says why', async () => {
    const f = data(await aq.tools.execute('get_weather_forecast', { city: 'Kampala', days: '10' }));
    expect(f.days).toHaveLength(10);
    expect(f.days[1]).toMatchObject({ description: 'slight rain', precipitation_sum: 4.2 });
    expect(f.units).toMatchObject({ temperature_2m_max: '°C', precipitation_sum: 'mm' });
    clock.advance(4 * 3_600_000);
    om.faults.add({ kind: 'down' });
    const stale = await aq.tools.execute('get_weather_forecast', { city: 'Kampala', days: 10 });
    expect(stale.meta).toMatchObject({ cached: true, stale: true });
    const cold = await aq.tools.execute('get_city_weather', { city: 'Accra' });
    expect(cold.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    const unknown = await aq.tools.execute('get_city_weather', { city: 'Qwxzzy' });
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    const tooMany = await aq.tools.execute('get_weather_forecast', { city: 'Kampala', days: 17 });
    expect(tooMany.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });

  it('the emulator refuses what the API refuses', async () => {
    const days = await fetch(`${om.url}/v1/forecast?latitude=0&longitude=32&daily=weather_code&forecast_days=17`);
    expect(days.status).toBe(400);
    const v = await fetch(`${om.url}/v1/forecast?latitude=0&longitude=32&current=pm2_5`);
    expect(v.status).toBe(400);
    expect(await v.json()).toMatchObject({ error: true });
  });
});
