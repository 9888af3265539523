import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { MemoryLogger } from '../../test/doubles/memory-logger';
import type { ChatEvent } from '../chat/chat-events';
import { MemorySecretStore } from '../../test/doubles/memory-secret-store';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { EMULATOR_MODELS, startOllamaEmulator, type OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { startOpenAiEmulator, type OpenAiCompatibleEmulator } from '../../e2e/emulators/openai-compatible-emulator';
import { startGeminiEmulator, type GeminiEmulator } from '../../e2e/emulators/gemini-emulator';

const QWEN = 'Qwen/Qwen2.5-7B-Instruct';
const OPENAI_KEY = 'sk-team-server-key';
const GEMINI_KEY = 'AIza-gemini-key';

/** A port where nothing listens: bound, then closed. */
async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openai(opts: { apiKey?: string } = { apiKey: OPENAI_KEY }): Promise<OpenAiCompatibleEmulator> {
  const e = await startOpenAiEmulator({ models: [QWEN], ...opts });
  cleanups.push(() => e.close());
  return e;
}
async function gemini(): Promise<GeminiEmulator> {
  const e = await startGeminiEmulator(GEMINI_KEY, ['gemini-2.5-flash']);
  cleanups.push(() => e.close());
  return e;
}
async function ollama(): Promise<OllamaEmulator> {
  const e = await startOllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!] });
  cleanups.push(() => e.close());
  return e;
}

function engine(opts: {
  env: NodeJS.ProcessEnv;
  ollamaHost: string;
  online?: boolean;
  secrets?: MemorySecretStore;
}): Engine {
  const tmp = makeTempDir();
  const e = createEngine({
    dataDir: tmp.dir,
    ollamaHost: opts.ollamaHost,
    env: opts.env,
    logger: new MemoryLogger(),
    online: () => opts.online ?? true,
    secretStore: opts.secrets ?? new MemorySecretStore(),
  });
  cleanups.push(async () => {
    await e.close();
    tmp.cleanup();
  });
  return e;
}

/** An engine whose default provider is the OpenAI-compatible emulator (Ollama at `ollamaHost`). */
function openaiEngine(emu: OpenAiCompatibleEmulator, ollamaHost: string): Engine {
  return engine({
    ollamaHost,
    env: {
      AERIS_PROVIDER: 'openai-compatible',
      AERIS_OPENAI_BASE_URL: emu.baseUrl,
      AERIS_OPENAI_API_KEY: OPENAI_KEY,
      AERIS_MODEL: QWEN,
    },
  });
}

async function chat(e: Engine, input: Parameters<Engine['chat']['send']>[0]) {
  const h = await e.chat.send(input);
  const events: ChatEvent[] = [];
  h.subscribe((ev) => events.push(ev));
  const result = await h.done.catch((err: unknown) => err as Error);
  return { h, events, result };
}

const providerEvents = (events: ChatEvent[]) =>
  events.filter((e): e is Extract<ChatEvent, { type: 'provider' }> => e.type === 'provider');

