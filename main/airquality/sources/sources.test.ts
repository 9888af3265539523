import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { AirQoEmulator } from '../../../e2e/emulators/airqo-emulator';
import { OpenMeteoEmulator } from '../../../e2e/emulators/openmeteo-emulator';
import { SourceHttp } from './source-http';
import { SourceError, redactSecrets } from './source-error';
import { WaqiClient } from './waqi-client';
import { AirQoClient } from './airqo-client';
import { OpenMeteoClient } from './openmeteo-client';
import { CircuitBreaker } from './circuit-breaker';
import { resolveSourcesConfig } from './source-config';
import { ManualClock } from '../../../test/doubles/manual-clock';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 11, 20, 0));
const waqiEmu = new WaqiEmulator({ now: () => clock.now() });
const airqoEmu = new AirQoEmulator({ now: () => clock.now() });
const omEmu = new OpenMeteoEmulator({ now: () => clock.now() });

beforeAll(async () => {
  await Promise.all([waqiEmu.start(), airqoEmu.start(), omEmu.start()]);
});
afterAll(async () => {
  await Promise.all([waqiEmu.close(), airqoEmu.close(), omEmu.close()]);
});
beforeEach(() => {
  for (const e of [waqiEmu, airqoEmu, omEmu]) {
    e.faults.clear();
    e.requests.length = 0;
  }
});

function http(
  source: 'waqi' | 'airqo' | 'openmeteo',
  secrets: string[] = [],
  extra: Partial<ConstructorParameters<typeof SourceHttp>[0]> = {},
) {
  return new SourceHttp({
    source,
    fetch,
    clock,
    secrets: () => secrets,
    timeoutMs: 2000,
    retries: 0,
    backoffMs: 1,
    ...extra,
  });
}

async function caught(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error('expected a SourceError');
}

describe('WAQI client', () => {
  const token = 'test-waqi-token';
  const client = (t: string | null = token, url = () => waqiEmu.url) =>
    new WaqiClient({ http: http('waqi', t ? [t] : []), baseUrl: url, token: () => t });

  it('reads a city feed: AQI on the US scale, iaqi as sub-indices (never µg/m³), time, attribution', async () => {
    const { reading, forecast } = await client().cityFeed('Kampala');
    expect(reading).toMatchObject({
      source: 'waqi',
      dataType: 'measurement',
      station: { id: '@8675', name: 'Kampala US Embassy, Uganda' },
    });
    expect(reading.aqi).toMatchObject({ value: 158, category: 'Unhealthy', dominantPollutant: 'pm25' });
    expect(reading.concentrations).toEqual({});
    expect(reading.subIndices).toEqual({ pm25: 158, pm10: 62 });
    expect(reading.weather).toEqual({ temperatureC: 24, humidityPct: 70 });
    expect(reading.notes.join(' ')).toMatch(/not concentrations/);
    expect(reading.measuredAt).toBe('2026-01-10T11:00:00.000Z');
    expect(reading.utcOffsetSeconds).toBe(3 * 3600);
    expect(reading.attribution.map((a) => a.name)).toEqual([
      'World Air Quality Index Project',
      'U.S. Department of State',
      'World Air Quality Index Project',
    ]);
    expect(forecast?.days).toHaveLength(3);
    expect(forecast?.days[0]).toMatchObject({
      date: '2026-01-10',
      subIndex: { pm25: { avg: 150 } },
      aqi: { value: 150 },
    });
    expect(waqiEmu.requests[0]).toMatchObject({ path: '/feed/Kampala/', query: { token } });
  });

  it('takes "-" as no current AQI', async () => {
    const { reading } = await client().cityFeed('quietville');
    expect(reading.aqi).toBeNull();
    expect(reading.notes.join(' ')).toMatch(/no current AQI/);
  });

  it('maps the error shapes: Invalid key (HTTP 200) and Unknown station', async () => {
    const bad = await caught(client('wrong-token').cityFeed('Kampala'));
    expect(bad).toMatchObject({ kind: 'auth', source: 'waqi' });
    expect(bad.message).not.toContain('wrong-token');
    expect((await caught(client().cityFeed('Atlantis'))).kind).toBe('not_found');
    expect((await caught(client(null).cityFeed('Kampala'))).kind).toBe('not_configured');
  });

  it('reads feeds by coordinates and station, and searches', async () => {
    expect((await client().geoFeed(51.5, -0.12)).station.name).toBe('London');
    expect((await client().stationFeed(1451)).aqi?.value).toBe(287);
    const hits = await client().search('nairobi');
    expect(hits[0]).toMatchObject({ uid: 7021, station: { name: 'Nairobi, Kenya' } });
  });

  it('never puts the token in an error, even when the host is unreachable', async () => {
    const c = new WaqiClient({
      http: http('waqi', ['sekret-token-123']),
      baseUrl: () => 'http://127.0.0.1:9',
      token: () => 'sekret-token-123',
    });
    const err = await caught(c.cityFeed('Kampala'));
    expect(err.kind).toBe('network');
    expect(err.message).not.toContain('sekret-token-123');
    expect(redactSecrets('https://x/feed/a/?token=abc123&x=1 sekret', ['sekret'])).toBe(
      'https://x/feed/a/?token=[redacted]&x=1 [redacted]',
    );
  });
});

