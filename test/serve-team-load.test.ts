import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../main/engine';
import { MemoryLogger } from './doubles/memory-logger';
import { startHttpServer, type RunningServer } from '../main/server/http-server';
import { startOpenAiEmulator, type OpenAiCompatibleEmulator } from '../e2e/emulators/openai-compatible-emulator';
import { makeTempDir } from './helpers/temp-dir';

const TOKEN = 'team-load-test-token-0123456789abcdef';
const MODEL = 'Qwen/Qwen2.5-7B-Instruct';
const CHATS = 50;

describe('aeris serve in front of an OpenAI-compatible (vLLM-like) server', () => {
  let emu: OpenAiCompatibleEmulator;
  let engine: Engine;
  let server: RunningServer;
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(async () => {
    await server.close();
    await engine.close();
    await emu.close();
    tmp.cleanup();
  });

  it(`answers ${CHATS} concurrent chats, each with its own answer, none lost or mixed`, async () => {
    // Tokens a little apart, so the streams overlap at the server as a batch of users would.
    emu = await startOpenAiEmulator({ models: [MODEL], tokenDelayMs: 2 });
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(dead.address() as { port: number }).port}`;
    await new Promise<void>((r) => dead.close(() => r()));
    tmp = makeTempDir();
    engine = createEngine({
      dataDir: tmp.dir,
      ollamaHost: deadUrl,
      env: { AERIS_PROVIDER: 'openai-compatible', AERIS_OPENAI_BASE_URL: emu.baseUrl, AERIS_MODEL: MODEL },
      logger: new MemoryLogger(),
      online: () => false,
    });
    server = await startHttpServer(engine, {
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      rendererDir: null,
      limits: { ratePerMinute: 0 },
    });
    const ask = async (i: number): Promise<{ response: string; session_id: string }> => {
      const res = await fetch(`${server.url}/api/v1/agent/chat`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ session_id: `team-${i}`, message: `question number ${i} from user ${i}` }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { response: string; session_id: string };
    };
    const answers = await Promise.all(Array.from({ length: CHATS }, (_, i) => ask(i)));
    for (const [i, a] of answers.entries()) {
      expect(a.session_id).toBe(`team-${i}`);
      expect(a.response).toBe(`You said: question number ${i} from user ${i}`);
      const stored = engine.store.messages.list(`team-${i}`);
      expect(stored.map((m) => [m.role, m.status, m.content])).toEqual([
        ['user', 'complete', `question number ${i} from user ${i}`],
        ['assistant', 'complete', `You said: question number ${i} from user ${i}`],
      ]);
      expect(engine.store.providers.answeredBy(stored[1]!.id)).toEqual({ provider: 'openai-compatible', model: MODEL });
    }
    expect(emu.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(CHATS);
    // Served side by side, not one after another.
    expect(emu.maxStreamsInFlight).toBeGreaterThan(1);
  });
});
