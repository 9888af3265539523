import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { ChatHandle } from '../../chat/chat-service';
import type { ChatResult } from '../../chat/chat-events';
import { errorMessage, isAppError } from '../../core/errors';
import type { Engine } from '../../engine';
import { sendJson, SseStream } from '../http-io';
import { chatRequestFrom, type SeedChatRequest } from './chat-request';
import { SeedHttpError } from './fastapi-errors';
import { readFormBody, type FormBody } from './form-body';
import { SessionQueue } from './session-queue';
import { ThoughtMapper } from './thought-events';
import { isLibraryUpload, processUpload, type ProcessedDocument } from './uploaded-document';

const queues = new WeakMap<Engine, SessionQueue>();
const queueOf = (engine: Engine): SessionQueue => {
  let q = queues.get(engine);
  if (!q) queues.set(engine, (q = new SessionQueue()));
  return q;
};

/** Uploads wait here (inside the data dir) only while their request is handled. */
export const uploadDirOf = (engine: Engine): string => path.join(engine.paths.root, 'uploads');

const emptyMessage = (): SeedHttpError => new SeedHttpError(400, 'Invalid input: Message cannot be empty');

/** `cached` is always false: see README ("`cached`"); answers are written fresh for each question. */
function replyJson(r: ChatResult, doc: ProcessedDocument | null) {
  return {
    response: r.response,
    session_id: r.session_id,
    tools_used: r.tools_used,
    // The original counts prompt and completion (history and documents included).
    tokens_used: r.tokens_used + (r.prompt_tokens ?? 0),
    cached: r.cached,
    message_count: r.message_count,
    document_processed: doc !== null,
    document_filename: doc?.filename ?? null,
    model: r.model,
    status: r.status,
    ...(r.warning ? { warning: r.warning } : {}),
  };
}

/**
 * Waits while a reply is being written in the session by someone else (the app's own UI or bridge), so a seed
 * client waits its turn there too instead of getting 409.
 */
async function untilIdle(engine: Engine, sessionId: string | undefined): Promise<void> {
  while (sessionId && engine.chat.isStreaming(sessionId)) {
    await new Promise<void>((resolve) => {
      const off = engine.events.on('chat.event', (e) => {
        if (e.sessionId === sessionId && (e.type === 'done' || e.type === 'error')) {
          off();
          resolve();
        }
      });
    });
  }
}

async function withUpload<T>(body: FormBody, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    if (body.file) fs.rmSync(body.file.path, { force: true });
  }
}

async function attach(engine: Engine, body: FormBody, req: SeedChatRequest): Promise<ProcessedDocument | null> {
  if (!body.file) return null;
  if (!isLibraryUpload(body.file.filename)) {
    const doc = await processUpload(body.file, engine.imports);
    req.input.message = `${req.input.message}\n\n${doc.context}`;
    return doc;
  }
  // A document belongs to its conversation: start the conversation now if the client has not yet (and
  // take it back if the file is refused, so a failed upload leaves no empty conversation).
  // Conversations refuses a malformed session_id as it creates the session.
  const known = req.input.sessionId ? engine.conversations.find(req.input.sessionId) : null;
  const session = known ?? engine.conversations.create({ id: req.input.sessionId, title: req.rawMessage.slice(0, 80) });
  req.input.sessionId = session.id;
  let doc: ProcessedDocument;
  try {
    doc = await processUpload(body.file, engine.imports, { documents: engine.documents, sessionId: session.id });
  } catch (err) {
    if (!known) engine.conversations.delete(session.id);
    throw err;
  }
  req.input.message = `${req.input.message}\n\n${doc.context}`;
  return doc;
}

/** `POST /api/v1/agent/chat`: one answer as JSON, in the original's shape. */
export async function handleChat(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await readFormBody(req, uploadDirOf(engine));
  await withUpload(body, async () => {
    const chat = chatRequestFrom(body.fields);
    if (chat.rawMessage.trim() === '') throw emptyMessage();
    const doc = await attach(engine, body, chat);
    const result = await queueOf(engine).run(chat.input.sessionId, async () => {
      await untilIdle(engine, chat.input.sessionId);
      const handle = await engine.chat.send(chat.input);
      return handle.done;
    });
    sendJson(res, 200, replyJson(result, doc));
  });
}

