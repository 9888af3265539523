import { engineMessage } from '../../preload/shared/engine-messages';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHandlers } from '../api/handlers';
import { explainDiskFull } from '../core/disk-full';
import { AppError } from '../core/errors';
import type { Clock } from '../core/clock';
import type { Engine } from '../engine';
import { handleBackupsApi } from './backups-api';
import { handleBridge } from './bridge-api';
import { handleImportsApi } from './imports-api';
import { handleLegacyImportApi } from './legacy-import-api';
import { sendError, sendJson } from './http-io';
import {
  clientKey,
  DEFAULT_MAX_OPEN_STREAMS,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  isChatRoute,
  isStreamRoute,
  RateLimiter,
  SharedResult,
  StreamGate,
} from './load-limits';
import { handleMetricsRoute, recordHttpRequest } from './metrics-route';
import { storeDamagedError } from '../ops/recovery/recovery-state';
import { RequestGuard } from './request-guard';
import { handleSeedApi } from './seed-api';
import { openApiDocument } from './seed/openapi';
import { sendSeedError } from './seed/fastapi-errors';
import { serveStatic } from './static-files';
import { serveDocs } from './docs-route';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './upload-limits';

interface ServeOptions {
  host: string;
  port: number;
  token: string;
  /** The built renderer; when missing, `/` explains how to build it. */
  rendererDir: string | null;
  /**
   * Chat requests per minute per client (`AERIS_RATE_LIMIT_PER_MINUTE`; 0 = off), open event streams, and their
   * clock; upload sizes (`uploadLimitsFromEnv`). What is not given takes its default.
   */
  limits?: { ratePerMinute?: number; maxOpenStreams?: number; clock?: Clock } & Partial<UploadLimits>;
}

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** One access-log line per request, as the seed's `logs/access.log` (no query strings: they may hold secrets). */
function accessLogger(logsDir: string) {
  const file = path.join(logsDir, 'access.log');
  return (req: http.IncomingMessage, status: number, ms: number) => {
    const line = `${new Date().toISOString()} ${req.socket.remoteAddress ?? '-'} "${req.method} ${(req.url ?? '').split('?')[0]}" ${status} ${ms.toFixed(1)}ms\n`;
    fs.appendFile(file, line, () => undefined);
  };
}

