import type http from 'node:http';
import { DOCUMENT_UPLOAD_MAX_CHARS, EVENT_NAMES } from '../../preload/contract';
import { dispatch, toCallError } from '../api/dispatch';
import { forwardEngineEvents } from '../api/engine-events';
import type { Handlers } from '../api/handlers';
import { explainDiskFull } from '../core/disk-full';
import { HTTP_STATUS, isAppError } from '../core/errors';
import type { Engine } from '../engine';
import { readJson, sendJson, SseStream } from './http-io';

/** The preload contract over HTTP, so the same renderer runs in a browser against serve mode. */
export async function handleBridge(
  engine: Engine,
  handlers: Handlers,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  const call = /^\/bridge\/call\/([a-z]+\.[A-Za-z]+)$/.exec(url.pathname);
  if (call && req.method === 'POST') {
    try {
      // An attached document travels as base64 in its call; every other call keeps the 1 MB body limit.
      const input = await readJson(req, call[1] === 'documents.add' ? DOCUMENT_UPLOAD_MAX_CHARS + 4096 : undefined);
      const result = await dispatch(handlers, call[1]!, input);
      sendJson(res, 200, { ok: true, result: result ?? null });
    } catch (raw) {
      const err = explainDiskFull(raw, engine.paths.root);
      const status = isAppError(err) ? HTTP_STATUS[err.code] : 500;
      sendJson(res, status, { ok: false, error: toCallError(err) });
    }
    return true;
  }
  if (url.pathname === '/bridge/events' && req.method === 'GET') {
    const sse = new SseStream(res);
    sse.send('ready', { events: EVENT_NAMES });
    const off = forwardEngineEvents(engine.events, (name, payload) => sse.send(name, payload));
    const heartbeat = setInterval(() => sse.comment('keep-alive'), 15_000);
    sse.onClose(() => {
      off();
      clearInterval(heartbeat);
    });
    return true;
  }
  return false;
}
