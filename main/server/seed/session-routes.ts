import type http from 'node:http';
import type { Engine } from '../../engine';
import type { MessageRecord, SessionRecord } from '../../store/types';
import { sendJson } from '../http-io';
import { SeedHttpError } from './fastapi-errors';
import { readFormBody } from './form-body';
import { parseFields } from './form-validation';
import { seedSchemas } from './seed-schemas';
import { uploadDirOf } from './chat-routes';
import { MAX_MESSAGES_PAGE } from '../../chat/conversations';

const iso = (ms: number): string => new Date(ms).toISOString();
/** The original caps the session list at 200 (its own limit, under the engine's page limit). */
const SEED_MAX_SESSIONS = 200;

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
  const q = parseFields(seedSchemas().PageQuery, Object.fromEntries(url.searchParams), 'query');
  return { limit: q.limit ?? defLimit, offset: q.offset ?? 0 };
}

/**
 * The original's `/api/v1/sessions` routes, in its shapes: a shape adapter over `engine.conversations`, which
 * holds the rules (ids, page limits, styles, no deleting a session while it streams) for every API.
 * Returns false for paths it does not serve.
 */
export async function handleSessionRoutes(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const p = url.pathname;
  const conversations = engine.conversations;

  if (p === '/api/v1/sessions' && method === 'GET') {
    // Newest first, with no total, as the original.
    const q = page(url, 50);
    sendJson(res, 200, conversations.list(Math.min(q.limit, SEED_MAX_SESSIONS), q.offset).sessions.map(sessionJson));
    return true;
  }

  if (p === '/api/v1/sessions/new' && method === 'POST') {
    // The original takes no body; a title and a style preset are accepted as additions.
    const { fields, file } = await readFormBody(req, uploadDirOf(engine));
    if (file) throw new SeedHttpError(400, 'No file is taken here.');
    const style = fields.style?.trim().toLowerCase() || undefined;
    const s = conversations.create({
      title: fields.title ?? '',
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
    const offset = Math.max(0, q.offset);
    const messages = conversations.find(id) ? conversations.messages(id, q.limit, offset).messages : [];
    sendJson(res, 200, { session_id: id, count: messages.length, offset, messages: messages.map(messageJson) });
    return true;
  }
  if (m[2]) return false;

  if (method === 'GET') {
    const s = conversations.find(id);
    if (!s) throw new SeedHttpError(404, 'Session not found');
    const { messages } = conversations.messages(id, MAX_MESSAGES_PAGE, 0);
    sendJson(res, 200, { ...sessionJson(s), messages: messages.map(messageJson) });
    return true;
  }
  if (method === 'DELETE') {
    if (!conversations.find(id)) throw new SeedHttpError(404, 'Session not found');
    conversations.delete(id);
    sendJson(res, 200, {
      status: 'success',
      message: `Session ${id} and all its messages have been deleted`,
      session_id: id,
    });
    return true;
  }
  return false;
}
