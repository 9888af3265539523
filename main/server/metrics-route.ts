import type http from 'node:http';
import type { Engine } from '../engine';
import { renderPrometheus, PROMETHEUS_CONTENT_TYPE } from '../ops/metrics';
import type { RequestGuard } from './request-guard';
import { sendJson } from './http-io';

/** `GET /metrics` in Prometheus text format; like the rest of the API it needs the bearer token. */
export function handleMetricsRoute(
  engine: Engine,
  guard: RequestGuard,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): boolean {
  if (url.pathname !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  if (!guard.authorized(req)) {
    sendJson(
      res,
      401,
      { error: 'Missing or wrong bearer token.', code: 'unauthorized' },
      { 'WWW-Authenticate': 'Bearer' },
    );
    return true;
  }
  const body = renderPrometheus(engine.metrics, engine.clock.now());
  res.writeHead(200, {
    'Content-Type': PROMETHEUS_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

/**
 * Counts an HTTP request in the metrics. The bridge (`/bridge/…`) is left out: its calls are counted as
 * contract calls, and its event stream stays open for hours. So are static files: they are not API work.
 */
export function recordHttpRequest(engine: Engine, req: http.IncomingMessage, status: number, ms: number): void {
  const p = (req.url ?? '').split('?')[0] ?? '';
  if (!(p.startsWith('/api/') || p === '/health' || p === '/metrics')) return;
  engine.metrics.recordRequest('http', ms, status < 500);
}