describe('chat through each provider', () => {
  it('answers through an OpenAI-compatible server with a tool round trip, and records who answered', async () => {
    const emu = await openai();
    emu.script({
      match: 'PM2.5 of 42',
      reply: {
        toolCalls: [{ name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 42 } }],
        argumentPieceChars: 4,
      },
      times: 1,
    });
    emu.script({ afterTool: true, reply: { content: 'That is an AQI of 117.' }, times: 1 });
    const e = openaiEngine(emu, await deadUrl());
    const { h, events, result } = await chat(e, { message: 'What AQI is a PM2.5 of 42?' });
    expect(result).toMatchObject({ response: 'That is an AQI of 117.', provider: 'openai-compatible', model: QWEN });
    expect((result as { tools_used: string[] }).tools_used).toEqual(['compute_aqi']);
    expect(providerEvents(events)[0]).toMatchObject({ provider: 'openai-compatible', model: QWEN });
    expect(providerEvents(events).some((p) => p.fallbackFrom)).toBe(false);
    expect(e.store.providers.answeredBy(h.assistantMessageId)).toEqual({ provider: 'openai-compatible', model: QWEN });
    // The second round carried the tool answer under the call's id (the emulator refuses it otherwise).
    const rounds = emu.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(rounds).toHaveLength(2);
    const sent = rounds[1]!.body!.messages as Array<{ role: string; tool_call_id?: string }>;
    expect(sent.at(-1)).toMatchObject({ role: 'tool' });
    expect(sent.at(-1)!.tool_call_id).toMatch(/^call_/);
    expect(rounds.every((r) => r.headers.authorization === `Bearer ${OPENAI_KEY}`)).toBe(true);
  });

  it('a stop while an OpenAI-compatible server is still reading the prompt ends the reply at once', async () => {
    const emu = await openai();
    emu.script({ reply: { content: 'never shown', firstTokenDelayMs: 2_000 } });
    const e = openaiEngine(emu, await deadUrl());
    const h = await e.chat.send({ message: 'a long prompt' });
    const events: ChatEvent[] = [];
    h.subscribe((ev) => events.push(ev));
    await new Promise((r) => setTimeout(r, 50));
    const stoppedAt = Date.now();
    expect(e.chat.stop(h.streamId)).toBe(true);
    await expect(h.done).resolves.toMatchObject({ status: 'stopped', response: '' });
    expect(Date.now() - stoppedAt).toBeLessThan(1_500);
    expect(events.filter((ev) => ev.type === 'token')).toEqual([]);
    // Stopped is not unreachable: no fallback to another provider.
    expect(providerEvents(events).some((p) => p.fallbackFrom)).toBe(false);
  });

  it('answers through Gemini with a function call round trip', async () => {
    const emu = await gemini();
    emu.script({
      match: 'PM2.5 of 42',
      reply: { functionCalls: [{ name: 'compute_aqi', args: { pollutant: 'pm25', value: 42 } }] },
      times: 1,
    });
    emu.script({ afterTool: true, reply: { content: 'AQI 117 from Gemini.' }, times: 1 });
    const e = engine({
      ollamaHost: await deadUrl(),
      env: {
        AERIS_PROVIDER: 'gemini',
        AERIS_GEMINI_URL: emu.url,
        AERIS_GEMINI_API_KEY: GEMINI_KEY,
        AERIS_MODEL: 'gemini-2.5-flash',
      },
    });
    const { result } = await chat(e, { message: 'What AQI is a PM2.5 of 42?' });
    expect(result).toMatchObject({ response: 'AQI 117 from Gemini.', provider: 'gemini', model: 'gemini-2.5-flash' });
    expect((result as { tools_used: string[] }).tools_used).toEqual(['compute_aqi']);
    const rounds = emu.requests.filter((r) => r.path.includes(':streamGenerateContent'));
    expect(rounds).toHaveLength(2);
  });

  it('switches one chat between providers and keeps each answer with its provider', async () => {
    const o = await ollama();
    const emu = await openai();
    const secrets = new MemorySecretStore();
    const e = engine({ ollamaHost: o.url, env: {}, secrets });
    e.sourceSettings.update({ openaiBaseUrl: emu.baseUrl, openaiApiKey: OPENAI_KEY });
    const first = await chat(e, { message: 'hello', model: 'qwen2.5:3b' });
    expect(first.result).toMatchObject({ provider: 'ollama' });
    const second = await chat(e, {
      sessionId: first.h.sessionId,
      message: 'again',
      provider: 'openai-compatible',
      model: QWEN,
    });
    expect(second.result).toMatchObject({ provider: 'openai-compatible', model: QWEN, response: 'You said: again' });
    // The chat stays with its new provider.
    const third = await chat(e, { sessionId: first.h.sessionId, message: 'third' });
    expect(third.result).toMatchObject({ provider: 'openai-compatible', model: QWEN });
    expect(e.store.providers.answeredBy(first.h.assistantMessageId)).toEqual({
      provider: 'ollama',
      model: 'qwen2.5:3b',
    });
    expect(e.store.providers.answeredBy(third.h.assistantMessageId)?.provider).toBe('openai-compatible');
  });
});

