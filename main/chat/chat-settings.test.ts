import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { startOpenAiEmulator } from '../../e2e/emulators/openai-compatible-emulator';
import { MemoryLogger } from '../../test/doubles/memory-logger';
import { MemorySecretStore } from '../../test/doubles/memory-secret-store';
import { createEngine } from '../engine';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { ManualClock } from '../../test/doubles/manual-clock';
import { isAppError } from '../core/errors';
import { MIGRATIONS, SCHEMA_VERSION } from '../store/migrations';
import { openStore } from '../store/store';

interface ChatBody {
  messages: Array<{ role: string; content: string }>;
  options: Record<string, number>;
}

describe('a chat’s own settings', () => {
  let f: EngineFixture;
  beforeEach(async () => {
    f = await engineFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const lastChat = (): ChatBody => f.emulator.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as ChatBody;

  async function refused(p: Promise<unknown>): Promise<{ code: string; message: string }> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
    return { code: err.code, message: err.message };
  }

  it('sends the prompt, temperature and context length to Ollama, and clearing restores the defaults', async () => {
    const first = await f.engine.chat.send({ message: 'hello', model: 'qwen2.5:3b' });
    await first.done;
    const id = first.sessionId;
    // The defaults of a small model: the low-end tuning.
    expect(lastChat().options).toMatchObject({ temperature: 0.35, num_ctx: 4096 });

    const saved = await f.engine.chat.setSettings(id, {
      systemPrompt: '  Answer as a pirate.  ',
      temperature: 1.2,
      contextLength: 16384,
    });
    expect(saved).toEqual({ systemPrompt: 'Answer as a pirate.', temperature: 1.2, contextLength: 16384 });

    await (
      await f.engine.chat.send({ sessionId: id, message: 'and now?' })
    ).done;
    const tuned = lastChat();
    expect(tuned.options).toMatchObject({ temperature: 1.2, num_ctx: 16384 });
    const system = tuned.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('Instructions from the user for this conversation:\nAnswer as a pirate.');
    // Added to the agent's prompt, not instead of it: the rules stay, and the user's words come after them.
    expect(system.content).toContain('Never invent measurements');
    expect(system.content.indexOf('Never invent')).toBeLessThan(system.content.indexOf('Answer as a pirate'));

    // Null (and an empty prompt) clear; an absent key is kept.
    expect(await f.engine.chat.setSettings(id, { systemPrompt: '', temperature: null })).toEqual({
      contextLength: 16384,
    });
    expect(await f.engine.chat.setSettings(id, { contextLength: null })).toEqual({});
    await (
      await f.engine.chat.regenerate(id)
    ).done;
    const reset = lastChat();
    expect(reset.options).toMatchObject({ temperature: 0.35, num_ctx: 4096 });
    expect(reset.messages[0]!.content).not.toContain('Instructions from the user');
    expect(f.engine.store.db.prepare(`SELECT chat_settings FROM sessions WHERE id = ?`).get(id)).toEqual({
      chat_settings: null,
    });
  });

  it('refuses a temperature of 3, a context length of 10 and a 5000-character prompt, saving nothing', async () => {
    const h = await f.engine.chat.send({ message: 'hello', model: 'qwen2.5:3b' });
    await h.done;
    const id = h.sessionId;
    await f.engine.chat.setSettings(id, { temperature: 0.5 });

    expect(await refused(f.engine.chat.setSettings(id, { temperature: 3, systemPrompt: 'kept?' }))).toEqual({
      code: 'bad_request',
      message: 'The temperature must be between 0 and 2.',
    });
    expect(await refused(f.engine.chat.setSettings(id, { contextLength: 10 }))).toEqual({
      code: 'bad_request',
      message: 'The context length must be a whole number of tokens between 512 and 131072.',
    });
    expect(await refused(f.engine.chat.setSettings(id, { systemPrompt: 'x'.repeat(5000) }))).toEqual({
      code: 'bad_request',
      message: "The chat's system prompt is 5000 characters; the limit is 4000.",
    });
    // qwen2.5:3b reads 32768 tokens (its /api/show model_info): more is refused for it.
    expect(await refused(f.engine.chat.setSettings(id, { contextLength: 65536 }))).toEqual({
      code: 'bad_request',
      message: 'qwen2.5:3b reads at most 32768 tokens; choose a context length up to that.',
    });
    expect(f.engine.chat.settings(id)).toEqual({ temperature: 0.5 });
    expect((await refused(f.engine.chat.setSettings('no-such-chat', { temperature: 1 }))).code).toBe('not_found');
  });

  it('cuts a saved context length to a smaller model the chat moved to', async () => {
    const h = await f.engine.chat.send({ message: 'hello', model: 'llama3.1:8b' });
    await h.done;
    await f.engine.chat.setSettings(h.sessionId, { contextLength: 65536 });
    await (
      await f.engine.chat.send({ sessionId: h.sessionId, message: 'again' })
    ).done;
    expect(lastChat().options.num_ctx).toBe(65536);
    // gemma:2b reads 8192 tokens.
    await (
      await f.engine.chat.send({ sessionId: h.sessionId, message: 'smaller', model: 'gemma:2b' })
    ).done;
    expect(lastChat().options.num_ctx).toBe(8192);
  });
});

describe('chat settings through an OpenAI-compatible server', () => {
  it('carries the temperature and the user’s instructions (num_ctx is Ollama’s own)', async () => {
    const model = 'Qwen/Qwen2.5-7B-Instruct';
    const emu = await startOpenAiEmulator({ models: [model], apiKey: 'sk-k' });
    const tmp = makeTempDir();
    const engine = createEngine({
      dataDir: tmp.dir,
      ollamaHost: emu.baseUrl,
      env: {
        AERIS_PROVIDER: 'openai-compatible',
        AERIS_OPENAI_BASE_URL: emu.baseUrl,
        AERIS_OPENAI_API_KEY: 'sk-k',
        AERIS_MODEL: model,
      },
      logger: new MemoryLogger(),
      online: () => true,
      secretStore: new MemorySecretStore(),
    });
    try {
      const h = await engine.chat.send({ message: 'hello' });
      await h.done;
      await engine.chat.setSettings(h.sessionId, { systemPrompt: 'Use metric units only.', temperature: 1.5 });
      await (
        await engine.chat.send({ sessionId: h.sessionId, message: 'again' })
      ).done;
      const body = emu.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!.body as {
        temperature: number;
        messages: Array<{ role: string; content: string }>;
      };
      expect(body.temperature).toBe(1.5);
      expect(body.messages[0]).toMatchObject({ role: 'system' });
      expect(body.messages[0]!.content).toContain(
        'Instructions from the user for this conversation:\nUse metric units only.',
      );
    } finally {
      await engine.close();
      await emu.close();
      tmp.cleanup();
    }
  });
});

describe('chat settings in the database', () => {
  it('persist across reopening the store, and migration 14 gives chats from before none', () => {
    const tmp = makeTempDir();
    const file = path.join(tmp.dir, 'aeris_agent.db');
    try {
      // A database as the app before migration 14 left it, with a chat in it.
      const old = new Database(file);
      for (const step of MIGRATIONS.slice(0, 13)) step(old);
      old.pragma('user_version = 13');
      old.prepare(`INSERT INTO sessions (id, title, created_at, updated_at) VALUES ('old', 'Before', 1, 1)`).run();
      old.close();

      const clock = new ManualClock();
      let store = openStore(file, clock);
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.chatSettings.get('old')).toEqual({});
      expect(store.chatSettings.set('old', { systemPrompt: 'Be brief.', temperature: 0, contextLength: 2048 })).toBe(
        true,
      );
      expect(store.chatSettings.set('missing', { temperature: 1 })).toBe(false);
      store.close();

      store = openStore(file, clock);
      expect(store.chatSettings.get('old')).toEqual({ systemPrompt: 'Be brief.', temperature: 0, contextLength: 2048 });
      // A value damaged by hand falls back to the defaults instead of failing every reply.
      store.db.prepare(`UPDATE sessions SET chat_settings = '{not json' WHERE id = 'old'`).run();
      expect(store.chatSettings.get('old')).toEqual({});
      store.close();
    } finally {
      tmp.cleanup();
    }
  });
});