describe('AirQo client', () => {
  const token = 'test-airqo-token';
  const client = (t: string | null = token) =>
    new AirQoClient({ http: http('airqo', t ? [t] : []), baseUrl: () => airqoEmu.baseUrl, token: () => t });

  it('searches sites and reads recent measurements in µg/m³ with a locally computed 2024 AQI', async () => {
    const sites = await client().searchSites('Kampala');
    expect(sites.map((s) => s.name)).toEqual(['Makerere University', 'Nakawa Market']);
    expect(sites[0]).toMatchObject({ city: 'Kampala', country: 'Uganda', latitude: 0.3337 });
    const [r] = await client().recentForSite(sites[0]!.id);
    expect(r).toMatchObject({
      source: 'airqo',
      dataType: 'measurement',
      station: { name: 'Makerere University, Kampala, Uganda' },
    });
    expect(r!.concentrations.pm2_5).toEqual({ value: 38.2, unit: 'µg/m³' });
    expect(r!.aqi).toMatchObject({ value: 108, category: 'Unhealthy for Sensitive Groups' });
    expect(r!.measuredAt).toBe('2026-01-10T11:00:00.000Z');
    expect(r!.attribution[0]!.name).toMatch(/AirQo/);
    expect(r!.healthTips?.[0]).toMatch(/For Everyone/);
  });

  it('notes when AirQo’s own category (old breakpoints) differs from the 2024 one', async () => {
    const [r] = await client().recentForSite('64b7f2a1c3d4e5f600000003'); // 21.4 µg/m³
    expect(r!.aqi?.category).toBe('Moderate');
    const nakawa = (await client().recentForSite('64b7f2a1c3d4e5f600000002'))[0]!; // 10.5: Good before 2024, Moderate now
    expect(nakawa.aqi?.category).toBe('Moderate');
    expect(nakawa.notes.join(' ')).toMatch(/pre-2024/);
  });

  it('maps a bad token (401), a malformed site id (400) and an empty site', async () => {
    const auth = await caught(client('nope').searchSites('Kampala'));
    expect(auth).toMatchObject({ kind: 'auth', status: 401 });
    expect(auth.message).not.toContain('nope');
    expect((await caught(client().recentForSite('not-an-id'))).kind).toBe('bad_request');
    expect(await client().recentForSite('64b7f2a1c3d4e5f600000004')).toEqual([]);
  });

  it('reads history within the free tier’s 24 hours', async () => {
    const h = await client().historyForSite('64b7f2a1c3d4e5f600000001', {
      startTime: '2026-01-08T00:00:00Z',
      endTime: '2026-01-10T11:00:00Z',
      frequency: 'hourly',
    });
    expect(h.points.length).toBe(25);
    expect(h.points[0]!.time).toBe('2026-01-09T11:00:00.000Z');
    expect(h.station.name).toMatch(/Makerere/);
    expect(h.unit).toBe('µg/m³');
  });
});

describe('Open-Meteo client', () => {
  const client = () => new OpenMeteoClient({ http: http('openmeteo'), baseUrl: () => omEmu.url });

  it('reads current model values, labelled as CAMS model output, with a NowCast AQI', async () => {
    const r = await client().current(0.3476, 32.5825, 'Kampala, Uganda');
    expect(r).toMatchObject({
      source: 'openmeteo',
      dataType: 'model',
      station: { name: 'CAMS model grid cell near Kampala, Uganda' },
    });
    expect(r.notes[0]).toMatch(/CAMS model output.*not measurements/);
    expect(r.aqi?.basis).toMatch(/NowCast/);
    expect(r.concentrations.pm2_5?.unit).toBe('µg/m³');
    expect(r.measuredAt).toBe('2026-01-10T11:00:00.000Z');
    expect(r.attribution.map((a) => a.name)).toContain('Copernicus Atmosphere Monitoring Service (CAMS)');
    expect(omEmu.requests[0]!.query).toMatchObject({
      latitude: '0.3476',
      longitude: '32.5825',
      timezone: 'auto',
      past_days: '1',
    });
  });

  it('gives daily forecasts with the AQI of each day’s mean', async () => {
    const f = await client().forecast(0.3476, 32.5825, 3);
    expect(f.days).toHaveLength(3);
    const d = f.days[0]!;
    expect(d.pm2_5!.min).toBeLessThanOrEqual(d.pm2_5!.mean);
    expect(d.aqi?.basis).toMatch(/mean/);
  });

  it('maps {"error":true,"reason"} (HTTP 400) to a bad request that does not trip the breaker', async () => {
    const h = http('openmeteo');
    const c = new OpenMeteoClient({ http: h, baseUrl: () => omEmu.url });
    const err = await caught(c.current(95, 10));
    expect(err).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(err.message).toMatch(/Latitude must be in range/);
    expect(h.breaker.status().consecutiveFailures).toBe(0);
  });
});

