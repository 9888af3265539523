import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import { isAppError } from '../../core/errors';
import { dispatch } from '../dispatch';
import { createHandlers, type Handlers } from '../handlers';

describe('chat.getSettings / chat.setSettings calls', () => {
  let f: EngineFixture;
  let handlers: Handlers;
  beforeEach(async () => {
    f = await engineFixture();
    handlers = createHandlers(f.engine, 'serve');
  });
  afterEach(async () => {
    await f.close();
  });

  async function refusal(input: unknown): Promise<string> {
    const err = await dispatch(handlers, 'chat.setSettings', input).then(
      () => null,
      (e: unknown) => e,
    );
    if (!isAppError(err) || err.code !== 'bad_request') throw new Error(`expected bad_request, got ${String(err)}`);
    return err.message;
  }

  it('checks values against the contract before the engine, saves, exports and clears them', async () => {
    const s = f.engine.conversations.create({ title: 'Dar es Salaam', model: 'qwen2.5:3b' });
    expect(await dispatch(handlers, 'chat.getSettings', { sessionId: s.id })).toEqual({});

    expect(await refusal({ sessionId: s.id, temperature: 3 })).toMatch(
      /^Invalid input for chat.setSettings: temperature: /,
    );
    expect(await refusal({ sessionId: s.id, contextLength: 10 })).toMatch(/contextLength: /);
    expect(await refusal({ sessionId: s.id, contextLength: 1024.5 })).toMatch(/contextLength: /);
    expect(await refusal({ sessionId: s.id, systemPrompt: 'x'.repeat(5000) })).toMatch(/systemPrompt: /);
    expect(await refusal({ sessionId: s.id, topK: 3 })).toMatch(/Unrecognized key/);
    expect(await dispatch(handlers, 'chat.getSettings', { sessionId: s.id })).toEqual({});

    const saved = { systemPrompt: 'Cite WHO guidelines.', temperature: 0.2, contextLength: 8192 };
    expect(await dispatch(handlers, 'chat.setSettings', { sessionId: s.id, ...saved })).toEqual(saved);
    const exported = (await dispatch(handlers, 'sessions.export', { id: s.id, format: 'json' })) as { content: string };
    expect((JSON.parse(exported.content) as { settings: unknown }).settings).toEqual(saved);
    const md = (await dispatch(handlers, 'sessions.export', { id: s.id, format: 'markdown' })) as { content: string };
    expect(md.content).toContain('Temperature: 0.2 · Context length: 8192 tokens');
    expect(md.content).toContain('> Cite WHO guidelines.');

    expect(
      await dispatch(handlers, 'chat.setSettings', {
        sessionId: s.id,
        systemPrompt: null,
        temperature: null,
        contextLength: null,
      }),
    ).toEqual({});
    const plain = (await dispatch(handlers, 'sessions.export', { id: s.id, format: 'json' })) as { content: string };
    expect(JSON.parse(plain.content)).not.toHaveProperty('settings');
  });
});