describe('fallback', () => {
  it('falls back from an unreachable server to the local Ollama and says so in the reply events', async () => {
    const o = await ollama();
    o.script({ match: 'hello', reply: { content: 'Hi from the laptop.' } });
    const e = engine({
      ollamaHost: o.url,
      env: { AERIS_PROVIDER: 'openai-compatible', AERIS_OPENAI_BASE_URL: `${await deadUrl()}/v1`, AERIS_MODEL: QWEN },
    });
    e.settings.update({ providerFallback: [{ provider: 'ollama', model: 'qwen2.5:3b' }] });
    const { h, events, result } = await chat(e, { message: 'hello' });
    expect(result).toMatchObject({ response: 'Hi from the laptop.', provider: 'ollama', model: 'qwen2.5:3b' });
    const announced = providerEvents(events).find((p) => p.fallbackFrom);
    expect(announced).toMatchObject({
      provider: 'ollama',
      model: 'qwen2.5:3b',
      fallbackFrom: { provider: 'openai-compatible', model: QWEN },
    });
    expect(announced!.reason).toMatch(/Could not reach the OpenAI-compatible server/);
    // The same reason as a message id, so the chat says it in the UI's language (issue 15).
    expect(announced!.reasonText).toMatchObject({
      id: 'error.providerUnreachable',
      // The provider as its id (the UI writes its name in its language) and the address apart.
      params: { provider: 'openai-compatible', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/) },
    });
    // The fallback comes before any text of the reply.
    expect(events.findIndex((ev) => ev === announced)).toBeLessThan(events.findIndex((ev) => ev.type === 'token'));
    expect(e.store.providers.answeredBy(h.assistantMessageId)).toEqual({ provider: 'ollama', model: 'qwen2.5:3b' });
  });

  it('does not fall back for an answer that is not "unreachable": a model without tools goes to the proactive path', async () => {
    const o = await ollama();
    const emu = await openai();
    o.script({ times: 1, reply: { httpError: { status: 400, error: 'qwen2.5:3b does not support tools' } } });
    o.script({ reply: { content: 'Answered by the laptop.' } });
    const e = engine({
      ollamaHost: o.url,
      env: { AERIS_OPENAI_BASE_URL: emu.baseUrl, AERIS_OPENAI_API_KEY: OPENAI_KEY },
    });
    e.settings.update({ providerFallback: [{ provider: 'openai-compatible', model: QWEN }] });
    const { events, result } = await chat(e, { message: 'What AQI is a PM2.5 of 42?', model: 'qwen2.5:3b' });
    expect(result).toMatchObject({ response: 'Answered by the laptop.', provider: 'ollama' });
    expect(providerEvents(events).some((p) => p.fallbackFrom)).toBe(false);
    expect(emu.requests).toHaveLength(0);
  });

  it('offline, nothing tries the cloud: no request reaches Gemini, and the error says why', async () => {
    const g = await gemini();
    const env = { AERIS_GEMINI_URL: g.url, AERIS_GEMINI_API_KEY: GEMINI_KEY };
    const e = engine({ ollamaHost: await deadUrl(), env, online: false });
    e.settings.update({ allowCloud: true, providerFallback: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] });
    const viaFallback = await chat(e, { message: 'hello', model: 'qwen2.5:3b' });
    expect(viaFallback.result).toBeInstanceOf(Error);
    expect(String((viaFallback.result as Error).message)).toMatch(/Ollama is not answering/);
    const direct = await chat(e, { message: 'hello', provider: 'gemini', model: 'gemini-2.5-flash' });
    expect((direct.result as Error).message).toMatch(/offline/);
    // The UI words it from its id, with no English inside (issue 15).
    expect((direct.result as Error & { text?: unknown }).text).toEqual({
      id: 'provider.offline',
      params: { provider: 'gemini' },
    });
    expect(g.requests).toHaveLength(0);
  });

  it('online but the cloud not allowed: the fallback skips Gemini', async () => {
    const g = await gemini();
    const e = engine({
      ollamaHost: await deadUrl(),
      env: { AERIS_GEMINI_URL: g.url, AERIS_GEMINI_API_KEY: GEMINI_KEY },
    });
    e.settings.update({ providerFallback: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] });
    const { result } = await chat(e, { message: 'hello', model: 'qwen2.5:3b' });
    expect(result).toBeInstanceOf(Error);
    expect(g.requests).toHaveLength(0);
  });
});

