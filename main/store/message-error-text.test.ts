import { describe, expect, it } from 'vitest';
import { engineMessage } from '../../preload/shared/engine-messages';
import { storeInTempDir } from '../../test/helpers/store-in-temp-dir';
import { ManualClock } from '../../test/doubles/manual-clock';
import type { Store } from './store';

/** A failed reply keeps its error's message id (migration 13), so a reload shows it in the UI's language. */
describe('a failed reply keeps its error as a message id (issue 15)', () => {
  const bench = storeInTempDir(new ManualClock());

  const failedReply = (errorText: Parameters<Store['messages']['finish']>[2]) => {
    const s = bench.store.sessions.create({ title: 'Nairobi', model: 'qwen2.5:3b' });
    bench.store.messages.insert({ sessionId: s.id, role: 'user', content: 'PM2.5 today?' });
    const reply = bench.store.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
    bench.store.messages.finish(reply.id, 'error', errorText);
    return { sessionId: s.id, id: reply.id };
  };

  it('reads the id and parameters back after the store is closed and opened again', () => {
    const text = engineMessage('error.ollamaUnavailable', { host: 'http://127.0.0.1:11434' });
    const { sessionId, id } = failedReply({
      error: 'Ollama is not answering at http://127.0.0.1:11434.',
      errorText: text,
    });
    bench.reopen();
    const saved = bench.store.messages.list(sessionId).find((m) => m.id === id);
    expect(saved).toMatchObject({
      status: 'error',
      error: 'Ollama is not answering at http://127.0.0.1:11434.',
      errorText: text,
    });
  });

  it('an error without an id, and a reply that later succeeds, carry none', () => {
    const { id } = failedReply({ error: 'boom' });
    expect(bench.store.messages.get(id)?.error).toBe('boom');
    expect(bench.store.messages.get(id)).not.toHaveProperty('errorText');
    const second = failedReply({ error: 'x', errorText: engineMessage('error.messageEmpty', {}) });
    bench.store.messages.finish(second.id, 'complete', { tokens: 3 });
    expect(bench.store.messages.get(second.id)).not.toHaveProperty('errorText');
  });

  it('a damaged saved value is left out (checked with ENGINE_TEXT_DTO), and the English stays', () => {
    const { id } = failedReply({ error: 'The disk is full.', errorText: engineMessage('error.diskFull', {}) });
    bench.store.db.prepare(`UPDATE messages SET error_text = ? WHERE id = ?`).run('{"id": 7, "params": ', id);
    expect(bench.store.messages.get(id)).toMatchObject({ status: 'error', error: 'The disk is full.' });
    expect(bench.store.messages.get(id)).not.toHaveProperty('errorText');
    bench.store.db.prepare(`UPDATE messages SET error_text = ? WHERE id = ?`).run('{"id": "", "params": {}}', id);
    expect(bench.store.messages.get(id)).not.toHaveProperty('errorText');
  });
});
