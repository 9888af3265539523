import type http from 'node:http';
import { AppError } from '../core/errors';
import type { Engine } from '../engine';
import type { MessageRecord, SessionRecord } from '../store/types';
import { readJson, sendJson, SseStream } from './http-io';

/** The seed server's HTTP API (snake_case, as its scripts expect), on the same engine as the UI. */

const sessionJson = (s: SessionRecord) => ({
  session_id: s.id,
  title: s.title,
  model: s.model,
  style: s.style,
  created_at: new Date(s.createdAt).toISOString(),
  updated_at: new Date(s.updatedAt).toISOString(),
  message_count: s.messageCount,
});

const messageJson = (m: MessageRecord) => ({
  id: m.id,
  role: m.role,
  content: m.content,
  status: m.status,
  model: m.model,
  error: m.error,
  tools_used: m.toolsUsed,
  tokens: m.tokens,
  created_at: new Date(m.createdAt).toISOString(),
});

function chatInput(body: Record<string, unknown>) {
  const { session_id, message, model, style } = body;
  if (typeof message !== 'string') throw new AppError('bad_request', '"message" (a string) is required.');
  for (const [k, v] of Object.entries({ session_id, model, style })) {
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw new AppError('bad_request', `"${k}" must be a string.`);
  }
  return {
    sessionId: (session_id as string | null | undefined) ?? undefined,
    message,
    model: (model as string | null | undefined) ?? undefined,
    style: (style as string | null | undefined) ?? undefined,
  };
}

function intParam(url: URL, name: string, def: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('bad_request', `"${name}" must be an integer from ${min} to ${max}.`);
  }
  return n;
}

function requireSession(engine: Engine, id: string): SessionRecord {
  const s = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? engine.store.sessions.get(id) : null;
  if (!s) throw new AppError('not_found', `Session ${id} not found.`);
  return s;
}

export async function handleSeedApi(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = url.pathname;

  if (path === '/api/v1/agent/chat' && method === 'POST') {
    const handle = await engine.chat.send(chatInput(await readJson(req)));
    const r = await handle.done;
    sendJson(res, 200, {
      response: r.response,
      session_id: r.session_id,
      tools_used: r.tools_used,
      message_count: r.message_count,
      tokens_used: r.tokens_used,
      cached: r.cached,
      model: r.model,
      status: r.status,
      ...(r.warning ? { warning: r.warning } : {}),
    });
    return true;
  }

  if (path === '/api/v1/agent/chat/stream' && method === 'POST') {
    const handle = await engine.chat.send(chatInput(await readJson(req)));
    const sse = new SseStream(res);
    // Nobody left to read the reply: stop generating (the text so far is kept as `stopped`).
    sse.onClose(() => engine.chat.stop(handle.streamId));
    sse.send('start', { session_id: handle.sessionId, message_id: handle.assistantMessageId, model: handle.model });
    await new Promise<void>((resolve) => {
      handle.subscribe((e) => {
        if (e.type === 'token') sse.send('token', { content: e.text });
        // A tool round's preamble is taken back: clients drop what they received after `offset` characters.
        else if (e.type === 'retract') sse.send('retract', { offset: e.offset });
        else if (e.type === 'tool') {
          sse.send('tool', {
            name: e.name,
            status: e.status,
            duration_ms: e.durationMs ?? null,
            source: e.source ?? null,
            cached: e.cached ?? false,
            summary: e.summary ?? null,
          });
        } else if (e.type === 'done') {
          sse.send('done', e.result);
          resolve();
        } else if (e.type === 'error') {
          sse.send('error', { error: e.error.message, code: e.error.code });
          resolve();
        }
      });
    });
    sse.end();
    return true;
  }

  if (path === '/api/v1/sessions' && method === 'GET') {
    const limit = intParam(url, 'limit', 50, 1, 500);
    const offset = intParam(url, 'offset', 0, 0, 1e9);
    const { sessions, total } = engine.store.sessions.list(limit, offset);
    sendJson(res, 200, { sessions: sessions.map(sessionJson), total, limit, offset });
    return true;
  }

  if (path === '/api/v1/sessions/new' && method === 'POST') {
    const body = await readJson(req);
    const title = typeof body.title === 'string' ? body.title.slice(0, 200) : '';
    const model = typeof body.model === 'string' ? body.model : null;
    const style = typeof body.style === 'string' ? body.style : undefined;
    if (style && !['executive', 'technical', 'general', 'simple', 'policy'].includes(style)) {
      throw new AppError('bad_request', `Unknown style "${style}".`);
    }
    const s = engine.store.sessions.create({ title, model, style });
    sendJson(res, 201, sessionJson(s));
    return true;
  }

  const m = /^\/api\/v1\/sessions\/([^/]+)(\/messages)?$/.exec(path);
  if (m) {
    const id = decodeURIComponent(m[1]!);
    if (m[2] && method === 'GET') {
      const s = requireSession(engine, id);
      const limit = intParam(url, 'limit', 100, 1, 1000);
      const offset = intParam(url, 'offset', 0, 0, 1e9);
      const messages = engine.store.messages.list(id, limit, offset);
      sendJson(res, 200, {
        session_id: s.id,
        messages: messages.map(messageJson),
        total: s.messageCount,
        limit,
        offset,
      });
      return true;
    }
    if (!m[2] && method === 'GET') {
      sendJson(res, 200, sessionJson(requireSession(engine, id)));
      return true;
    }
    if (!m[2] && method === 'DELETE') {
      requireSession(engine, id);
      if (engine.chat.isStreaming(id)) throw new AppError('conflict', 'A reply is being written in this session.');
      engine.store.sessions.delete(id);
      sendJson(res, 200, { deleted: true, session_id: id });
      return true;
    }
  }
  return false;
}