describe('keys go only to their own URL', () => {
  it('a saved key is not sent to a base URL given elsewhere, and a new saved URL drops it', async () => {
    const a = await openai({ apiKey: OPENAI_KEY });
    const b = await openai({});
    const secrets = new MemorySecretStore();
    secrets.save({ openaiBaseUrl: a.baseUrl, openaiApiKey: OPENAI_KEY });
    // --base-url points at another server: the key saved for `a` stays home.
    const tmp = makeTempDir();
    const e = createEngine({
      dataDir: tmp.dir,
      ollamaHost: await deadUrl(),
      env: { AERIS_PROVIDER: 'openai-compatible', AERIS_MODEL: QWEN },
      logger: new MemoryLogger(),
      online: () => true,
      secretStore: secrets,
      providerFlags: { provider: 'openai-compatible', baseUrl: b.baseUrl },
    });
    cleanups.push(async () => {
      await e.close();
      tmp.cleanup();
    });
    const viaFlag = await chat(e, { message: 'hello' });
    expect(viaFlag.result).toMatchObject({ provider: 'openai-compatible' });
    expect(b.requests.length).toBeGreaterThan(0);
    expect(b.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(a.requests).toHaveLength(0);

    // In Settings: the key goes to its URL; changing the URL drops it.
    const e2 = engine({
      ollamaHost: await deadUrl(),
      env: { AERIS_PROVIDER: 'openai-compatible', AERIS_MODEL: QWEN },
      secrets,
    });
    expect((await chat(e2, { message: 'hello' })).result).toMatchObject({ provider: 'openai-compatible' });
    expect(a.requests.at(-1)!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    e2.sourceSettings.update({ openaiBaseUrl: b.baseUrl });
    expect(e2.sourceSettings.get().openaiApiKey).toBeUndefined();
    const before = b.requests.length;
    expect((await chat(e2, { message: 'hello' })).result).toMatchObject({ provider: 'openai-compatible' });
    expect(b.requests.slice(before).every((r) => r.headers.authorization === undefined)).toBe(true);
    // Never in the logs either.
    const logged = JSON.stringify((e2.logger as MemoryLogger).entries);
    expect(logged).not.toContain(OPENAI_KEY);
  });
});

describe('health with another provider', () => {
  it('checks the default provider in place of Ollama', async () => {
    const emu = await openai();
    const e = engine({
      ollamaHost: await deadUrl(),
      env: {
        AERIS_PROVIDER: 'openai-compatible',
        AERIS_OPENAI_BASE_URL: emu.baseUrl,
        AERIS_OPENAI_API_KEY: OPENAI_KEY,
      },
    });
    const up = await e.health.check();
    expect(up.checks.find((c) => c.id === 'provider')).toMatchObject({ status: 'ok' });
    expect(up.checks.find((c) => c.id === 'provider')!.reason).toContain(emu.baseUrl);
    // The reason as a message id too, for a French or Swahili Dashboard (issue 15).
    expect(up.checks.find((c) => c.id === 'provider')!.reasonText).toEqual([
      {
        id: 'health.providerModels',
        params: { provider: 'openai-compatible', count: expect.any(Number), url: emu.baseUrl },
      },
    ]);
    expect(up.status).toBe('healthy');
    // Ollama is not needed for these chats: a warning, not a failure.
    expect(up.checks.find((c) => c.id === 'ollama')).toMatchObject({ status: 'warn' });
    await emu.close();
    const down = await e.health.check();
    expect(down.checks.find((c) => c.id === 'provider')).toMatchObject({ status: 'fail' });
    expect(down.checks.find((c) => c.id === 'provider')!.reasonText?.[0]?.id).toBe('error.providerUnreachable');
    expect(down.status).toBe('degraded');
  });
});
