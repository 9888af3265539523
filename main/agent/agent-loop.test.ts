import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { WaqiEmulator } from '../../e2e/emulators/waqi-emulator';
import { AirQoEmulator } from '../../e2e/emulators/airqo-emulator';
import { OpenMeteoEmulator } from '../../e2e/emulators/openmeteo-emulator';
import { startHttpServer } from '../server/http-server';
import { createHandlers } from '../api/handlers';
import type { ChatEvent } from '../chat/chat-events';
import { findConcentration, MAX_TOOL_ROUNDS } from './agent-loop';

const waqi = new WaqiEmulator();
const airqo = new AirQoEmulator();
const om = new OpenMeteoEmulator();

interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string; tool_name?: string; tool_calls?: unknown[] }>;
  tools?: Array<{ function: { name: string } }>;
}

beforeAll(async () => {
  await Promise.all([waqi.start(), airqo.start(), om.start()]);
});
afterAll(async () => {
  await Promise.all([waqi.close(), airqo.close(), om.close()]);
});

describe('the agent loop against the Ollama emulator, with the data sources behind the tools', () => {
  let f: EngineFixture;
  beforeEach(async () => {
    for (const e of [waqi, airqo, om]) e.faults.clear();
    f = await engineFixture({
      env: {
        AERIS_WAQI_URL: waqi.url,
        AERIS_WAQI_TOKEN: 'test-waqi-token',
        AERIS_AIRQO_URL: airqo.baseUrl,
        AERIS_AIRQO_TOKEN: 'test-airqo-token',
        AERIS_OPENMETEO_URL: om.url,
      },
    });
  });
  afterEach(async () => {
    await f.close();
  });

  const chats = (): ChatBody[] =>
    f.emulator.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as ChatBody);

  it('runs independent tool calls in parallel, feeds the results back, and retracts the preamble it showed', async () => {
    f.emulator.script({
      match: 'Kampala',
      times: 1,
      reply: {
        content: 'Let me check the sources. ',
        toolCalls: [
          { name: 'get_city_air_quality', arguments: { city: 'Kampala' } },
          { name: 'get_air_quality_forecast', arguments: { city: 'Kampala', days: 2 } },
        ],
      },
    });
    f.emulator.script({ match: 'Kampala', reply: { content: 'Kampala PM2.5 is high (AirQo, Makerere).' } });
    const h = await f.engine.chat.send({ message: 'How is the air in Kampala now?', model: 'qwen2.5:3b' });
    const events: ChatEvent[] = [];
    h.subscribe((e) => events.push(e));
    const result = await h.done;

    // Text streams at once; the tool round's preamble is taken back, so the answer is the final text.
    expect(result.response).toBe('Kampala PM2.5 is high (AirQo, Makerere).');
    expect(result.tools_used).toEqual(['get_city_air_quality', 'get_air_quality_forecast']);
    const [first, second] = chats();
    expect(first!.tools!.map((t) => t.function.name)).toContain('get_city_air_quality');
    expect(first!.messages[0]!.content).toContain('Use the tools for live data');
    // round 2 carries the assistant's calls and one tool message per call, in the order asked
    const tail = second!.messages.slice(-3);
    expect(tail[0]).toMatchObject({ role: 'assistant' });
    expect(tail[0]!.tool_calls).toHaveLength(2);
    expect(tail.slice(1).map((m) => [m.role, m.tool_name])).toEqual([
      ['tool', 'get_city_air_quality'],
      ['tool', 'get_air_quality_forecast'],
    ]);
    expect(JSON.parse(tail[1]!.content)).toMatchObject({ ok: true, data: { source: 'AirQo' } });

    // both started before either finished: they ran side by side
    const tools = events.filter((e): e is Extract<ChatEvent, { type: 'tool' }> => e.type === 'tool');
    expect(tools.map((e) => e.status)).toEqual(['running', 'running', 'done', 'done']);
    const city = tools.find((e) => e.name === 'get_city_air_quality' && e.status === 'done')!;
    expect(city.source).toBe('airqo');
    expect(city.cached).toBe(false);
    expect(city.durationMs).toBeGreaterThanOrEqual(0);
    expect(city.activity.aqi).toMatchObject({ category: expect.any(String), color: expect.stringMatching(/^#/) });
    // the preamble streamed before the tools ran, then was retracted to offset 0
    const firstToken = events.findIndex((e) => e.type === 'token');
    expect(firstToken).toBeLessThan(events.indexOf(tools[0]!));
    const retract = events.find((e) => e.type === 'retract');
    expect(retract).toMatchObject({ offset: 0 });

    // kept with the message, for a reload
    const stored = f.engine.store.messages.get(h.assistantMessageId)!;
    expect(stored.content).toBe('Kampala PM2.5 is high (AirQo, Makerere).');
    expect(stored.toolsUsed).toEqual(['get_city_air_quality', 'get_air_quality_forecast']);
    const handlers = createHandlers(f.engine, 'serve');
    const { messages } = await handlers['messages.list']({ sessionId: h.sessionId });
    const reply = messages.find((m) => m.id === h.assistantMessageId)!;
    expect(reply.tools.map((t) => [t.name, t.status])).toEqual([
      ['get_city_air_quality', 'done'],
      ['get_air_quality_forecast', 'done'],
    ]);
    expect(reply.tools[0]!.label).toBe('Kampala');
    expect(reply.tools[0]!.aqi?.value).toBeGreaterThan(0);

    // a second question within the TTL is answered from the cache, and says so
    f.emulator.script({
      match: 'again',
      times: 1,
      reply: { toolCalls: [{ name: 'get_city_air_quality', arguments: { city: 'Kampala' } }] },
    });
    const h2 = await f.engine.chat.send({ sessionId: h.sessionId, message: 'and again?' });
    await h2.done;
    expect(f.engine.store.toolActivity.list(h2.assistantMessageId)[0]).toMatchObject({
      cached: true,
      sources: ['cache'],
    });
  });

  it(`stops offering tools after ${MAX_TOOL_ROUNDS} rounds and makes the model answer`, async () => {
    for (let i = 1; i <= MAX_TOOL_ROUNDS + 1; i++) {
      f.emulator.script({
        times: 1,
        reply: {
          content: `final ${i}`,
          toolCalls: [{ name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 10 * i } }],
        },
      });
    }
    const h = await f.engine.chat.send({ message: 'Compute many AQIs', model: 'qwen2.5:3b' });
    const r = await h.done;
    const calls = chats();
    expect(calls).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(calls.slice(0, MAX_TOOL_ROUNDS).every((c) => c.tools && c.tools.length > 0)).toBe(true);
    expect(calls.at(-1)!.tools).toBeUndefined();
    expect(f.engine.store.toolActivity.list(h.assistantMessageId)).toHaveLength(MAX_TOOL_ROUNDS);
    expect(r.response).toBe(`final ${MAX_TOOL_ROUNDS + 1}`);
    expect(r.tools_used).toEqual(['compute_aqi']);
  });

  it('answers malformed arguments and unknown tools as tool errors the model can recover from', async () => {
    f.emulator.script({
      times: 1,
      reply: {
        toolCalls: [
          { name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 'lots' } },
          { name: 'get_weather', arguments: { city: 'Kampala' } },
        ],
      },
    });
    f.emulator.script({
      times: 1,
      reply: { toolCalls: [{ name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 40 } }] },
    });
    f.emulator.script({ reply: { content: 'PM2.5 of 40 is AQI 112.' } });
    const h = await f.engine.chat.send({ message: 'AQI for PM2.5 40?', model: 'qwen2.5:3b' });
    const r = await h.done;
    const second = chats()[1]!;
    const toolMsgs = second.messages.filter((m) => m.role === 'tool');
    expect(JSON.parse(toolMsgs[0]!.content)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(JSON.parse(toolMsgs[1]!.content)).toMatchObject({ ok: false, error: { code: 'unknown_tool' } });
    expect(toolMsgs[1]!.tool_name).toBe('get_weather');
    const third = chats()[2]!;
    expect(JSON.parse(third.messages.at(-1)!.content)).toMatchObject({ ok: true, data: { aqi: 112 } });
    expect(r.response).toBe('PM2.5 of 40 is AQI 112.');
    expect(r.tools_used).toEqual(['compute_aqi']);
    const activity = f.engine.store.toolActivity.list(h.assistantMessageId);
    expect(activity.map((a) => [a.name, a.status])).toEqual([
      ['compute_aqi', 'error'],
      ['get_weather', 'error'],
      ['compute_aqi', 'done'],
    ]);
    expect(activity[2]!.aqi).toEqual({
      value: 112,
      category: 'Unhealthy for Sensitive Groups',
      color: '#FF7E00',
      pollutant: 'pm25',
      place: null,
    });
  });

  it('cuts off a model that repeats the same call, and makes it answer', async () => {
    f.emulator.script({
      reply: {
        content: 'Done.',
        toolCalls: [{ name: 'get_health_advice', arguments: { category: 'Moderate', group: 'children' } }],
      },
    });
    const h = await f.engine.chat.send({ message: 'advice please', model: 'qwen2.5:3b' });
    const r = await h.done;
    const calls = chats();
    expect(calls).toHaveLength(3);
    expect(JSON.parse(calls[2]!.messages.at(-1)!.content)).toMatchObject({
      ok: false,
      error: { code: 'repeated_call' },
    });
    expect(calls[2]!.tools).toBeUndefined();
    expect(f.engine.store.toolActivity.list(h.assistantMessageId)).toHaveLength(1);
    expect(r.response).toBe('Done.');
  });

  it('falls back to the no-tools path when Ollama says the model does not support tools', async () => {
    f.emulator.script({
      times: 1,
      reply: { httpError: { status: 400, error: 'registry.ollama.ai/library/qwen2.5:3b does not support tools' } },
    });
    f.emulator.script({ reply: { content: 'From the data: Kampala is unhealthy.' } });
    const h = await f.engine.chat.send({ message: 'How is the air in Kampala?', model: 'qwen2.5:3b' });
    const r = await h.done;
    expect(r.response).toBe('From the data: Kampala is unhealthy.');
    expect(r.tools_used).toEqual(['get_city_air_quality']);
    const [withTools, without] = chats();
    expect(withTools!.tools).toBeDefined();
    expect(without!.tools).toBeUndefined();
    expect(without!.messages[0]!.content).toContain('Data fetched for this question');
    expect(without!.messages[0]!.content).toContain('AirQo');
    // remembered: the next reply goes straight to the no-tools path
    const h2 = await f.engine.chat.send({ sessionId: h.sessionId, message: 'and now?' });
    await h2.done;
    expect(chats().at(-1)!.tools).toBeUndefined();
    expect(chats()).toHaveLength(3);
  });

  it('gemma:2b: finds the place and the concentration, fetches first and gives the data as context', async () => {
    f.emulator.script({ model: 'gemma:2b', reply: { content: 'Nairobi is moderate; 40 µg/m³ is AQI 112.' } });
    const h = await f.engine.chat.send({
      message: 'Is it safe to walk to school in Nairobi? And what AQI is PM2.5 of 40?',
      model: 'gemma:2b',
    });
    const events: ChatEvent[] = [];
    h.subscribe((e) => events.push(e));
    const r = await h.done;
    expect(r.tools_used).toEqual(['get_city_air_quality', 'compute_aqi']);
    const [only] = chats();
    expect(chats()).toHaveLength(1);
    expect(only!.tools).toBeUndefined();
    const system = only!.messages[0]!.content;
    expect(system).toContain('Current air quality in Nairobi, Kenya');
    expect(system).toContain('"aqi":112');
    expect(system).toMatch(/Today is \d{4}-\d{2}-\d{2}/);
    expect(events.filter((e) => e.type === 'tool').map((e) => (e as { status: string }).status)).toEqual([
      'running',
      'running',
      'done',
      'done',
    ]);
  });

  it('puts the user location and the style in the system prompt', async () => {
    f.engine.settings.update({ location: 'Jinja, Uganda' });
    const h = await f.engine.chat.send({ message: 'hello', model: 'gemma:2b', style: 'policy' });
    await h.done;
    const system = chats()[0]!.messages[0]!.content;
    expect(system).toContain('The user is in or near Jinja, Uganda.');
    expect(system).toContain('WHO 2021, national limits');
  });

  it('stores a chart with the message, so the UI can draw it after a reload', async () => {
    f.emulator.script({
      times: 1,
      reply: {
        toolCalls: [
          {
            name: 'generate_chart',
            arguments: {
              title: 'PM2.5 in Kampala',
              series: [
                {
                  name: 'Makerere',
                  points: [
                    ['2026-01-10T08:00:00Z', 30],
                    ['2026-01-10T09:00:00Z', 42],
                  ],
                },
              ],
              who_guideline: 'pm25_24h',
            },
          },
        ],
      },
    });
    f.emulator.script({ reply: { content: 'Here is the chart.' } });
    const h = await f.engine.chat.send({ message: 'chart it', model: 'qwen2.5:3b' });
    await h.done;
    const { messages } = await createHandlers(f.engine, 'serve')['messages.list']({ sessionId: h.sessionId });
    const chart = messages.at(-1)!.tools[0]!.chart!;
    expect(chart).toMatchObject({ type: 'chart', chartType: 'line', title: 'PM2.5 in Kampala', units: 'µg/m³' });
    expect(chart.series[0]!.points).toHaveLength(2);
    expect(chart.referenceLines[0]).toMatchObject({ value: 15 });
  });

  it('reports tools_used in the seed HTTP API, in the result and in the stored messages', async () => {
    const server = await startHttpServer(f.engine, {
      host: '127.0.0.1',
      port: 0,
      token: 'tok-0123456789abcdef',
      rendererDir: null,
    });
    try {
      f.emulator.script({
        times: 1,
        reply: { toolCalls: [{ name: 'get_city_air_quality', arguments: { city: 'Kampala' } }] },
      });
      f.emulator.script({ reply: { content: 'Kampala: unhealthy.' } });
      const headers = { Authorization: 'Bearer tok-0123456789abcdef', 'Content-Type': 'application/json' };
      const res = await fetch(`${server.url}/api/v1/agent/chat`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ message: 'Air in Kampala?', model: 'qwen2.5:3b' }),
      });
      const body = (await res.json()) as { tools_used: string[]; session_id: string; response: string };
      expect(body).toMatchObject({ tools_used: ['get_city_air_quality'], response: 'Kampala: unhealthy.' });
      const list = (await (
        await fetch(`${server.url}/api/v1/sessions/${body.session_id}/messages`, { headers })
      ).json()) as {
        messages: Array<{ role: string; tools_used: string[] }>;
      };
      expect(list.messages.find((m) => m.role === 'assistant')!.tools_used).toEqual(['get_city_air_quality']);
    } finally {
      await server.close();
    }
  });
});

describe('findConcentration', () => {
  it('reads a pollutant and a value in either order', () => {
    expect(findConcentration('What AQI is PM2.5 of 40?')).toEqual({ pollutant: 'pm25', value: 40 });
    expect(findConcentration('is 55 µg/m³ pm10 bad')).toEqual({ pollutant: 'pm10', value: 55 });
    expect(findConcentration('ozone at 0.071 ppm')).toEqual({ pollutant: 'o3', value: 0.071 });
    expect(findConcentration('How is the air in Kampala?')).toBeNull();
    expect(findConcentration('PM2.5 forecast for 3 days')).toBeNull();
  });
});
