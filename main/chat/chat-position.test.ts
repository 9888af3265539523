import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { WaqiEmulator } from '../../e2e/emulators/waqi-emulator';
import { OpenMeteoEmulator } from '../../e2e/emulators/openmeteo-emulator';
import { startHttpServer } from '../server/http-server';

const waqi = new WaqiEmulator();
const om = new OpenMeteoEmulator();

beforeAll(async () => {
  await Promise.all([waqi.start(), om.start()]);
});
afterAll(async () => {
  await Promise.all([waqi.close(), om.close()]);
});

interface ChatBody {
  messages: Array<{ role: string; content: string }>;
  tools?: unknown[];
}

describe('"how is the air here?": the position sent with a question', () => {
  let f: EngineFixture;
  beforeEach(async () => {
    f = await engineFixture({
      env: { AERIS_WAQI_URL: waqi.url, AERIS_WAQI_TOKEN: 'test-waqi-token', AERIS_OPENMETEO_URL: om.url },
    });
  });
  afterEach(async () => {
    await f.close();
  });
  const chats = (): ChatBody[] =>
    f.emulator.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as ChatBody);

  it('a tool model is told the coordinates and the nearest gazetteer place, and to use them for "here"', async () => {
    f.engine.settings.update({ location: 'Jinja, Uganda' });
    const h = await f.engine.chat.send({
      message: 'How is the air here?',
      model: 'qwen2.5:3b',
      latitude: -1.2921,
      longitude: 36.8219,
    });
    await h.done;
    const system = chats()[0]!.messages[0]!.content;
    expect(system).toContain('The user is at latitude -1.2921, longitude 36.8219, near Nairobi, Kenya (1 km).');
    expect(system).toContain('get_air_quality_by_coordinates with these coordinates');
    // The chosen position replaces the saved place name for this question.
    expect(system).not.toContain('Jinja');
    // The question is stored as typed: the position is not pasted into it.
    expect(chats()[0]!.messages.at(-1)!.content).toBe('How is the air here?');
  });

  it('a model without tools gets the data for the position fetched first, when the question names no place', async () => {
    f.emulator.script({ model: 'gemma:2b', reply: { content: 'Around you the AQI is 75.' } });
    const h = await f.engine.chat.send({
      message: 'How is the air here?',
      model: 'gemma:2b',
      latitude: -1.29,
      longitude: 36.82,
    });
    const r = await h.done;
    expect(r.tools_used).toEqual(['get_air_quality_by_coordinates']);
    const system = chats()[0]!.messages[0]!.content;
    expect(system).toContain("Current air quality at the user's location (-1.29, 36.82)");
    expect(system).toContain('Nairobi, Kenya');
  });

  it("the original API's latitude/longitude form fields reach the engine as the position, not as text", async () => {
    const server = await startHttpServer(f.engine, {
      host: '127.0.0.1',
      port: 0,
      token: 'tok-0123456789abcdef',
      rendererDir: null,
    });
    try {
      const res = await fetch(`${server.url}/api/v1/agent/chat`, {
        method: 'POST',
        headers: { Authorization: 'Bearer tok-0123456789abcdef' },
        body: new URLSearchParams({
          message: 'Air here?',
          latitude: '-1.2921',
          longitude: '36.8219',
          model: 'qwen2.5:3b',
        }),
      });
      expect(res.status).toBe(200);
      const last = chats().at(-1)!;
      expect(last.messages[0]!.content).toContain('The user is at latitude -1.2921, longitude 36.8219');
      expect(last.messages.at(-1)!.content).toBe('Air here?');
    } finally {
      await server.close();
    }
  });
});
