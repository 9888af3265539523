import type http from 'node:http';
import { AppError } from '../../core/errors';
import { isStyleName } from '../../../preload/shared/style-presets';
import type { Engine } from '../../engine';
import type { MessageRecord, SessionRecord } from '../../store/types';
import { sendJson } from '../http-io';
import { SeedHttpError } from './fastapi-errors';
import { readFormBody } from './form-body';
import { parseFields } from './form-validation';
import { PageQuery } from './seed-schemas';
import { uploadDirOf } from './chat-routes';

const iso = (ms: number): string => new Date(ms).toISOString();
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The original's session object; `title`, `model` and `style` are this app's additions. */
const sessionJson = (s: SessionRecord) => ({
  id: s.id,
  created_at: iso(s.createdAt),
  updated_at: iso(s.updatedAt),
  message_count: s.messageCount,
  title: s.title,
  model: s.model,
  style: s.style,
});

const messageJson = (m: MessageRecord) => ({
  role: m.role,
  content: m.content,
  timestamp: iso(m.createdAt),
  id: m.id,
  status: m.status,
  tools_used: m.toolsUsed,
});

/** `limit`/`offset` as FastAPI parses `limit: int = 50`: anything but an integer is a 422. */
function page(url: URL, defLimit: number): { limit: number; offset: number } {
  const q = parseFields(PageQuery, Object.fromEntries(url.searchParams), 'query');
  return { limit: q.limit ?? defLimit, offset: q.offset ?? 0 };
}

const clamp = (n: number, min: number, max: number): number => Math.min(Math.max(n, min), max);

function findSession(engine: Engine, id: string): SessionRecord | null {
  return SESSION_ID.test(id) ? engine.store.sessions.get(id) : null;
}

/** The original's `/api/v1/sessions` routes, in its shapes. Returns false for paths it does not serve. */
export async function handleSessionRoutes(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const p = url.pathname;

  if (p === '/api/v1/sessions' && method === 'GET') {
    // The original caps the list at 200, newest first, with no total.
    const q = page(url, 50);
    const limit = clamp(q.limit, 1, 200);
    const offset = Math.max(0, q.offset);
    sendJson(res, 200, engine.store.sessions.list(limit, offset).sessions.map(sessionJson));
    return true;
  }

  if (p === '/api/v1/sessions/new' && method === 'POST') {
    // The original takes no body; a title and a style preset are accepted as additions.
    const { fields, file } = await readFormBody(req, uploadDirOf(engine));
    if (file) throw new SeedHttpError(400, 'No file is taken here.');
    const style = fields.style?.trim().toLowerCase() || undefined;
    if (style && !isStyleName(style)) {
      throw new AppError('bad_request', `Unknown style "${style}".`);
    }
    const s = engine.store.sessions.create({
      title: (fields.title ?? '').slice(0, 200),
      ...(style ? { style } : {}),
      ...(fields.model ? { model: fields.model } : {}),
    });
    sendJson(res, 200, {
      session_id: s.id,
      created_at: iso(s.createdAt),
      message: 'New session created successfully. Use this session_id for your chat messages.',
    });
    return true;
  }

  const m = /^\/api\/v1\/sessions\/([^/]+)(\/messages)?$/.exec(p);
  if (!m) return false;
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    id = m[1]!;
  }

  if (m[2] && method === 'GET') {
    // As the original: an unknown session is an empty page, not a 404.
    const q = page(url, 100);
    const limit = clamp(q.limit, 1, 1000);
    const offset = Math.max(0, q.offset);
    const messages = findSession(engine, id) ? engine.store.messages.list(id, limit, offset) : [];
    sendJson(res, 200, { session_id: id, count: messages.length, offset, messages: messages.map(messageJson) });
    return true;
  }
  if (m[2]) return false;

  if (method === 'GET') {
    const s = findSession(engine, id);
    if (!s) throw new SeedHttpError(404, 'Session not found');
    const messages = engine.store.messages.list(id, 1000, 0);
    sendJson(res, 200, { ...sessionJson(s), messages: messages.map(messageJson) });
    return true;
  }
  if (method === 'DELETE') {
    if (!findSession(engine, id)) throw new SeedHttpError(404, 'Session not found');
    if (engine.chat.isStreaming(id)) throw new AppError('conflict', 'A reply is being written in this session.');
    engine.store.sessions.delete(id);
    sendJson(res, 200, {
      status: 'success',
      message: `Session ${id} and all its messages have been deleted`,
      session_id: id,
    });
    return true;
  }
  return false;
}
