import { afterEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { MemoryLogger } from '../../test/doubles/memory-logger';
import { createEngine } from '../engine';
import { aliasNote, applySeedEnvAliases, shellEnvironment } from './seed-env-aliases';

describe("the original server's configuration names", () => {
  let f: EngineFixture | null = null;
  afterEach(async () => {
    await f?.close();
    f = null;
  });

  it('maps each name to ours, lets ours win, and says which were used', () => {
    const r = applySeedEnvAliases({
      OLLAMA_BASE_URL: 'http://127.0.0.1:11500',
      AI_MODEL: 'llama3.1:8b',
      WAQI_API_KEY: 'waqi-key',
      AIRQO_API_TOKEN: 'airqo-token',
      CACHE_TTL_SECONDS: '60',
      AERIS_CACHE_TTL_SECONDS: '120',
      DISABLE_SESSION_LIMIT: 'true',
      AI_API_KEY: 'sk-unused',
    });
    expect(r.env).toMatchObject({
      OLLAMA_HOST: 'http://127.0.0.1:11500',
      AERIS_DEFAULT_MODEL: 'llama3.1:8b',
      AERIS_WAQI_TOKEN: 'waqi-key',
      AERIS_AIRQO_TOKEN: 'airqo-token',
      AERIS_CACHE_TTL_SECONDS: '120',
    });
    expect(r.used).toContain('WAQI_API_KEY→AERIS_WAQI_TOKEN');
    expect(r.used).toContain('DISABLE_SESSION_LIMIT');
    expect(r.ignored).toContain('CACHE_TTL_SECONDS (AERIS_CACHE_TTL_SECONDS is set)');
    expect(r.ignored).toContain('AI_API_KEY (AI_PROVIDER names no provider that takes a key)');
    expect(aliasNote(r)).toMatch(/^seed configuration names: used OLLAMA_BASE_URL→OLLAMA_HOST, .*; not applied: /);
    expect(aliasNote(applySeedEnvAliases({ PATH: '/usr/bin' }))).toBeNull();
  });

  it('leaves OLLAMA_BASE_URL alone when the seed used another provider', () => {
    const r = applySeedEnvAliases({ AI_PROVIDER: 'openai', OLLAMA_BASE_URL: 'http://x:1' });
    expect(r.env.OLLAMA_HOST).toBeUndefined();
    expect(r.ignored.join(' ')).toMatch(/OLLAMA_BASE_URL \(AI_PROVIDER=openai\)/);
  });

  it('reads the provider names: AI_PROVIDER, AI_MODEL, AI_API_KEY with its provider, OPENAI_BASE_URL', () => {
    const r = applySeedEnvAliases({
      AI_PROVIDER: 'openai',
      AI_MODEL: 'deepseek-chat',
      AI_API_KEY: 'sk-seed',
      OPENAI_BASE_URL: 'https://api.deepseek.com/v1',
    });
    expect(r.env).toMatchObject({
      AERIS_PROVIDER: 'openai-compatible',
      AERIS_MODEL: 'deepseek-chat',
      AERIS_OPENAI_API_KEY: 'sk-seed',
      AERIS_OPENAI_BASE_URL: 'https://api.deepseek.com/v1',
    });
    expect(r.env.AERIS_GEMINI_API_KEY).toBeUndefined();
    const g = applySeedEnvAliases({ AI_PROVIDER: 'gemini', AI_API_KEY: 'AIza-seed', AERIS_MODEL: 'gemini-2.5-pro' });
    expect(g.env).toMatchObject({ AERIS_PROVIDER: 'gemini', AERIS_GEMINI_API_KEY: 'AIza-seed' });
    expect(g.env.AERIS_OPENAI_API_KEY).toBeUndefined();
    expect(aliasNote(g)).not.toContain('AIza-seed');
  });

  it('an engine built from them uses the model, cache TTL and session limit they name', async () => {
    const { env } = applySeedEnvAliases({
      AI_MODEL: 'llama3.1:8b',
      CACHE_TTL_SECONDS: '42',
      MAX_MESSAGES_PER_SESSION: '4',
    });
    f = await engineFixture({ env });
    expect(f.engine.airQuality.config().readingTtlMs).toBe(42_000);
    f.emulator.script({ reply: { content: 'ok' } });
    const h = await f.engine.chat.send({ message: 'first' });
    await h.done;
    expect(h.model).toBe('llama3.1:8b');
    await (
      await f.engine.chat.send({ sessionId: h.sessionId, message: 'second' })
    ).done;
    await expect(f.engine.chat.send({ sessionId: h.sessionId, message: 'third' })).rejects.toMatchObject({
      code: 'session_limit',
      details: { limit: 4 },
    });
  });

  it('shellEnvironment: the one rule both shells apply (serve and the CLI in run-cli, the desktop app in electron/main)', async () => {
    const raw = { OLLAMA_BASE_URL: 'http://127.0.0.1:11500', WAQI_API_KEY: 'waqi-key', PATH: '/usr/bin' };
    const { env, note } = shellEnvironment(raw);
    expect(env).toMatchObject({
      OLLAMA_HOST: 'http://127.0.0.1:11500',
      AERIS_WAQI_TOKEN: 'waqi-key',
      PATH: '/usr/bin',
    });
    expect(note).toBe('seed configuration names: used OLLAMA_BASE_URL→OLLAMA_HOST, WAQI_API_KEY→AERIS_WAQI_TOKEN');
    // The process's own environment is left as it was.
    expect(raw).not.toHaveProperty('OLLAMA_HOST');
    expect(shellEnvironment({ PATH: '/usr/bin' })).toEqual({ env: { PATH: '/usr/bin' }, note: null });

    // An engine made the way the desktop app makes it (no --ollama-host flag) talks to the seed's Ollama.
    const tmp = makeTempDir();
    const engine = createEngine({ dataDir: tmp.dir, env, logger: new MemoryLogger() });
    try {
      expect(engine.ollama.host).toBe('http://127.0.0.1:11500');
      expect(engine.ollamaHostSource).toBe('env');
    } finally {
      await engine.close();
      tmp.cleanup();
    }
  });
});
