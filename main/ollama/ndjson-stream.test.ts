import http from 'node:http';
import type { ChatResponse } from 'ollama';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_MODELS, startOllamaEmulator, type OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { until } from '../../test/helpers/until';
import { systemClock } from '../core/clock';
import { explainOllamaError } from './ollama-errors';
import { OllamaGateway } from './ollama-gateway';
import { freePort } from './port-probe';

type Request = Parameters<OllamaGateway['chatStream']>[0];

/** What a reader of the stream sees: the text, tool calls, whether `done` came, and how it failed. */
async function read(gw: OllamaGateway, req: Request) {
  const seen = { content: '', tools: [] as string[], done: false, error: null as null | Record<string, unknown> };
  try {
    for await (const c of await gw.chatStream(req)) {
      seen.content += c.message?.content ?? '';
      for (const t of c.message?.tool_calls ?? []) seen.tools.push(t.function.name);
      if (c.done) seen.done = true;
    }
  } catch (err) {
    const e = err as { message: string; status_code?: number };
    seen.error = {
      message: e.message,
      status: e.status_code ?? null,
      code: explainOllamaError(err, { host: gw.host, model: req.model }).code,
    };
  }
  return seen;
}

describe('chat streams over node:http (ndjson-stream) read as ollama-js reads them', () => {
  let emu: OllamaEmulator;
  let viaHttp: OllamaGateway;
  let viaFetch: OllamaGateway;
  beforeEach(async () => {
    emu = await startOllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!, EMULATOR_MODELS['gemma:2b']!] });
    viaHttp = new OllamaGateway(emu.url, systemClock, fetch, fetch, true);
    viaFetch = new OllamaGateway(emu.url, systemClock, fetch, fetch, false);
  });
  afterEach(async () => {
    await emu.close();
  });
  const ask = (extra: Partial<Request> = {}): Request => ({
    model: 'qwen2.5:3b',
    messages: [{ role: 'user', content: 'air quality in Nairobi?' }],
    ...extra,
  });
  const both = async (req: Request) => {
    const a = await read(viaHttp, req);
    const b = await read(viaFetch, req);
    expect(a).toEqual(b);
    return a;
  };

  it('a reply, word by word, to its done line', async () => {
    emu.script({ reply: { tokens: ['PM2.5 ', 'is ', 'moderate.'], tokenDelayMs: 1 } });
    expect(await both(ask())).toMatchObject({ content: 'PM2.5 is moderate.', done: true, error: null });
    expect(emu.requests.at(-1)!.body).toMatchObject({ stream: true });
  });

  it('tool calls', async () => {
    emu.script({ reply: { toolCalls: [{ name: 'get_air_quality', arguments: { city: 'Nairobi' } }] } });
    expect((await both(ask())).tools).toEqual(['get_air_quality']);
  });

  it('a refusal before streaming: Ollama’s words and status (model not found, no tools)', async () => {
    expect((await both(ask({ model: 'nope:1b' }))).error).toMatchObject({ status: 404, code: 'model_not_found' });
    const noTools = await both(
      ask({
        model: 'gemma:2b',
        tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' } } }],
      }),
    );
    expect(noTools.error).toMatchObject({ status: 400, code: 'model_no_tools' });
  });

  it('an error line ends the stream with its words, after the text before it', async () => {
    emu.script({
      reply: {
        tokens: ['a', 'b', 'c'],
        errorAfterTokens: { after: 2, error: 'model runner has unexpectedly stopped' },
      },
    });
    const r = await both(ask());
    expect(r.content).toBe('ab');
    expect(r.error).toMatchObject({ message: 'model runner has unexpectedly stopped' });
  });

  it('a dropped connection mid-stream and a refused one read as Ollama unreachable', async () => {
    emu.script({ reply: { tokens: ['a', 'b', 'c'], dropAfterTokens: 1 } });
    expect((await both(ask())).error).toMatchObject({ code: 'ollama_unavailable' });
    const down = new OllamaGateway(`http://127.0.0.1:${await freePort()}`, systemClock, fetch, fetch, true);
    expect((await read(down, ask())).error).toMatchObject({ code: 'ollama_unavailable' });
  });

  it('abort() drops the connection (Ollama stops generating) and the reader gets an AbortError', async () => {
    emu.script({ reply: { tokens: Array.from({ length: 200 }, () => 'x '), tokenDelayMs: 5 } });
    const stream = await viaHttp.chatStream(ask());
    const got: ChatResponse[] = [];
    const err = await (async () => {
      for await (const c of stream) {
        got.push(c);
        if (got.length === 3) stream.abort();
      }
    })().catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('AbortError');
    expect(got).toHaveLength(3);
    await emu.whenStreamsIdle();
    expect(emu.streamsInFlight).toBe(0);
  });

  it('a reply read to its end leaves the connection open for the next request', async () => {
    emu.script({ reply: { tokens: ['ok'] } });
    const free = (): number => Object.values(http.globalAgent.freeSockets).flat().length;
    const before = free();
    expect((await read(viaHttp, ask())).done).toBe(true);
    await until(() => free() > before, 'the socket back in the pool');
    expect((await read(viaHttp, ask())).done).toBe(true);
  });
});
