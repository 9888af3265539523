import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AirQoEmulator } from '../../../e2e/emulators/airqo-emulator';
import { OpenMeteoEmulator } from '../../../e2e/emulators/openmeteo-emulator';
import { WaqiEmulator } from '../../../e2e/emulators/waqi-emulator';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import { startHttpServer, type RunningServer } from '../http-server';

const TOKEN = 'seed-other-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };
const waqi = new WaqiEmulator();
const airqo = new AirQoEmulator();
const om = new OpenMeteoEmulator();

// Test-only: the shapes are what the assertions check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

beforeAll(async () => {
  await Promise.all([waqi.start(), airqo.start(), om.start()]);
});
afterAll(async () => {
  await Promise.all([waqi.close(), airqo.close(), om.close()]);
});

describe("the original server's health, air-quality query and visualization routes", () => {
  let f: EngineFixture;
  let server: RunningServer;
  beforeEach(async () => {
    f = await engineFixture({
      env: {
        AERIS_WAQI_URL: waqi.url,
        AERIS_WAQI_TOKEN: 'test-waqi-token',
        AERIS_AIRQO_URL: airqo.baseUrl,
        AERIS_AIRQO_TOKEN: 'test-airqo-token',
        AERIS_OPENMETEO_URL: om.url,
      },
    });
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
  });
  afterEach(async () => {
    await server.close();
    await f.close();
  });
  const post = (body: Record<string, unknown>) =>
    fetch(`${server.url}/api/v1/air-quality/query`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('GET /api/v1/health answers {status: "ok", version}', async () => {
    const res = await fetch(`${server.url}/api/v1/health`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'ok', version: expect.any(String), state: 'healthy' });
  });

  it('GET /api/v1/visualization/capabilities lists the chart types the agent draws', async () => {
    const body = await json(await fetch(`${server.url}/api/v1/visualization/capabilities`, { headers: auth }));
    expect(body).toMatchObject({ available: true, chart_types: ['line', 'bar', 'area'] });
  });

  it('queries a city with its forecast, and a point, from the same sources as the tools', async () => {
    const res = await post({ city: 'Kampala', include_forecast: true, forecast_days: 3 });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.city).toMatchObject({ ok: true, data: { source: expect.stringMatching(/airqo/i) } });
    expect(body.forecast).toMatchObject({ ok: true });
    // A second query is served from the cache the agent's tools share.
    const again = await json(await post({ city: 'Kampala' }));
    expect(again.city.cache).toMatchObject({ hit: true });

    const form = new URLSearchParams({ latitude: '0.35', longitude: '32.58' });
    const point = await fetch(`${server.url}/api/v1/air-quality/query`, { method: 'POST', headers: auth, body: form });
    expect(point.status).toBe(200);
    expect((await json(point)).coordinates).toMatchObject({ ok: true });
  });

  it('validates as FastAPI would, and says when nothing was asked', async () => {
    const bad = await post({ city: 'Kampala', forecast_days: 9 });
    expect(bad.status).toBe(422);
    expect((await json(bad)).detail[0]).toMatchObject({ loc: ['body', 'forecast_days'] });
    const none = await post({});
    expect(none.status).toBe(400);
    expect((await json(none)).detail).toMatch(/city/);
  });
});