export async function startHttpServer(engine: Engine, opts: ServeOptions): Promise<RunningServer> {
  const handlers = createHandlers(engine, 'serve');
  const log = accessLogger(engine.paths.logsDir);
  let guard: RequestGuard | null = null;
  const clock = opts.limits?.clock ?? engine.clock;
  const rate = new RateLimiter(opts.limits?.ratePerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE, clock);
  const streams = new StreamGate(opts.limits?.maxOpenStreams ?? DEFAULT_MAX_OPEN_STREAMS);
  const importMax = opts.limits?.importMaxBytes ?? DEFAULT_UPLOAD_LIMITS.importMaxBytes;
  const backupUploadMax = opts.limits?.backupUploadMaxBytes ?? DEFAULT_UPLOAD_LIMITS.backupUploadMaxBytes;
  // Probes share one check per 1.5 s: a flood of /health costs the server no more than one probe.
  const health = new SharedResult(() => engine.health.check(), clock, 1_500);

  const server = http.createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () => {
      const ms = performance.now() - started;
      log(req, res.statusCode, ms);
      recordHttpRequest(engine, req, res.statusCode, ms);
    });
    void route(req, res).catch((raw: unknown) => {
      // A full disk is a 507 in words, not a 500 "Internal error".
      const err = explainDiskFull(raw, engine.paths.root);
      if (!(err instanceof AppError))
        engine.logger.log('error', 'http', 'request failed', { path: req.url, error: String(err) });
      // The original's routes answer in FastAPI's shape (`detail`), whatever refused them: clients read that.
      if (isSeedPath(req.url)) sendSeedError(res, err);
      else sendError(res, err);
    });
  });

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const g = guard!;
    if (!g.hostAllowed(req)) {
      throw new AppError('forbidden', 'Host not allowed.', {}, engineMessage('error.hostNotAllowed', {}));
    }
    if (!g.originAllowed(req)) {
      throw new AppError('forbidden', 'Origin not allowed.', {}, engineMessage('error.originNotAllowed', {}));
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';

    if (url.pathname === '/health' && (method === 'GET' || method === 'HEAD')) {
      const report = await health.get();
      // Without the token: the light status only (the checks name folders, hosts and sizes).
      const { status, database, cache, ollama, version, timestamp } = report;
      const body = g.authorized(req) ? report : { status, database, cache, ollama, version, timestamp };
      sendJson(res, status === 'unhealthy' ? 503 : 200, body);
      return;
    }
    if (handleMetricsRoute(engine, g, req, res, url)) return;
    // The original's schema document is public, as FastAPI serves it: it describes routes, holds no data.
    if (url.pathname === '/openapi.json' && method === 'GET') return sendJson(res, 200, openApiDocument());
    const isApi = url.pathname.startsWith('/api/') || url.pathname.startsWith('/bridge/');
    if (isApi) {
      if (!g.authorized(req)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        throw new AppError(
          'unauthorized',
          'Missing or wrong bearer token.',
          {},
          engineMessage('error.unauthorized', {}),
        );
      }
      if (isChatRoute(method, url.pathname)) {
        const d = rate.take(clientKey(req));
        if (!d.ok) {
          req.resume();
          res.setHeader('Retry-After', String(d.retryAfterSec));
          throw new AppError(
            'rate_limited',
            `Too many chat requests: try again in ${d.retryAfterSec} s.`,
            {},
            engineMessage('error.tooManyChats', { seconds: d.retryAfterSec }),
          );
        }
      }
      if (isStreamRoute(method, url.pathname)) {
        const release = streams.tryOpen();
        if (!release) {
          req.resume();
          res.setHeader('Retry-After', '5');
          throw new AppError(
            'busy',
            `Too many open event streams (${streams.max}): close one or try again shortly.`,
            {},
            engineMessage('error.tooManyStreams', { max: streams.max }),
          );
        }
        res.once('close', release);
      }
      if (await handleBridge(engine, handlers, req, res, url)) return;
      // Backups work on a damaged store too (a restore is how it is mended).
      if (await handleBackupsApi(engine, req, res, url, backupUploadMax)) return;
      // The seed and import routes read and write the store: refuse them while it is damaged.
      const damaged = engine.recoveryState.current();
      if (damaged) throw storeDamagedError(damaged.reason);
      if (await handleImportsApi(engine, req, res, url, importMax)) return;
      if (await handleLegacyImportApi(engine, req, res, url, importMax)) return;
      if (await handleSeedApi(engine, req, res, url)) return;
      throw new AppError(
        'not_found',
        `No route for ${method} ${url.pathname}.`,
        {},
        engineMessage('error.noRoute', { method, path: url.pathname }),
      );
    }
    if (method === 'GET' || method === 'HEAD') {
      const head = method === 'HEAD';
      if (opts.rendererDir && serveDocs(path.join(opts.rendererDir, 'docs'), url.pathname, res, head)) return;
      if (opts.rendererDir && serveStatic(opts.rendererDir, url.pathname, res, head, req.headers)) return;
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The user interface is not built. Run `npm run build`, then start `aeris serve` again.\n');
      return;
    }
    throw new AppError(
      'not_found',
      `No route for ${method} ${url.pathname}.`,
      {},
      engineMessage('error.noRoute', { method, path: url.pathname }),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('server has no address');
  guard = new RequestGuard(opts.host, addr.port, opts.token);
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${addr.port}`,
    port: addr.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The original server's routes (`/api/v1/…`, less our own imports and backups routes), whose clients expect FastAPI's error shape. */
function isSeedPath(url: string | undefined): boolean {
  const u = url ?? '';
  return u.startsWith('/api/v1/') && !u.startsWith('/api/v1/imports') && !u.startsWith('/api/v1/backups/');
}
