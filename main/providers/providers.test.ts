import http from 'node:http';
import type { ChatResponse, Message } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../core/errors';
import { isToolsUnsupported } from '../agent/agent-loop';
import type { OllamaToolDefinition } from '../agent/tools/tool-types';
import { startOpenAiEmulator, type OpenAiCompatibleEmulator } from '../../e2e/emulators/openai-compatible-emulator';
import { startGeminiEmulator, type GeminiEmulator } from '../../e2e/emulators/gemini-emulator';
import { OpenAiCompatibleProvider } from './openai-provider';
import { GeminiProvider } from './gemini-provider';
import type { ProviderStream } from './provider-types';

const TOOLS: OllamaToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'get_city_air_quality',
      description: 'Current air quality in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'compute_aqi',
      description: 'US EPA AQI',
      parameters: { type: 'object', properties: { pollutant: { type: 'string' }, value: { type: 'number' } } },
    },
  },
];

async function drain(stream: ProviderStream): Promise<ChatResponse[]> {
  const out: ChatResponse[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

const text = (chunks: ChatResponse[]): string => chunks.map((c) => c.message.content).join('');
const calls = (chunks: ChatResponse[]) => chunks.flatMap((c) => c.message.tool_calls ?? []);

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

/** A port where nothing listens: bound, then closed. */
async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/v1`;
}

describe('OpenAI-compatible provider against the emulator', () => {
  let emu: OpenAiCompatibleEmulator;
  let provider: OpenAiCompatibleProvider;
  const KEY = 'sk-test-team-server';
  const MODEL = 'Qwen/Qwen2.5-7B-Instruct';

  beforeAll(async () => {
    emu = await startOpenAiEmulator({
      apiKey: KEY,
      models: [MODEL, 'no-tools-model'],
      modelsWithoutTools: ['no-tools-model'],
    });
    provider = new OpenAiCompatibleProvider({ baseUrl: emu.baseUrl, apiKey: KEY, cloud: false });
  });
  afterAll(() => emu.close());

  it('lists models and reports health', async () => {
    expect((await provider.listModels()).map((m) => m.name)).toEqual(['no-tools-model', MODEL]);
    const h = await provider.health();
    expect(h.ok).toBe(true);
    expect(h.detail).toContain(emu.baseUrl);
  });

  it('streams text and reads usage from the last chunk (stream_options.include_usage)', async () => {
    emu.script({ match: 'hello', reply: { content: 'Clean air today in Kampala.' }, times: 1 });
    const chunks = await drain(
      await provider.chat({
        model: MODEL,
        messages: [{ role: 'user', content: 'hello' }],
        options: { num_predict: 64 },
      }),
    );
    expect(text(chunks)).toBe('Clean air today in Kampala.');
    expect(chunks.filter((c) => c.message.content).length).toBeGreaterThan(1);
    const done = chunks[chunks.length - 1]!;
    expect(done.done).toBe(true);
    expect(done.done_reason).toBe('stop');
    expect(done.eval_count).toBe(5);
    expect(done.prompt_eval_count).toBeGreaterThan(0);
    const body = emu.requests[emu.requests.length - 1]!.body!;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.max_tokens).toBe(64);
  });

  it('puts together tool calls whose arguments arrive split and interleaved, and takes the answers back', async () => {
    emu.script({
      match: 'Kampala PM2.5 42',
      reply: {
        toolCalls: [
          { name: 'get_city_air_quality', arguments: { city: 'Kampala, Uganda' } },
          { name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 42.5 } },
        ],
        argumentPieceChars: 2,
      },
      times: 1,
    });
    const question: Message[] = [
      { role: 'system', content: 'You are an air-quality assistant.' },
      { role: 'user', content: 'Kampala PM2.5 42' },
    ];
    const first = await drain(await provider.chat({ model: MODEL, messages: question, tools: TOOLS }));
    const got = calls(first);
    expect(got.map((c) => c.function)).toEqual([
      { name: 'get_city_air_quality', arguments: { city: 'Kampala, Uganda' } },
      { name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 42.5 } },
    ]);
    expect(first[first.length - 1]!.done_reason).toBe('tool_calls');
    // The emulator refuses a tool answer that does not name a call the assistant made: this round trip
    // passes only when the provider sends the calls back with their ids and string arguments.
    emu.script({ afterTool: true, reply: { content: 'AQI 118, unhealthy for sensitive groups.' }, times: 1 });
    const second = await drain(
      await provider.chat({
        model: MODEL,
        tools: TOOLS,
        messages: [
          ...question,
          { role: 'assistant', content: '', tool_calls: got },
          { role: 'tool', content: '{"aqi":80}', tool_name: 'get_city_air_quality' },
          { role: 'tool', content: '{"aqi":118}', tool_name: 'compute_aqi' },
        ],
      }),
    );
    expect(text(second)).toBe('AQI 118, unhealthy for sensitive groups.');
    const sent = emu.requests[emu.requests.length - 1]!.body!.messages as Array<Record<string, unknown>>;
    const assistant = sent[2] as { tool_calls: Array<{ id: string; function: { arguments: string } }> };
    expect(typeof assistant.tool_calls[0]!.function.arguments).toBe('string');
    expect(sent[3]!.tool_call_id).toBe(assistant.tool_calls[0]!.id);
    expect(sent[4]!.tool_call_id).toBe(assistant.tool_calls[1]!.id);
  });

  it('explains errors in words: wrong key, unknown model, rate limit, tools refused, nobody there', async () => {
    const wrongKey = new OpenAiCompatibleProvider({ baseUrl: emu.baseUrl, apiKey: 'sk-wrong', cloud: false });
    const e401 = await failure(wrongKey.chat({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }));
    expect(e401.message).toMatch(/refused the API key \(HTTP 401\): Incorrect API key provided/);

    const e404 = await failure(provider.chat({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }));
    expect(e404.code).toBe('model_not_found');
    expect(e404.message).toContain('gpt-nope');

    emu.script({
      match: 'busy',
      reply: {
        httpError: { status: 429, message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
      },
      times: 1,
    });
    const e429 = await failure(provider.chat({ model: MODEL, messages: [{ role: 'user', content: 'busy' }] }));
    expect(e429.message).toMatch(/rate limiting requests \(HTTP 429\): Rate limit reached/);

    const noTools = await failure(
      provider.chat({ model: 'no-tools-model', tools: TOOLS, messages: [{ role: 'user', content: 'x' }] }),
    );
    // The agent loop reads this to move to the proactive path.
    expect(isToolsUnsupported(noTools)).toBe(true);

    const gone = new OpenAiCompatibleProvider({ baseUrl: await deadUrl(), apiKey: null, cloud: false });
    const down = await failure(gone.chat({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }));
    expect(down.code).toBe('ollama_unavailable');
    expect((await gone.health()).ok).toBe(false);
  });

  it('sends no Authorization header without a key, and a server that needs one answers 401', async () => {
    const keyless = new OpenAiCompatibleProvider({ baseUrl: emu.baseUrl, apiKey: null, cloud: false });
    const before = emu.requests.length;
    const e = await failure(keyless.chat({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }));
    expect(e.message).toMatch(/HTTP 401.*didn't provide an API key/);
    expect(emu.requests[before]!.headers.authorization).toBeUndefined();
  });

  it('stops a stream when aborted', async () => {
    emu.tokenDelayMs = 5;
    emu.script({ match: 'long', reply: { content: 'word '.repeat(400) }, times: 1 });
    const stream = await provider.chat({ model: MODEL, messages: [{ role: 'user', content: 'long' }] });
    let seen = 0;
    for await (const c of stream) {
      if (c.message.content) seen++;
      if (seen === 3) stream.abort();
    }
    emu.tokenDelayMs = 0;
    expect(seen).toBeLessThan(400);
  });
});

describe('Gemini provider against the emulator', () => {
  let emu: GeminiEmulator;
  let provider: GeminiProvider;
  const KEY = 'AIza-test-key';

  beforeAll(async () => {
    emu = await startGeminiEmulator(KEY, ['gemini-2.5-flash']);
    provider = new GeminiProvider({ baseUrl: emu.url, apiKey: KEY });
  });
  afterAll(() => emu.close());

  it('lists models, streams text over alt=sse and counts usage', async () => {
    expect((await provider.listModels()).map((m) => m.name)).toEqual(['gemini-2.5-flash']);
    emu.script({ match: 'hello', reply: { content: 'Moderate air in Nairobi today.' }, times: 1 });
    const chunks = await drain(
      await provider.chat({
        model: 'gemini-2.5-flash',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello' },
        ],
      }),
    );
    expect(text(chunks)).toBe('Moderate air in Nairobi today.');
    const done = chunks[chunks.length - 1]!;
    expect(done.eval_count).toBe(5);
    expect(done.prompt_eval_count).toBeGreaterThan(0);
    const req = emu.requests[emu.requests.length - 1]!;
    expect(req.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(req.headers['x-goog-api-key']).toBe(KEY);
    expect(req.body!.systemInstruction).toBeDefined();
  });

  it('returns function calls with object args and takes functionResponse answers back', async () => {
    emu.script({
      match: 'Kampala',
      reply: { functionCalls: [{ name: 'get_city_air_quality', args: { city: 'Kampala, Uganda' } }] },
      times: 1,
    });
    const question: Message[] = [{ role: 'user', content: 'Air in Kampala?' }];
    const first = await drain(await provider.chat({ model: 'gemini-2.5-flash', messages: question, tools: TOOLS }));
    const got = calls(first);
    expect(got.map((c) => c.function)).toEqual([
      { name: 'get_city_air_quality', arguments: { city: 'Kampala, Uganda' } },
    ]);
    emu.script({ afterTool: true, reply: { content: 'AQI 80 in Kampala.' }, times: 1 });
    const second = await drain(
      await provider.chat({
        model: 'gemini-2.5-flash',
        tools: TOOLS,
        messages: [
          ...question,
          { role: 'assistant', content: '', tool_calls: got },
          { role: 'tool', content: '{"aqi":80}', tool_name: 'get_city_air_quality' },
        ],
      }),
    );
    expect(text(second)).toBe('AQI 80 in Kampala.');
  });

  it('explains a wrong key and an unknown model; without a key it is not configured', async () => {
    const wrong = new GeminiProvider({ baseUrl: emu.url, apiKey: 'AIza-wrong' });
    const e = await failure(wrong.chat({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] }));
    expect(e.message).toContain('API key not valid');
    const e404 = await failure(provider.chat({ model: 'gemini-0', messages: [{ role: 'user', content: 'x' }] }));
    expect(e404.code).toBe('model_not_found');
    const none = new GeminiProvider({ baseUrl: emu.url, apiKey: null });
    expect(none.configured()).toBe(false);
    expect((await none.health()).detail).toMatch(/No Gemini API key/);
  });
});
