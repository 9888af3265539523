import type http from 'node:http';
import type { Engine } from '../../engine';
import { sendJson } from '../http-io';
import { SeedHttpError } from './fastapi-errors';
import { readFormBody } from './form-body';
import { parseFields } from './form-validation';
import { seedSchemas } from './seed-schemas';
import { uploadDirOf } from './chat-routes';

/** What `generate_chart` draws: the chat renders the spec itself (no image files, unlike the original). */
const CAPABILITIES = {
  available: true,
  chart_types: ['line', 'bar', 'area'],
  output: 'chart spec (JSON) rendered by the client',
  max_series: 8,
  max_points_per_series: 2000,
  reference_lines: ['pm25_24h', 'pm25_annual', 'pm10_24h', 'pm10_annual'],
  aqi_bands: true,
  export_formats: ['png', 'svg', 'csv'],
};

/**
 * `POST /api/v1/air-quality/query`: readings for a city and/or a point, and a forecast when asked — from the
 * same sources and cache as the agent's tools. Keys follow what was asked (`city`, `coordinates`, `forecast`)
 * rather than the original's per-source keys; every answer says which source served it.
 */
async function airQualityQuery(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { fields, file } = await readFormBody(req, uploadDirOf(engine));
  if (file) throw new SeedHttpError(400, 'Documents are not taken here; send them to /api/v1/agent/chat.');
  const q = parseFields(seedSchemas().AirQualityQuery, fields);
  const city = q.city?.trim() || null;
  const lat = q.latitude ?? null;
  const lon = q.longitude ?? null;
  const days = q.forecast_days ?? null;
  const wantForecast = q.include_forecast === true;
  const point = lat !== null && lon !== null;
  if (!city && !point) throw new SeedHttpError(400, 'Give a city, or latitude and longitude.');

  const aq = engine.airQuality;
  const results: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  if (city) {
    const a = await aq.cityAirQuality(city);
    if (a.ok) results.city = a;
    else errors.city = a.message;
  }
  if (point) {
    const a = await aq.openMeteoCurrent(lat, lon);
    if (a.ok) results.coordinates = a;
    else errors.coordinates = a.message;
  }
  if (wantForecast) {
    const near = point ? aq.gazetteer.nearest(lat, lon) : null;
    const where = city ?? (near ? near.place.name : null);
    if (where) {
      const a = await aq.forecast(where, days ?? 5);
      if (a.ok) results.forecast = a;
      else errors.forecast = a.message;
    } else errors.forecast = 'No named place near these coordinates to forecast for.';
  }
  if (Object.keys(results).length === 0) {
    const location = city ?? `(${lat}, ${lon})`;
    sendJson(res, 404, {
      detail: {
        message: `No air quality data found for ${location}`,
        errors,
        suggestion: 'Try a different location or provide coordinates for Open-Meteo',
      },
    });
    return;
  }
  sendJson(res, 200, { ...results, ...(Object.keys(errors).length ? { errors } : {}) });
}

/** `/api/v1/health`, `/api/v1/air-quality/query`, `/api/v1/visualization/capabilities`. */
export async function handleOtherSeedRoutes(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  if (url.pathname === '/api/v1/health' && (method === 'GET' || method === 'HEAD')) {
    // The original answers {status: "ok", version}; the full report rides along (`state` is ours).
    const report = await engine.health.check();
    sendJson(res, report.status === 'unhealthy' ? 503 : 200, {
      ...report,
      status: report.status === 'unhealthy' ? 'unhealthy' : 'ok',
      state: report.status,
    });
    return true;
  }
  if (url.pathname === '/api/v1/visualization/capabilities' && method === 'GET') {
    sendJson(res, 200, CAPABILITIES);
    return true;
  }
  if (url.pathname === '/api/v1/air-quality/query' && method === 'POST') {
    await airQualityQuery(engine, req, res);
    return true;
  }
  return false;
}