describe('timeouts, retries and the circuit breaker', () => {
  it('times out a slow source', async () => {
    omEmu.faults.add({ kind: 'slow', delayMs: 400 }, 1);
    const c = new OpenMeteoClient({ http: http('openmeteo', [], { timeoutMs: 100 }), baseUrl: () => omEmu.url });
    expect((await caught(c.current(0, 0))).kind).toBe('timeout');
  });

  it('retries transient failures with backoff, then succeeds', async () => {
    omEmu.faults.add({ kind: 'http', status: 502 }, 1);
    omEmu.faults.add({ kind: 'down' }, 1);
    const delays: number[] = [];
    const h = http('openmeteo', [], { retries: 2, backoffMs: 50, sleep: async (ms) => void delays.push(ms) });
    const r = await new OpenMeteoClient({ http: h, baseUrl: () => omEmu.url }).current(0, 0);
    expect(r.source).toBe('openmeteo');
    expect(delays).toEqual([50, 100]);
    expect(omEmu.requests).toHaveLength(3);
    expect(h.breaker.status().consecutiveFailures).toBe(0);
  });

  it('does not retry a bad token', async () => {
    const c = new WaqiClient({
      http: http('waqi', [], { retries: 3 }),
      baseUrl: () => waqiEmu.url,
      token: () => 'bad',
    });
    await caught(c.cityFeed('London'));
    expect(waqiEmu.requests).toHaveLength(1);
  });

  it('opens after 5 consecutive failures for 300 s, lets one trial through, and a success resets it', async () => {
    const bclock = new ManualClock();
    const breaker = new CircuitBreaker(bclock);
    const h = http('openmeteo', [], { breaker });
    const c = new OpenMeteoClient({ http: h, baseUrl: () => omEmu.url });
    omEmu.faults.add({ kind: 'down' }, 5);
    for (let i = 0; i < 5; i++) expect((await caught(c.current(0, 0))).kind).toBe('network');
    expect(breaker.status()).toMatchObject({ state: 'open', consecutiveFailures: 5 });
    const open = await caught(c.current(0, 0));
    expect(open.kind).toBe('circuit_open');
    expect(omEmu.requests).toHaveLength(5); // the open breaker sent nothing
    bclock.advance(299_000);
    expect(breaker.state).toBe('open');
    bclock.advance(1_000);
    expect(breaker.state).toBe('half_open');
    // A failed trial re-opens it at once.
    omEmu.faults.add({ kind: 'http', status: 503 }, 1);
    expect((await caught(c.current(0, 0))).kind).toBe('http');
    expect(breaker.state).toBe('open');
    bclock.advance(300_000);
    await c.current(0, 0);
    expect(breaker.status()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(breaker.status().lastSuccessAt).toBe(bclock.now());
  });

  it('a success between failures resets the count', async () => {
    const breaker = new CircuitBreaker(clock);
    const c = new OpenMeteoClient({ http: http('openmeteo', [], { breaker }), baseUrl: () => omEmu.url });
    omEmu.faults.add({ kind: 'down' }, 4);
    for (let i = 0; i < 4; i++) await caught(c.current(0, 0));
    await c.current(0, 0);
    omEmu.faults.add({ kind: 'down' }, 4);
    for (let i = 0; i < 4; i++) await caught(c.current(0, 0));
    expect(breaker.state).toBe('closed');
  });
});

describe('source configuration', () => {
  it('env beats saved settings beats defaults; keys are optional only where not needed', () => {
    const cfg = resolveSourcesConfig(
      { AERIS_WAQI_URL: 'http://127.0.0.1:1', AERIS_WAQI_TOKEN: 'envtok', AERIS_CACHE_TTL_SECONDS: '60' },
      { waqiToken: 'saved', airqoToken: 'savedairqo', openMeteoUrl: 'http://om.local' },
    );
    expect(cfg.sources.waqi).toMatchObject({
      baseUrl: 'http://127.0.0.1:1',
      baseUrlFrom: 'env',
      key: 'envtok',
      keyFrom: 'env',
      configured: true,
    });
    expect(cfg.sources.airqo).toMatchObject({
      baseUrl: 'https://api.airqo.net/api/v2',
      baseUrlFrom: 'default',
      key: 'savedairqo',
      keyFrom: 'settings',
    });
    expect(cfg.sources.openmeteo).toMatchObject({ baseUrl: 'http://om.local', configured: true, needsKey: false });
    expect(cfg.sources.openaq).toMatchObject({ configured: false, keyFrom: 'none' });
    expect(cfg.readingTtlMs).toBe(60_000);
    expect(cfg.forecastTtlMs).toBe(3 * 3600_000);
  });
});
