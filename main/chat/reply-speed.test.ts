import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine';
import { MemoryLogger } from '../../test/doubles/memory-logger';
import { MemorySecretStore } from '../../test/doubles/memory-secret-store';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { EMULATOR_MODELS, startOllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { startOpenAiEmulator } from '../../e2e/emulators/openai-compatible-emulator';
import { startGeminiEmulator } from '../../e2e/emulators/gemini-emulator';
import { GenerationTimer } from '../providers/generation-timer';
import { ReplySpeed } from './reply-speed';

const TEN_WORDS = 'one two three four five six seven eight nine ten';
const TOKEN_MS = 20;
const FIRST_MS = 150;
/**
 * The most a measured rate may read for tokens sent TOKEN_MS apart. Not 1000 / TOKEN_MS: a timer can fire early
 * against real time (Node starts it from the event loop's cached clock), and an engine-timed rate (OpenAI-compatible,
 * Gemini) shortens its span when the engine reads the first delta late on a busy machine (50.6 tokens/s was seen for
 * a 50/s stream under load). 10% allows 16 ms on the 180 ms span; the formula itself is pinned exactly by the
 * GenerationTimer tests in this file.
 */
const RATE_MAX = (1000 / TOKEN_MS) * 1.1;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A port where nothing listens: bound, then closed. */
async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

function engine(env: NodeJS.ProcessEnv, ollamaHost: string): Engine {
  const tmp = makeTempDir();
  const e = createEngine({
    dataDir: tmp.dir,
    ollamaHost,
    env,
    logger: new MemoryLogger(),
    online: () => true,
    secretStore: new MemorySecretStore(),
  });
  cleanups.push(async () => {
    await e.close();
    tmp.cleanup();
  });
  return e;
}

/** Sends one question and returns the stored reply with the `done` result. */
async function ask(e: Engine, message: string) {
  const h = await e.chat.send({ message });
  const result = await h.done;
  const [, reply] = e.conversations.messages(h.sessionId, 10, 0).messages;
  return { result, reply: reply! };
}

describe('a reply’s speed figures (engine clock)', () => {
  it('times the first token from the request of the round that produced it', () => {
    let now = 1000;
    const speed = new ReplySpeed({ now: () => now });
    speed.requestSent(); // a tool round: no content
    now = 1400;
    speed.requestSent(); // the answering round
    now = 1650;
    speed.firstContent();
    now = 9000;
    speed.requestSent(); // later rounds change nothing
    speed.firstContent();
    expect(speed.figures(40, 2e9)).toEqual({ ttftMs: 250, tokensPerSecond: 20 });
    expect(new ReplySpeed({ now: () => 0 }).figures(0, 0)).toEqual({ ttftMs: null, tokensPerSecond: null });
  });

  it('turns counts without durations into Ollama’s eval_duration: the pace after the first token, times the count', () => {
    let now = 0;
    const timer = new GenerationTimer(() => now);
    expect(timer.evalDurationNs(10)).toBe(0); // nothing generated yet
    now = 100;
    timer.mark();
    now = 120;
    timer.mark(); // only the first mark counts
    now = 100 + 9 * 25; // 9 more tokens at 25 ms each
    // 10 tokens at 25 ms: 250 ms, so 40 tokens/s, not the 44.4 that 10 tokens over the 225 ms span would say.
    expect(timer.evalDurationNs(10)).toBe(250e6);
    expect(timer.evalDurationNs(1)).toBe(0);
  });

  it('gives no speed when the deltas arrived together: the engine did not see them generated', () => {
    let now = 0;
    const timer = new GenerationTimer(() => now);
    timer.mark();
    now = 1.2; // six tokens read at once on a busy machine would claim ~4,000 tokens/s
    expect(timer.evalDurationNs(6)).toBe(0);
    now = 20;
    expect(timer.evalDurationNs(6)).toBe(24e6);
  });

  it('Ollama: tokens/s from the final chunk’s eval_count over eval_duration, TTFT after the prompt', async () => {
    const o = await startOllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!] });
    cleanups.push(() => o.close());
    o.script({ match: 'speed', reply: { content: TEN_WORDS, tokenDelayMs: TOKEN_MS, firstTokenDelayMs: FIRST_MS } });
    const e = engine({}, o.url);
    const { result, reply } = await ask(e, 'How is your speed?');
    expect(reply.tokens).toBe(10);
    // Near one token per TOKEN_MS, never absurdly below (sleeps run late on a busy machine).
    expect(reply.tokensPerSecond).toBeLessThanOrEqual(RATE_MAX);
    expect(reply.tokensPerSecond).toBeGreaterThan(2);
    expect(reply.ttftMs).toBeGreaterThanOrEqual(FIRST_MS - 1);
    expect(reply.ttftMs).toBeLessThan(FIRST_MS + 10_000);
    expect(result).toMatchObject({ ttft_ms: reply.ttftMs, tokens_per_second: reply.tokensPerSecond });
  });

  it('OpenAI-compatible: tokens/s from usage.completion_tokens over the generation time after the first token', async () => {
    const emu = await startOpenAiEmulator({ models: ['qwen'], tokenDelayMs: TOKEN_MS });
    cleanups.push(() => emu.close());
    emu.script({ match: 'speed', reply: { content: TEN_WORDS, firstTokenDelayMs: FIRST_MS } });
    const e = engine(
      { AERIS_PROVIDER: 'openai-compatible', AERIS_OPENAI_BASE_URL: emu.baseUrl, AERIS_MODEL: 'qwen' },
      await deadUrl(),
    );
    const { reply } = await ask(e, 'How is your speed?');
    const usage = emu.requests.filter((r) => r.path === '/v1/chat/completions')[0]!.body!.stream_options;
    expect(usage).toEqual({ include_usage: true });
    expect(reply.provider).toBe('openai-compatible');
    expect(reply.tokens).toBe(10);
    expect(reply.tokensPerSecond).toBeLessThanOrEqual(RATE_MAX);
    expect(reply.tokensPerSecond).toBeGreaterThan(2);
    // The first token comes after the first delay and one token's pace.
    expect(reply.ttftMs).toBeGreaterThanOrEqual(FIRST_MS + TOKEN_MS - 1);
  });

  it('Gemini: tokens/s from usageMetadata.candidatesTokenCount', async () => {
    const emu = await startGeminiEmulator('key', ['gemini-2.5-flash']);
    cleanups.push(() => emu.close());
    emu.tokenDelayMs = TOKEN_MS;
    emu.script({ match: 'speed', reply: { content: TEN_WORDS } });
    const e = engine(
      {
        AERIS_PROVIDER: 'gemini',
        AERIS_GEMINI_URL: emu.url,
        AERIS_GEMINI_API_KEY: 'key',
        AERIS_MODEL: 'gemini-2.5-flash',
      },
      await deadUrl(),
    );
    const { reply } = await ask(e, 'How is your speed?');
    expect(reply.provider).toBe('gemini');
    expect(reply.tokens).toBe(10);
    expect(reply.tokensPerSecond).toBeLessThanOrEqual(RATE_MAX);
    expect(reply.tokensPerSecond).toBeGreaterThan(2);
    expect(reply.ttftMs).toBeGreaterThanOrEqual(TOKEN_MS - 1);
  });
});
