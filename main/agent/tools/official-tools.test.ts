import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { AirQoEmulator } from '../../../e2e/emulators/airqo-emulator';
import { CarbonIntensityEmulator } from '../../../e2e/emulators/carbon-intensity-emulator';
import { DefraEmulator } from '../../../e2e/emulators/defra-emulator';
import { NswEmulator } from '../../../e2e/emulators/nsw-emulator';
import { UbaEmulator } from '../../../e2e/emulators/uba-emulator';
import { toolsWithEmulators } from '../../../test/helpers/tools-with-emulators';

const START = Date.UTC(2026, 0, 10, 11, 20, 0);
const clock = new ManualClock(START);
const now = () => clock.now();
const defra = new DefraEmulator({ now });
const uba = new UbaEmulator({ now });
const nsw = new NswEmulator({ now });
const carbon = new CarbonIntensityEmulator({ now });
const airqo = new AirQoEmulator({ now });
const emulators = [defra, uba, nsw, carbon, airqo];
// Each test starts at the same instant (some move the clock): before the bench's hook opens the store.
beforeEach(() => clock.set(START));
const aq = toolsWithEmulators({
  clock,
  emulators,
  env: () => ({
    AERIS_DEFRA_URL: defra.baseUrl,
    AERIS_UBA_URL: uba.baseUrl,
    AERIS_NSW_URL: nsw.url,
    AERIS_CARBON_INTENSITY_URL: carbon.url,
    AERIS_AIRQO_URL: airqo.baseUrl,
    AERIS_AIRQO_TOKEN: 'test-airqo-token',
    AERIS_CACHE_TTL_SECONDS: '300',
  }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests dig freely into tool JSON
const data = (o: { result: { ok: boolean; data?: unknown } }) => o.result.data as Record<string, any>;

describe('UK-AIR (Defra)', () => {
  it('live hourly PM2.5 for London with its station, UTC times and fill values left out; cached; stale offline with its age', async () => {
    const o = await aq.tools.execute('get_defra_site_data', { site_code: 'London', species: 'PM25', hours: 24 });
    expect(o.meta).toMatchObject({ sources: ['defra'], cached: false });
    const d = data(o);
    expect(d.source).toBe('UK-AIR (Defra)');
    expect(d.station).toMatchObject({ name: 'London Marylebone Road', id: '1170' });
    expect(d.station.latitude).toBeCloseTo(51.52, 2);
    expect(d.station.longitude).toBeCloseTo(-0.15, 2);
    expect(d.pollutant).toMatch(/2\.5/);
    expect(d.unit).toBe('µg/m³');
    // 25 hourly stamps in the window, one of which is UK-AIR's -99 fill.
    expect(d.statistics.count).toBe(24);
    expect(d.values.every((v: { value: number }) => v.value >= 0)).toBe(true);
    expect(d.latest.time).toBe('2026-01-10T11:00:00.000Z');
    // The one line the chat shows names the figure, its station, time and freshness.
    expect(d.summary).toBe(
      `UK-AIR (Defra), London Marylebone Road: PM2.5 ${d.latest.value} µg/m³, hour from 2026-01-10 11:00 UTC (live).`,
    );
    expect(defra.requests.at(-1)).toMatchObject({
      path: '/sos-ukair/api/v1/timeseries/5112/getData',
      query: { timespan: 'PT24H/2026-01-10T11:00:00Z' },
    });
    expect((await aq.tools.execute('get_defra_site_data', { site_code: 'London' })).meta).toMatchObject({
      cached: true,
    });
    clock.advance(600_000);
    defra.faults.add({ kind: 'down' });
    const stale = await aq.tools.execute('get_defra_site_data', { site_code: 'London' });
    expect(stale.meta).toMatchObject({ cached: true, stale: true });
    expect(data(stale).cache.note).toMatch(/10 min/);
    expect(data(stale).station.name).toBe('London Marylebone Road');
    expect(data(stale).summary).toMatch(/hour from 2026-01-10 11:00 UTC \(offline: cached .*10 minutes ago\)\.$/);
  });

  it('a species a station lacks moves to the next match; an unknown station and a dead service are no_data; the list and codes', async () => {
    const no2 = data(await aq.tools.execute('get_defra_site_data', { site_code: 'Manchester', species: 'NO2' }));
    expect(no2.station.name).toBe('Manchester Piccadilly');
    const pm10 = data(await aq.tools.execute('get_defra_site_data', { site_code: 'London', species: 'PM10' }));
    expect(pm10.station.name).toBe('London N. Kensington');
    const none = await aq.tools.execute('get_defra_site_data', { site_code: 'Atlantis' });
    expect(none.result).toMatchObject({
      ok: false,
      error: { code: 'no_data', message: expect.stringMatching(/Atlantis/) },
    });
    const sites = data(await aq.tools.execute('get_defra_sites', { search: 'london' }));
    expect(sites.stations.map((s: { name: string }) => s.name)).toEqual([
      'London Marylebone Road',
      'London N. Kensington',
    ]);
    const codes = data(await aq.tools.execute('get_defra_species_codes', {}));
    expect(codes.species.map((s: { code: string }) => s.code)).toContain('PM25');

    // A fresh store, UK-AIR down: nothing cached, so the answer says what failed.
    aq.store.db.prepare('DELETE FROM aq_cache').run();
    defra.faults.add({ kind: 'http', status: 503 });
    const down = await aq.tools.execute('get_defra_site_data', { site_code: 'London' });
    expect(down.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    expect(data(down).sources_tried[0]).toMatchObject({ source: 'UK-AIR (Defra)', outcome: 'failed' });
  });

  it('the emulator is as strict as the API: a malformed timespan is a 400 with its error body, an unknown series a 404', async () => {
    const bad = await fetch(`${defra.baseUrl}/timeseries/5112/getData?timespan=yesterday`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, userMessage: 'Invalid timespan' });
    const missing = await fetch(`${defra.baseUrl}/timeseries/1/getData?timespan=PT1H/2026-01-10T11:00:00Z`);
    expect(missing.status).toBe(404);
  });
});

describe('Umweltbundesamt (UBA)', () => {
  it('live hourly PM2.5 at Berlin stations in CET, cached, stale offline; closed stations skipped; unknown city no_data', async () => {
    const o = await aq.tools.execute('get_uba_measures', {
      component: 'PM2.5',
      scope: '1h',
      location: 'Berlin',
      hours: 24,
    });
    expect(o.meta).toMatchObject({ sources: ['uba'], cached: false });
    const d = data(o);
    expect(d).toMatchObject({ source: 'Umweltbundesamt (UBA)', pollutant: 'PM2.5', unit: 'µg/m³' });
    expect(d.stations.map((s: { station: { code: string } }) => s.station.code)).toEqual(['DEBE010', 'DEBE034']);
    const first = d.stations[0];
    expect(first.statistics.count).toBe(24);
    // 11:20 UTC is 12:20 CET: the last complete hour began at 11:00 CET.
    expect(first.latest.time).toBe('2026-01-10T11:00:00+01:00');
    expect(d.summary).toBe(
      `UBA, Berlin Wedding (DEBE010): PM2.5 ${first.latest.value} µg/m³, period from 2026-01-10 11:00 UTC+01:00 (live).`,
    );
    expect(uba.requests.at(-1)!.query).toMatchObject({
      date_from: '2026-01-09',
      time_from: '13',
      date_to: '2026-01-10',
      time_to: '12',
      component: '9',
      scope: '2',
    });
    expect((await aq.tools.execute('get_uba_measures', { component: 'pm2.5', location: 'Berlin' })).meta).toMatchObject(
      {
        cached: true,
      },
    );
    clock.advance(600_000);
    uba.faults.add({ kind: 'down' });
    const stale = await aq.tools.execute('get_uba_measures', { component: 'pm2.5', location: 'Berlin' });
    expect(stale.meta).toMatchObject({ cached: true, stale: true });
    uba.faults.clear();
    const none = await aq.tools.execute('get_uba_measures', { component: 'no2', location: 'Atlantis' });
    expect(none.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    const daily = data(
      await aq.tools.execute('get_uba_measures', { component: 'pm10', scope: '24h', location: 'DEBY039', hours: 72 }),
    );
    expect(daily.stations[0].station.name).toBe('München/Stachus');
    expect(daily.stations[0].values.every((v: { time: string }) => v.time.endsWith('T00:00:00+01:00'))).toBe(true);
  });

  it('a failing UBA with nothing cached says so; the emulator refuses a query without dates (400)', async () => {
    uba.faults.add({ kind: 'error', message: 'maintenance' });
    const o = await aq.tools.execute('get_uba_measures', { component: 'o3', location: 'Berlin' });
    expect(o.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    expect(data(o).sources_tried[0]).toMatchObject({ outcome: 'failed' });
    uba.faults.clear();
    const res = await fetch(`${uba.baseUrl}/measures/json?station=282&component=9&scope=2`);
    expect(res.status).toBe(400);
  });
});

describe('NSW Air Quality', () => {
  it('latest hourly values for Sydney sites with categories (AEST), cached, stale offline; per-pollutant summaries; site list', async () => {
    const o = await aq.tools.execute('get_nsw_air_quality', { location: 'Sydney East' });
    expect(o.meta).toMatchObject({ sources: ['nsw'], cached: false });
    const d = data(o);
    expect(d.source).toBe('NSW Air Quality');
    expect(d.sites.map((s: { site: { name: string } }) => s.site.name).sort()).toEqual(['RANDWICK', 'ROZELLE']);
    const pm = d.sites[0].readings.find((r: { pollutant: string }) => r.pollutant === 'PM2.5');
    // 11:20 UTC is 21:20 AEST: the last complete hour is 20:00–21:00.
    expect(pm).toMatchObject({ unit: 'µg/m³', time: '2026-01-10T20:00:00+10:00', category: 'GOOD' });
    expect(d.summary).toMatch(
      /^NSW Air Quality, (RANDWICK|ROZELLE): PM2\.5 [\d.]+ µg\/m³ \(GOOD\), hour from 2026-01-10 20:00 UTC\+10:00 \(live\)\.$/,
    );
    const post = nsw.requests.find((r) => r.path === '/api/Data/get_Observations');
    expect(post).toMatchObject({
      method: 'POST',
      body: { StartDate: '2026-01-09', EndDate: '2026-01-10', Sites: [39, 107], Categories: ['Averages'] },
    });
    expect((await aq.tools.execute('get_nsw_air_quality', { location: 'sydney east' })).meta).toMatchObject({
      cached: true,
    });
    clock.advance(600_000);
    nsw.faults.add({ kind: 'down' });
    const stale = await aq.tools.execute('get_nsw_air_quality', { location: 'Sydney East' });
    expect(stale.meta).toMatchObject({ cached: true, stale: true });
    nsw.faults.clear();

    const pol = data(await aq.tools.execute('get_nsw_pollutant_data', { pollutant: 'PM10', hours: 6 }));
    expect(pol.sites).toHaveLength(4);
    expect(pol.sites[0]).toMatchObject({ unit: 'µg/m³', count: 6 });
    const sites = data(await aq.tools.execute('get_nsw_sites', { region: 'Hunter' }));
    expect(sites.sites).toEqual([
      { siteId: 329, name: 'NEWCASTLE', region: 'Lower Hunter', latitude: -32.9323, longitude: 151.7596 },
    ]);
    const none = await aq.tools.execute('get_nsw_air_quality', { location: 'Perth' });
    expect(none.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
  });

  it('a dead NSW service with nothing cached is a failure in words; the emulator refuses GET and non-JSON bodies', async () => {
    nsw.faults.add({ kind: 'down' });
    const o = await aq.tools.execute('get_nsw_air_quality', {});
    expect(o.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    nsw.faults.clear();
    expect((await fetch(`${nsw.url}/api/Data/get_Observations`)).status).toBe(405);
    const text = await fetch(`${nsw.url}/api/Data/get_Observations`, { method: 'POST', body: 'StartDate=2026-01-10' });
    expect(text.status).toBe(415);
    const noDates = await fetch(`${nsw.url}/api/Data/get_Observations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Parameters: ['PM2.5'] }),
    });
    expect(noDates.status).toBe(400);
  });
});

describe('UK carbon intensity', () => {
  it('one tool with views; the original five names are aliases that are called but not offered to the model', async () => {
    const now = await aq.tools.execute('get_uk_carbon_intensity', {});
    expect(now.meta).toMatchObject({ sources: ['carbonintensity'], cached: false });
    expect(data(now).data[0]).toMatchObject({ from: '2026-01-10T11:00Z', to: '2026-01-10T11:30Z' });
    expect(data(now).data[0].intensity.index).toEqual(expect.any(String));
    const alias = await aq.tools.execute('get_uk_carbon_intensity_current', {});
    expect(alias.name).toBe('get_uk_carbon_intensity_current');
    expect(alias.meta).toMatchObject({ cached: true });
    const today = data(await aq.tools.execute('get_uk_carbon_intensity_today', {}));
    expect(today.data).toHaveLength(48);
    const london = data(await aq.tools.execute('get_uk_carbon_intensity_regional', { region: 'London' }));
    expect(london.data[0]).toMatchObject({ regionid: 13, shortname: 'London' });
    expect(carbon.requests.at(-1)!.path).toBe('/regional/regionid/13');
    const mix = data(await aq.tools.execute('get_uk_generation_mix', {}));
    expect(mix.data.generationmix.map((m: { fuel: string }) => m.fuel)).toContain('wind');
    const factors = data(await aq.tools.execute('get_uk_carbon_intensity_factors', {}));
    expect(factors.data[0].Coal).toBe(937);
    const names = aq.tools.definitions().map((d) => d.function.name);
    expect(names).toContain('get_uk_carbon_intensity');
    expect(names).not.toContain('get_uk_generation_mix');
    expect(aq.tools.has('get_uk_generation_mix')).toBe(true);
    const bad = await aq.tools.execute('get_uk_carbon_intensity', { view: 'regional', region: 'Atlantis' });
    expect(bad.result).toMatchObject({
      ok: false,
      error: { code: 'no_data', message: expect.stringMatching(/london/) },
    });
  });

  it('stale offline with its age, and a failure in words with nothing cached', async () => {
    await aq.tools.execute('get_uk_carbon_intensity', { view: 'generation_mix' });
    clock.advance(900_000);
    carbon.faults.add({ kind: 'down' });
    const stale = await aq.tools.execute('get_uk_carbon_intensity', { view: 'generation_mix' });
    expect(stale.meta).toMatchObject({ cached: true, stale: true });
    expect(data(stale).cache.note).toMatch(/15 min/);
    const none = await aq.tools.execute('get_uk_carbon_intensity', { view: 'today' });
    expect(none.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    carbon.faults.clear();
    const res = await fetch(`${carbon.url}/regional/regionid/99`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: '400 Bad Request' } });
  });
});

describe('get_airqo_metadata', () => {
  it('sites, grids and devices, cached a day; stale offline; a bad token fails in words', async () => {
    const sites = await aq.tools.execute('get_airqo_metadata', { entity_type: 'sites' });
    expect(sites.meta).toMatchObject({ sources: ['airqo'], cached: false });
    expect(data(sites).items[0]).toMatchObject({
      id: '64b7f2a1c3d4e5f600000001',
      name: 'Makerere University',
      city: 'Kampala',
    });
    expect(airqo.requests.at(-1)).toMatchObject({
      path: '/api/v2/devices/metadata/sites',
      query: { token: 'test-airqo-token' },
    });
    const grids = data(await aq.tools.execute('get_airqo_metadata', { entity_type: 'grids' }));
    expect(grids.items.map((g: { long_name: string }) => g.long_name)).toEqual(['Kampala', 'Jinja', 'Kisumu']);
    expect((await aq.tools.execute('get_airqo_metadata', { entity_type: 'sites' })).meta).toMatchObject({
      cached: true,
    });
    clock.advance(2 * 86_400_000);
    airqo.faults.add({ kind: 'down' });
    expect((await aq.tools.execute('get_airqo_metadata', { entity_type: 'sites' })).meta).toMatchObject({
      stale: true,
    });
    const devices = await aq.tools.execute('get_airqo_metadata', { entity_type: 'devices' });
    expect(devices.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    airqo.faults.clear();
    airqo.tokens.clear();
    const denied = await aq.tools.execute('get_airqo_metadata', { entity_type: 'cohorts' });
    expect(data(denied).sources_tried[0].reason).toMatch(/rejected the API token/);
    airqo.tokens.add('test-airqo-token');
  });
});
