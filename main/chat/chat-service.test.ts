import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import type { ChatEvent } from './chat-events';
import { MAX_MESSAGES_PER_SESSION } from './session-limits';

describe('ChatService against the Ollama emulator', () => {
  let f: EngineFixture;
  beforeEach(async () => {
    f = await engineFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('streams a reply, stores both messages and reports the seed result shape', async () => {
    f.emulator.script({ match: 'Kampala', reply: { tokens: ['PM2.5 ', 'is ', '38 µg/m³.'] } });
    const h = await f.engine.chat.send({ message: 'How is the air in Kampala?', model: 'qwen2.5:3b' });
    const events: ChatEvent[] = [];
    h.subscribe((e) => events.push(e));
    const result = await h.done;
    expect(result).toMatchObject({
      response: 'PM2.5 is 38 µg/m³.',
      session_id: h.sessionId,
      status: 'complete',
      tools_used: [],
      message_count: 2,
      tokens_used: 3,
      cached: false,
    });
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('done');
    const tokens = events.filter((e) => e.type === 'token');
    expect(tokens.map((t) => t.text).join('')).toBe('PM2.5 is 38 µg/m³.');
    // offsets let a late viewer skip what it already has
    let expected = 0;
    for (const t of tokens) {
      expect(t.offset).toBe(expected);
      expected += t.text.length;
    }
    const stored = f.engine.store.messages.list(h.sessionId);
    expect(stored.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'complete', 'How is the air in Kampala?'],
      ['assistant', 'complete', 'PM2.5 is 38 µg/m³.'],
    ]);
    expect(f.engine.store.sessions.get(h.sessionId)?.title).toBe('How is the air in Kampala?');
  });

  it('the reply starts inside send(), yet a subscriber after it returns gets every event once, from start to done', async () => {
    f.emulator.script({ reply: { tokens: ['a', 'b'] } });
    const h = await f.engine.chat.send({ message: 'hello', model: 'qwen2.5:3b' });
    const first: string[] = [];
    const second: string[] = [];
    h.subscribe((e) => first.push(e.type));
    h.subscribe((e) => second.push(e.type));
    await h.done;
    expect(first[0]).toBe('start');
    expect(first.filter((t) => t === 'start')).toHaveLength(1);
    expect(first.filter((t) => t === 'token')).toHaveLength(2);
    expect(first.at(-1)).toBe('done');
    expect(second).toEqual(first);
  });

  it('sends the system prompt, the style and low-end tuning to Ollama', async () => {
    const h = await f.engine.chat.send({ message: 'hello', model: 'qwen2.5:3b', style: 'technical' });
    await h.done;
    const req = f.emulator.requests.find((r) => r.path === '/api/chat')!.body as {
      messages: Array<{ role: string; content: string }>;
      options: Record<string, number>;
      stream: boolean;
    };
    expect(req.stream).toBe(true);
    expect(req.messages[0]?.role).toBe('system');
    expect(req.messages[0]?.content).toContain('units, averaging periods');
    expect(req.options).toMatchObject({ num_predict: 800, temperature: 0.35, top_p: 0.8, top_k: 40 });
    const h2 = await f.engine.chat.send({ message: 'hello', model: 'llama3.1:8b', style: 'technical' });
    await h2.done;
    const req2 = f.emulator.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as {
      options: Record<string, number>;
    };
    expect(req2.options).toMatchObject({ num_predict: 2000, temperature: 0.4, top_p: 0.88 });
    expect(req2.options.top_k).toBeUndefined();
  });

  it('asks the model to answer in the UI language: the request’s, else the uiLanguage setting', async () => {
    const systemOf = (i: number): string =>
      (
        f.emulator.requests.filter((r) => r.path === '/api/chat').at(i)!.body as {
          messages: Array<{ role: string; content: string }>;
        }
      ).messages[0]!.content;
    await (
      await f.engine.chat.send({ message: 'Hali ya hewa?', model: 'qwen2.5:3b', language: 'sw' })
    ).done;
    expect(systemOf(-1)).toContain('Jibu kwa Kiswahili.');
    const fr = await f.engine.chat.send({ message: 'Et l’air ?', model: 'qwen2.5:3b', language: 'fr' });
    await fr.done;
    expect(systemOf(-1)).toContain('Réponds en français.');
    // English needs no instruction: the prompt is English.
    await (
      await f.engine.chat.send({ message: 'hello', model: 'qwen2.5:3b', language: 'en' })
    ).done;
    expect(systemOf(-1)).not.toMatch(/Answer in|Réponds|Jibu/);
    // Without a language in the request (the CLI, the original API), the saved setting decides.
    f.engine.settings.update({ uiLanguage: 'fr' });
    await (
      await f.engine.chat.regenerate(fr.sessionId)
    ).done;
    expect(systemOf(-1)).toContain('Answer in French.');
    await (
      await f.engine.chat.send({ message: 'again', model: 'qwen2.5:3b' })
    ).done;
    expect(systemOf(-1)).toContain('Réponds en français.');
  });

  it('keeps the conversation as history, trimmed for small models', async () => {
    const first = await f.engine.chat.send({ message: 'm0', model: 'qwen2.5:3b' });
    await first.done;
    for (let i = 1; i < 7; i++) await (await f.engine.chat.send({ sessionId: first.sessionId, message: `m${i}` })).done;
    const last = f.emulator.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as {
      messages: Array<{ role: string; content: string }>;
    };
    // the seed's low-end history is 8 messages; the window's leading assistant turn is dropped
    expect(last.messages).toHaveLength(8);
    expect(last.messages.at(-1)).toEqual({ role: 'user', content: 'm6' });
    expect(last.messages[1]?.role).toBe('user');
  });

  it('stops a reply, keeping what was written as `stopped`', async () => {
    f.emulator.script({ reply: { tokens: Array.from({ length: 200 }, (_, i) => `t${i} `), tokenDelayMs: 10 } });
    const h = await f.engine.chat.send({ message: 'long answer please', model: 'qwen2.5:3b' });
    await new Promise<void>((resolve) => {
      let n = 0;
      h.subscribe((e) => {
        if (e.type === 'token' && ++n === 3) resolve();
      });
    });
    expect(f.engine.chat.stop(h.streamId)).toBe(true);
    const result = await h.done;
    expect(result.status).toBe('stopped');
    const msg = f.engine.store.messages.get(h.assistantMessageId)!;
    expect(msg.status).toBe('stopped');
    expect(msg.content.startsWith('t0 t1 t2 ')).toBe(true);
    expect(msg.content.length).toBeLessThan(200 * 4);
    // The emulator sees the client go away (at its next token) and ends the stream early.
    await f.emulator.whenStreamsIdle();
    expect(f.emulator.streamsCutByClient).toBe(1);
  });

  it('stops a reply while the model is still reading the question: nothing is written, and Ollama is let go at once', async () => {
    f.emulator.script({ reply: { tokens: ['never ', 'shown'], firstTokenDelayMs: 2_000 } });
    const h = await f.engine.chat.send({ message: 'a slow laptop reads this prompt', model: 'qwen2.5:3b' });
    const tokens: string[] = [];
    h.subscribe((e) => {
      if (e.type === 'token') tokens.push(e.text);
    });
    await new Promise((r) => setTimeout(r, 50));
    const stoppedAt = Date.now();
    expect(f.engine.chat.stop(h.streamId)).toBe(true);
    const result = await h.done;
    // Ended by the stop, not by the model's first token two seconds later.
    expect(Date.now() - stoppedAt).toBeLessThan(1_500);
    expect(result.status).toBe('stopped');
    expect(tokens).toEqual([]);
    expect(f.engine.store.messages.get(h.assistantMessageId)).toMatchObject({ status: 'stopped', content: '' });
    await f.emulator.whenStreamsIdle();
    expect(f.emulator.streamsCutByClient).toBe(1);
  });

  it('records an error that arrives after HTTP 200 as the last NDJSON line, keeping the text', async () => {
    f.emulator.script({
      reply: {
        tokens: ['a ', 'b ', 'c '],
        errorAfterTokens: { after: 2, error: 'llama runner process has terminated' },
      },
    });
    const h = await f.engine.chat.send({ message: 'x', model: 'qwen2.5:3b' });
    await expect(h.done).rejects.toMatchObject({ code: 'ollama_error' });
    const msg = f.engine.store.messages.get(h.assistantMessageId)!;
    expect(msg.status).toBe('error');
    expect(msg.content).toBe('a b ');
    expect(msg.error).toContain('llama runner process has terminated');
  });

  it('explains a model that is not installed', async () => {
    const h = await f.engine.chat.send({ message: 'x', model: 'mistral:7b' });
    await expect(h.done).rejects.toMatchObject({ code: 'model_not_found' });
    expect(f.engine.store.messages.get(h.assistantMessageId)?.error).toMatch(/not installed.*ollama pull mistral:7b/);
    // Its message id is kept with the reply, so a reloaded chat words it in the UI's language (issue 15).
    expect(f.engine.store.messages.get(h.assistantMessageId)?.errorText).toEqual({
      id: 'error.modelNotInstalled',
      params: { model: 'mistral:7b' },
    });
  });

  it('explains a dead Ollama, after one retry', async () => {
    await f.emulator.close();
    const h = await f.engine.chat.send({ message: 'x', model: 'llama3.1:8b' });
    await expect(h.done).rejects.toMatchObject({ code: 'ollama_unavailable' });
    expect(f.engine.store.messages.get(h.assistantMessageId)?.status).toBe('error');
  });

  it('keeps the question when Ollama dies after the model list was read and no model is named', async () => {
    const picked = await f.engine.chat.newChatModel();
    expect(picked).not.toBeNull();
    await f.emulator.close();
    // The UI may send before it learned the model; the engine's last pick stands, so the reply fails in words.
    const h = await f.engine.chat.send({ message: 'anyone there?' });
    await expect(h.done).rejects.toMatchObject({ code: 'ollama_unavailable' });
    expect(f.engine.store.messages.get(h.assistantMessageId)).toMatchObject({ status: 'error', model: picked });
    expect(f.engine.store.messages.get(h.userMessageId!)?.content).toBe('anyone there?');
  });

  it('regenerates the last reply and edits-and-resends a question', async () => {
    f.emulator.script({ match: 'ozone', reply: { content: 'first' }, times: 1 });
    f.emulator.script({ match: 'ozone', reply: { content: 'second' } });
    f.emulator.script({ match: 'nitrogen', reply: { content: 'no2 answer' } });
    const h = await f.engine.chat.send({ message: 'ozone?', model: 'qwen2.5:3b' });
    await h.done;
    const r = await f.engine.chat.regenerate(h.sessionId);
    await r.done;
    expect(f.engine.store.messages.list(h.sessionId).map((m) => m.content)).toEqual(['ozone?', 'second']);
    // The replaced answer is kept as an earlier version of the question's answer.
    const earlier = f.engine.store.answerVersions.forQuestions([h.userMessageId!]).get(h.userMessageId!);
    expect(earlier?.map((a) => [a.content, a.model])).toEqual([['first', 'qwen2.5:3b']]);
    const e = await f.engine.chat.editAndResend(h.userMessageId!, 'nitrogen dioxide?');
    await e.done;
    expect(f.engine.store.messages.list(h.sessionId).map((m) => m.content)).toEqual([
      'nitrogen dioxide?',
      'no2 answer',
    ]);
    // An edited question has new answers: the earlier ones answered the old question.
    expect(f.engine.store.answerVersions.forQuestions([h.userMessageId!]).size).toBe(0);
    expect(f.engine.store.messages.search('ozone')).toHaveLength(0);
  });

  it('refuses a second reply in the same session while one is streaming', async () => {
    f.emulator.script({ reply: { tokens: ['a', 'b', 'c'], tokenDelayMs: 50 } });
    const h = await f.engine.chat.send({ message: 'x', model: 'qwen2.5:3b' });
    await expect(f.engine.chat.send({ sessionId: h.sessionId, message: 'y' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await h.done;
  });

  it('validates input: empty, oversize, bad style, bad session id', async () => {
    await expect(f.engine.chat.send({ message: '  ' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(f.engine.chat.send({ message: 'x'.repeat(40_000) })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    await expect(f.engine.chat.send({ message: 'x', style: 'poetic' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(f.engine.chat.send({ message: 'x', sessionId: '../etc' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('starts a chat without a model on a tool-capable one, never the first by name; the default wins while installed', async () => {
    // gemma:2b sorts first but cannot call tools (the emulator's /api/show says so).
    const h = await f.engine.chat.send({ message: 'x' });
    expect(h.model).not.toBe('gemma:2b');
    expect(['qwen2.5:3b', 'llama3.1:8b']).toContain(h.model);
    await h.done;
    f.engine.settings.update({ defaultModel: 'qwen2.5:3b' });
    expect(await f.engine.chat.newChatModel()).toBe('qwen2.5:3b');
    // A default that is no longer installed is skipped, not sent to Ollama to fail.
    f.engine.settings.update({ defaultModel: 'mistral:7b' });
    expect(['qwen2.5:3b', 'llama3.1:8b']).toContain(await f.engine.chat.newChatModel());
  });
});

describe('session limit', () => {
  it('refuses message 101 with start_new_session and warns from 90', async () => {
    const f = await engineFixture();
    try {
      const s = f.engine.store.sessions.create({ model: 'qwen2.5:3b' });
      for (let i = 0; i < 88; i++) {
        f.engine.store.messages.insert({ sessionId: s.id, role: i % 2 ? 'assistant' : 'user', content: `m${i}` });
      }
      const r = await (await f.engine.chat.send({ sessionId: s.id, message: 'q' })).done;
      expect(r.message_count).toBe(90);
      expect(r.warning).toMatch(/90 of 100/);
      // The same warning as a message id, for the UI to word in its language.
      expect(r.warning_text).toEqual({ id: 'warning.sessionNearLimit', params: { count: 90, max: 100, left: 10 } });
      for (let i = 0; i < 10; i++) {
        f.engine.store.messages.insert({ sessionId: s.id, role: i % 2 ? 'assistant' : 'user', content: `n${i}` });
      }
      await expect(f.engine.chat.send({ sessionId: s.id, message: 'q' })).rejects.toMatchObject({
        code: 'session_limit',
        details: { action_required: 'start_new_session', limit: MAX_MESSAGES_PER_SESSION },
      });
    } finally {
      await f.close();
    }
  });

  it('DISABLE_SESSION_LIMIT lifts it (for tests only)', async () => {
    const f = await engineFixture({ env: { DISABLE_SESSION_LIMIT: 'true' } });
    try {
      const s = f.engine.store.sessions.create({ model: 'qwen2.5:3b' });
      for (let i = 0; i < 100; i++) f.engine.store.messages.insert({ sessionId: s.id, role: 'user', content: `m${i}` });
      const r = await (await f.engine.chat.send({ sessionId: s.id, message: 'q' })).done;
      expect(r.message_count).toBe(102);
      expect(r.warning).toBeNull();
      expect(r.warning_text).toBeNull();
    } finally {
      await f.close();
    }
  });
});
