import type http from 'node:http';
import { isAppError } from '../core/errors';
import type { Engine } from '../engine';
import { handleChat, handleChatStream } from './seed/chat-routes';
import { SeedHttpError, sendSeedError } from './seed/fastapi-errors';
import { handleOtherSeedRoutes } from './seed/other-routes';
import { handleSessionRoutes } from './seed/session-routes';

/**
 * The original AERIS-AQ server's HTTP API (FastAPI, form fields, `{"detail": ...}` errors), on the same engine
 * as the UI. Its errors are answered here, in its shape, so the shared error writer never sees them.
 */
export async function handleSeedApi(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  try {
    if (path === '/api/v1/agent/chat' && method === 'POST') {
      await handleChat(engine, req, res);
      return true;
    }
    if (path === '/api/v1/agent/chat/stream' && method === 'POST') {
      await handleChatStream(engine, req, res);
      return true;
    }
    if (await handleOtherSeedRoutes(engine, req, res, url)) return true;
    if (await handleSessionRoutes(engine, req, res, url)) return true;
    // The rest of /api/v1 is the original's namespace: its 404 body, as Starlette writes it.
    if (path.startsWith('/api/v1/')) throw new SeedHttpError(404, 'Not Found');
    return false;
  } catch (err) {
    // A refused body may not have been read: drain it so the connection stays usable.
    if (!req.readableEnded) req.resume();
    if (!isAppError(err) && !(err instanceof SeedHttpError)) {
      engine.logger.log('error', 'http', 'request failed', { path, error: String(err) });
    }
    sendSeedError(res, err);
    return true;
  }
}
