import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import type { ChatEvent } from './chat-events';

/**
 * A reply's rows (the question and the reply's own row) are saved once the model has been asked, not before
 * (ReplyRowsOnce): these are the promises that order keeps. Nothing names a reply that is not on disk, send()
 * returns only once the question is saved, and a question that cannot be saved ends the reply before it starts.
 */
describe('when a reply’s rows are saved', () => {
  let f: EngineFixture;
  beforeEach(async () => {
    f = await engineFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  /** Every engine-wide chat event, with what the store held for it at that moment. */
  const watchEvents = () => {
    const seen: Array<{ event: ChatEvent; reply: string | null; question: string | null }> = [];
    f.engine.events.on('chat.event', (event) => {
      const rows = f.engine.store.messages.list(event.sessionId, 1000);
      const reply = rows.find((m) => m.id === event.messageId);
      const question = rows.filter((m) => m.role === 'user' && reply && m.id < reply.id).at(-1);
      seen.push({ event, reply: reply?.role ?? null, question: question?.content ?? null });
    });
    return seen;
  };

  it('no event names a reply before its row and question are saved: a new chat, a follow-up, a regenerate', async () => {
    const seen = watchEvents();
    const first = await f.engine.chat.send({ message: 'new chat question', model: 'qwen2.5:3b' });
    await first.done;
    const next = await f.engine.chat.send({ sessionId: first.sessionId, message: 'follow-up question' });
    await next.done;
    const again = await f.engine.chat.regenerate(first.sessionId);
    await again.done;

    expect(seen.length).toBeGreaterThan(6);
    for (const s of seen) expect(s.reply).toBe('assistant');
    const startedWith = seen.filter((s) => s.event.type === 'start').map((s) => s.question);
    expect(startedWith).toEqual(['new chat question', 'follow-up question', 'follow-up question']);
  });

  it('send() returns once the question and the reply’s row are on disk, before the first token', async () => {
    f.emulator.script({ reply: { tokens: ['late'], firstTokenDelayMs: 300 } });
    const h = await f.engine.chat.send({ message: 'kept at once?', model: 'qwen2.5:3b' });
    // Another connection sees them: committed, not only inside this one's transaction.
    const other = new (f.engine.store.db.constructor as typeof import('better-sqlite3'))(f.engine.store.file, {
      readonly: true,
    });
    try {
      const rows = other
        .prepare('SELECT id, role, status, content FROM messages WHERE session_id = ? ORDER BY id')
        .all(h.sessionId);
      expect(rows).toEqual([
        { id: h.userMessageId, role: 'user', status: 'complete', content: 'kept at once?' },
        { id: h.assistantMessageId, role: 'assistant', status: 'streaming', content: '' },
      ]);
    } finally {
      other.close();
    }
    await expect(h.done).resolves.toMatchObject({ response: 'late', status: 'complete' });
  });

  it('a question that cannot be saved: send() says the disk is full, nothing is shown, the chat is free', async () => {
    const first = await f.engine.chat.send({ message: 'first', model: 'qwen2.5:3b' });
    await first.done;
    const seen = watchEvents();
    f.emulator.script({ match: 'cannot be saved', reply: { tokens: ['never'], firstTokenDelayMs: 300 } });
    const pages = f.engine.store.db.pragma('page_count', { simple: true }) as number;
    f.engine.store.db.pragma(`max_page_count = ${pages}`);
    const long = `cannot be saved ${'x'.repeat(20_000)}`;

    // A follow-up in the chat, and a new chat (which must not be left behind empty).
    await expect(f.engine.chat.send({ sessionId: first.sessionId, message: long })).rejects.toMatchObject({
      code: 'disk_full',
    });
    expect(f.engine.chat.activeCount).toBe(0);
    expect(f.engine.chat.isStreaming(first.sessionId)).toBe(false);
    await expect(f.engine.chat.send({ message: long, model: 'qwen2.5:3b' })).rejects.toMatchObject({
      code: 'disk_full',
    });
    expect(f.engine.chat.activeCount).toBe(0);
    expect(seen).toEqual([]);
    expect(f.engine.store.sessions.list().total).toBe(1);
    expect(f.engine.store.messages.list(first.sessionId).map((m) => m.content)).toEqual(['first', expect.any(String)]);
    f.engine.store.db.pragma('max_page_count = 1073741823');
    const after = await f.engine.chat.send({ sessionId: first.sessionId, message: 'room again' });
    await expect(after.done).resolves.toMatchObject({ status: 'complete' });
    expect(seen.map((s) => s.event.type)).toContain('done');
  });
});