/**
 * `POST /api/v1/agent/chat/stream`: the original's SSE protocol. `thought` events in order, exactly one
 * `response`, and `done` last on every path (errors are an `error` event, then `done`). `token` and
 * `retract` events are this app's addition: the answer as it is written.
 */
export async function handleChatStream(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const body = await readFormBody(req, uploadDirOf(engine));
  await withUpload(body, async () => {
    // A missing or empty field is refused before the stream opens, as FastAPI validates forms first.
    const chat = chatRequestFrom(body.fields);
    // The head goes out with the first event (the analysis thought, below): one write fewer before the model is asked.
    const sse = new SseStream(res, { headersWithFirstEvent: true });
    const thoughts = new ThoughtMapper(() => engine.clock.now());
    let handle: ChatHandle | null = null;
    sse.onClose(() => {
      if (handle) engine.chat.stop(handle.streamId);
    });
    // The first thought: due once the message is known not to be empty (an empty one gets only its error), and
    // made when it is sent (after the model is asked, in the usual case).
    let analysis: (() => ReturnType<ThoughtMapper['analysis']>) | null = null;
    const sendAnalysis = (): void => {
      if (analysis) sse.send('thought', analysis());
      analysis = null;
    };
    try {
      if (chat.rawMessage.trim() === '') throw emptyMessage();
      // As the client sent them (a document upload may start the session below).
      const { sessionId: sentSession, style: sentStyle } = chat.input;
      analysis = () =>
        thoughts.analysis({
          query_preview: chat.rawMessage.slice(0, 100),
          session_id: sentSession ?? null,
          style: sentStyle ?? null,
          document: body.file?.filename ?? null,
        });
      // It goes out once the model has been asked: written before, the stream's first write went out just ahead
      // of the model's request and held it up (~0.3 ms of the time to first token). At once, though, when the
      // client may wait first: a document to read, or an earlier message of this session being answered.
      const sessionId = chat.input.sessionId;
      if (body.file || (sessionId && (queueOf(engine).depth(sessionId) > 0 || engine.chat.isStreaming(sessionId))))
        sendAnalysis();
      const doc = await attach(engine, body, chat);
      const result = await queueOf(engine).run(chat.input.sessionId, async () => {
        await untilIdle(engine, chat.input.sessionId);
        if (sse.closed) throw new SeedHttpError(499, 'The client went away.');
        const h = await engine.chat.send(chat.input);
        sendAnalysis();
        handle = h;
        h.subscribe((e) => {
          // The first token's "writing" thought and the token go out in one write (time to first token).
          const out: Array<[string, unknown]> = thoughts.map(e).map((t) => ['thought', t]);
          if (e.type === 'token') out.push(['token', { content: e.text }]);
          else if (e.type === 'retract') out.push(['retract', { offset: e.offset }]);
          sse.sendAll(out);
        });
        return h.done;
      });
      const reply = replyJson(result, doc);
      sse.send(
        'thought',
        thoughts.complete({ tools_used: reply.tools_used, tokens_used: reply.tokens_used, status: reply.status }),
      );
      sse.send('response', {
        type: 'response',
        data: {
          response: reply.response,
          session_id: reply.session_id,
          tools_used: reply.tools_used,
          tokens_used: reply.tokens_used,
          cached: reply.cached,
          message_count: reply.message_count,
          document_processed: reply.document_processed,
          document_filename: reply.document_filename,
        },
      });
    } catch (err) {
      sendAnalysis();
      sse.send('error', {
        type: 'error',
        title: 'Could not answer',
        details: {
          error: err instanceof SeedHttpError ? err.message : errorMessage(err),
          code: isAppError(err) ? err.code : err instanceof SeedHttpError ? err.status : 'internal',
        },
        timestamp: new Date(engine.clock.now()).toISOString(),
      });
    } finally {
      sse.send('done', {});
      sse.end();
    }
  });
}
