import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { AirQoEmulator } from '../../../e2e/emulators/airqo-emulator';
import { OpenMeteoEmulator } from '../../../e2e/emulators/openmeteo-emulator';
import { AIR_QUALITY_TOOL_NAMES, ToolRegistry } from './index';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { toolsWithEmulators } from '../../../test/helpers/tools-with-emulators';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 11, 20, 0));
const waqi = new WaqiEmulator({ now: () => clock.now() });
const airqo = new AirQoEmulator({ now: () => clock.now() });
const om = new OpenMeteoEmulator({ now: () => clock.now() });
const aq = toolsWithEmulators({
  clock,
  emulators: [waqi, airqo, om],
  env: () => ({
    AERIS_WAQI_URL: waqi.url,
    AERIS_WAQI_TOKEN: 'test-waqi-token',
    AERIS_AIRQO_URL: airqo.baseUrl,
    AERIS_AIRQO_TOKEN: 'test-airqo-token',
    AERIS_OPENMETEO_URL: om.url,
  }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests dig freely into tool JSON
const data = (o: { result: { ok: boolean; data?: unknown } }) => o.result.data as Record<string, any>;

describe('tool registry', () => {
  it('exposes exactly the seed’s tool names as Ollama function definitions', () => {
    expect(aq.tools.names()).toEqual([...AIR_QUALITY_TOOL_NAMES]);
    const defs = aq.tools.definitions();
    for (const d of defs) {
      expect(d.type).toBe('function');
      expect(d.function.parameters.type).toBe('object');
      expect(JSON.stringify(d)).not.toContain('$schema');
    }
    const city = defs.find((d) => d.function.name === 'get_city_air_quality')!;
    expect(city.function.parameters).toMatchObject({ properties: { city: { type: 'string' } }, required: ['city'] });
    const compute = defs.find((d) => d.function.name === 'compute_aqi')!;
    expect(compute.function.parameters.properties.pollutant).toMatchObject({
      enum: ['pm25', 'pm10', 'o3', 'co', 'so2', 'no2'],
    });
    expect(compute.function.parameters.required).toEqual(['pollutant', 'value']);
    expect(aq.tools.get('generate_chart')?.definition.function.name).toBe('generate_chart');
  });

  it('answers an unknown tool with a recoverable error listing the real ones', async () => {
    const o = await aq.tools.execute('get_weather', { city: 'Kampala' });
    expect(o.ok).toBe(false);
    expect(o.result).toMatchObject({ ok: false, error: { code: 'unknown_tool' } });
    expect(JSON.parse(o.content).error.hint).toMatch(/get_city_air_quality/);
  });

  it('answers malformed arguments with the issues and a hint', async () => {
    const missing = await aq.tools.execute('get_city_air_quality', {});
    expect(missing.result).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', issues: [{ path: 'city' }] },
    });
    expect((missing.result as { error: { hint: string } }).error.hint).toMatch(/city: string/);
    const badJson = await aq.tools.execute('compute_aqi', '{pollutant: pm25');
    expect(badJson.result).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', message: /not valid JSON/ },
    });
    const badEnum = await aq.tools.execute('compute_aqi', { pollutant: 'pm1', value: 3 });
    expect(badEnum.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    const range = await aq.tools.execute('get_openmeteo_current_air_quality', { latitude: 95, longitude: 0 });
    expect(range.result).toMatchObject({ ok: false, error: { issues: [{ path: 'latitude' }] } });
  });

  it('accepts arguments as a JSON string and numbers as strings', async () => {
    const o = await aq.tools.execute('compute_aqi', JSON.stringify({ pollutant: 'PM2.5', value: '35.5' }));
    expect(data(o)).toMatchObject({ pollutant: 'pm25', aqi: 101, category: 'Unhealthy for Sensitive Groups' });
  });

  it('turns a throwing tool into data, never an exception', async () => {
    const r = new ToolRegistry().register({
      name: 'boom',
      description: 'x',
      schema: z.object({}),
      execute: async () => {
        throw new Error('kaboom at /secret/path');
      },
    });
    const o = await r.execute('boom', {});
    expect(o.result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(o.content).not.toContain('secret');
  });
});

describe('compute_aqi and get_health_advice', () => {
  it('computes the EPA AQI with the WHO comparison', async () => {
    const d = data(await aq.tools.execute('compute_aqi', { pollutant: 'pm25', value: 40, averaging: '24h' }));
    expect(d).toMatchObject({ aqi: 112, category: 'Unhealthy for Sensitive Groups', color: '#FF7E00', unit: 'µg/m³' });
    expect(d.who_2021).toMatchObject({ guideline: 15, meetsGuideline: false, interimTargetMet: 'IT-2' });
    expect(d.source).toMatch(/Computed locally/);
  });

  it('computes the NowCast and other indices on request', async () => {
    const d = data(
      await aq.tools.execute('compute_aqi', {
        pollutant: 'pm25',
        value: 0,
        averaging: 'nowcast',
        hourly_values: [13, 16, 10, 21, 74, 64, 53, 82, 90, 75, 80, 50],
        index: 'all',
      }),
    );
    expect(d).toMatchObject({ averaging: 'nowcast', concentration: 17.4, aqi: 66 });
    expect(d.other_indices).toMatchObject({
      india_naqi: { category: 'Good' },
      uk_daqi: { value: 2 },
      eu_eaqi: { category: 'Moderate' },
    });
    const missing = await aq.tools.execute('compute_aqi', { pollutant: 'pm25', value: 1, averaging: 'nowcast' });
    expect(missing.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });

  it('reports EPA rule violations as tool errors', async () => {
    const o = await aq.tools.execute('compute_aqi', { pollutant: 'o3', value: 0.3, averaging: '8h' });
    expect(o.result).toMatchObject({ ok: false, error: { code: 'tool_failed', message: /1-hour/ } });
  });

  it('gives health advice per group, and a hint for unknown ones', async () => {
    const d = data(
      await aq.tools.execute('get_health_advice', { category: 'Unhealthy for Sensitive Groups', group: 'children' }),
    );
    expect(d).toMatchObject({ categoryKey: 'usg', isSensitiveGroup: true });
    expect(data(await aq.tools.execute('get_health_advice', { category: 175 })).category).toBe('Unhealthy');
    const bad = await aq.tools.execute('get_health_advice', { category: 'smoky' });
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments', hint: /Good, Moderate/ } });
  });
});

describe('generate_chart', () => {
  it('returns a chart spec with series, units and the WHO line', async () => {
    const o = await aq.tools.execute('generate_chart', {
      chart_type: 'line',
      title: 'PM2.5 in Kampala',
      series: [{ name: 'Makerere', points: [{ x: '2026-01-10T10:00:00Z', y: 35.1 }, ['2026-01-10T11:00:00Z', 38.2]] }],
      who_guideline: 'pm25_24h',
    });
    const chart = data(o).chart;
    expect(chart).toMatchObject({
      type: 'chart',
      chartType: 'line',
      title: 'PM2.5 in Kampala',
      units: 'µg/m³',
      series: [
        {
          name: 'Makerere',
          points: [
            { x: '2026-01-10T10:00:00Z', y: 35.1 },
            { x: '2026-01-10T11:00:00Z', y: 38.2 },
          ],
        },
      ],
      referenceLines: [{ value: 15 }],
      bands: [],
    });
    const bands = data(
      await aq.tools.execute('generate_chart', {
        title: 'AQI',
        units: 'AQI',
        aqi_bands: true,
        series: [{ name: 'a', points: [{ x: 1, y: 2 }] }],
      }),
    );
    expect(bands.chart.bands).toHaveLength(6);
    const empty = await aq.tools.execute('generate_chart', { title: 't', series: [] });
    expect(empty.result.ok).toBe(false);
  });
});

describe('data tools', () => {
  it('get_city_air_quality carries source, station, time and attribution', async () => {
    const o = await aq.tools.execute('get_city_air_quality', { city: 'Kampala' });
    expect(o.ok).toBe(true);
    expect(o.meta).toEqual({ sources: ['airqo'], cached: false, stale: false });
    const d = data(o);
    expect(d).toMatchObject({
      source: 'AirQo',
      data_type: 'measurement',
      measured_at: '2026-01-10T11:00:00.000Z',
      station: { name: /Makerere/ },
    });
    expect(d.attribution[0].name).toMatch(/AirQo/);
    expect(d.place).toMatchObject({ name: 'Kampala', country: 'Uganda' });
    const again = await aq.tools.execute('get_city_air_quality', { city: 'Kampala' });
    expect(again.meta.cached).toBe(true);
    expect(data(again).cache.note).toMatch(/cached answer/);
  });

  it('WAQI sub-indices are labelled as such, never as concentrations', async () => {
    const d = data(await aq.tools.execute('get_city_air_quality', { city: 'London' }));
    expect(d.us_aqi_sub_indices_not_concentrations).toEqual({ pm25: 42, pm10: 18, no2: 21, o3: 30 });
    expect(d.concentrations_ug_m3_or_unit).toEqual({});
  });

  it('Open-Meteo results say they are CAMS model output', async () => {
    const d = data(await aq.tools.execute('get_openmeteo_current_air_quality', { latitude: 0.35, longitude: 32.58 }));
    expect(d.data_type).toMatch(/model estimate \(CAMS\), not a measurement/);
    expect(d.notes[0]).toMatch(/not measurements/);
  });

  it('forecast, AirQo site search and history', async () => {
    const f = data(await aq.tools.execute('get_air_quality_forecast', { city: 'Nairobi', days: '2' }));
    expect(f.days).toHaveLength(2);
    const sites = data(await aq.tools.execute('search_airqo_sites', { location: 'Kampala' }));
    expect(sites.sites.map((s: { id: string }) => s.id)).toContain('64b7f2a1c3d4e5f600000001');
    const h = data(
      await aq.tools.execute('get_airqo_history', {
        site_id: '64b7f2a1c3d4e5f600000001',
        start_time: '2026-01-10T06:00:00Z',
        end_time: '2026-01-10T11:00:00Z',
      }),
    );
    expect(h).toMatchObject({ frequency: 'hourly', unit: 'µg/m³', source: 'AirQo' });
    expect(h.points).toHaveLength(6);
    const backwards = await aq.tools.execute('get_airqo_history', {
      site_id: 'x',
      start_time: '2026-01-10T06:00:00Z',
      end_time: '2026-01-09T00:00:00Z',
    });
    expect(backwards.result).toMatchObject({ ok: false, error: { issues: [{ path: 'end_time' }] } });
  });

  it('when every source fails, the error names the sources tried', async () => {
    for (const e of [waqi, airqo, om]) e.faults.add({ kind: 'down' });
    const o = await aq.tools.execute('get_city_air_quality', { city: 'Accra' });
    expect(o.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    const d = (o.result as { data: { sources_tried: Array<{ source: string }> } }).data;
    expect(d.sources_tried.map((s) => s.source)).toEqual([
      'AirQo',
      'WAQI (World Air Quality Index project)',
      'Open-Meteo (Copernicus CAMS model)',
    ]);
  });
});
