import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEventDto } from '../../preload/contract';
import { BridgeError, HttpBridge, TOKEN_REFUSED } from '../../renderer/src/bridge/http-bridge';
import { startHttpServer, type RunningServer } from '../../main/server/http-server';
import { engineFixture, type EngineFixture } from '../helpers/engine-fixture';
import { engineErrorText, engineText } from '../../renderer/src/i18n/engine-text';
import { setLanguage } from '../../renderer/src/i18n';

/**
 * The renderer's serve-mode bridge against the real engine behind the real HTTP server on loopback:
 * the same calls and events the browser UI makes, with nothing faked but Ollama (the emulator).
 */
const TOKEN = 'bridge-test-token-0123456789abcdef';

describe('HttpBridge against aeris serve', () => {
  let f: EngineFixture;
  let server: RunningServer;
  const bridges: HttpBridge[] = [];
  const bridge = (token = TOKEN, base = server.url, retryMs = 20) => {
    const b = new HttpBridge(token, base, retryMs);
    bridges.push(b);
    return b;
  };

  beforeEach(async () => {
    f = await engineFixture();
    server = await startHttpServer(f.engine, { host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: null });
  });
  afterEach(async () => {
    for (const b of bridges.splice(0)) b.close();
    await server.close();
    await f.close();
  });

  it('makes contract calls and returns their results', async () => {
    const b = bridge();
    const info = await b.call('app.info', {});
    expect(info).toMatchObject({ name: 'AERIS-AQ Desktop', shell: 'serve' });
    const created = await b.call('sessions.create', { title: 'Harmattan' });
    const { sessions } = await b.call('sessions.list', {});
    expect(sessions.map((s) => s.id)).toEqual([created.id]);
  });

  it("turns the engine's refusals into BridgeErrors with its code and words", async () => {
    const b = bridge();
    const bad = await b.call('sessions.rename', { id: 'no-such-session', title: 'x' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BridgeError);
    expect(bad).toMatchObject({ code: 'not_found' });
    expect((bad as BridgeError).message).toMatch(/\S/);

    const invalid = await b.call('sessions.list', { limit: -1 }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: 'bad_request' });
    expect((invalid as BridgeError).message).toMatch(/sessions\.list/);

    // A wrong token is refused before the bridge, in the plain error shape: still a clear error.
    const refused = await bridge('wrong-token')
      .call('sessions.list', {})
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'unauthorized', message: TOKEN_REFUSED });
  });

  it("carries the engine's message id with its English, so the UI words a failure in French (issue 15)", async () => {
    const b = bridge();
    // A refused call: its id and parameters come back beside the English message.
    const refused = await b.call('models.setDefault', { name: 'no-such-model:1b' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'model_not_found',
      text: { id: 'error.modelNotFound', params: { model: 'no-such-model:1b' } },
    });
    // A reply that fails on Ollama's side: the chat's error event carries the id too.
    f.emulator.script({ reply: { httpError: { status: 404, error: "model 'qwen2.5:3b' not found" } } });
    const failed = new Promise<Extract<ChatEventDto, { type: 'error' }>>((resolve) =>
      b.on('chat.event', (e) => e.type === 'error' && resolve(e)),
    );
    await b.whenConnected();
    await b.call('chat.send', { message: 'How is the air?', model: 'qwen2.5:3b' }).catch(() => undefined);
    const { error } = await failed;
    expect(error.message).toContain('is not installed in Ollama');
    expect(error.text).toEqual({ id: 'error.modelNotInstalled', params: { model: 'qwen2.5:3b' } });
    try {
      await setLanguage('fr');
      expect(engineText(error.text, error.message)).toBe(
        "Le modèle « qwen2.5:3b » n'est pas installé dans Ollama. Téléchargez-le depuis la page Modèles.",
      );
      expect(engineErrorText(refused)).toBe("Ollama n'a pas de modèle « no-such-model:1b ».");
    } finally {
      await setLanguage('en');
    }
  });

  it('refuses at once, without retrying, when the event stream answers 401 (a wrong link)', async () => {
    const b = bridge('wrong-token', server.url, 20);
    b.on('chat.event', () => undefined);
    // Without the 401 check it would wait its time out and then resolve: rejecting shows the refusal was seen.
    await expect(b.whenConnected(60_000)).rejects.toMatchObject({ code: 'unauthorized', message: TOKEN_REFUSED });
    expect(TOKEN_REFUSED).toContain('open the link printed by `aeris serve`');
  });

  it('says the server is not reachable when it is gone', async () => {
    const b = bridge();
    await server.close();
    await expect(b.call('app.info', {})).rejects.toMatchObject({ code: 'offline' });
  });

  it('streams a reply as start, tokens in offset order and done, once the event stream is open', async () => {
    f.emulator.script({ reply: { tokens: ['PM2.5 ', 'is ', 'high ', 'today.'] } });
    const b = bridge();
    const events: ChatEventDto[] = [];
    const finished = new Promise<void>((resolve) =>
      b.on('chat.event', (e) => {
        events.push(e);
        if (e.type === 'done' || e.type === 'error') resolve();
      }),
    );
    await b.whenConnected();
    const start = await b.call('chat.send', { message: 'How is the air?', model: 'qwen2.5:3b' });
    await finished;
    const mine = events.filter((e) => e.streamId === start.streamId);
    expect(mine[0]?.type).toBe('start');
    expect(mine.at(-1)?.type).toBe('done');
    let offset = 0;
    let text = '';
    for (const e of mine) {
      if (e.type !== 'token') continue;
      expect(e.offset).toBe(offset);
      offset += e.text.length;
      text += e.text;
    }
    expect(text).toBe('PM2.5 is high today.');
    const { messages } = await b.call('messages.list', { sessionId: start.sessionId });
    expect(messages.at(-1)).toMatchObject({ content: text, status: 'complete' });
  });

  it('reconnects its event stream after the connection drops, and says so', async () => {
    const b = bridge();
    const changes: boolean[] = [];
    let backUp!: () => void;
    const reconnected = new Promise<void>((r) => (backUp = r));
    b.onConnectionChange = (up) => {
      changes.push(up);
      if (up && changes.includes(false)) backUp();
    };
    const done = new Promise<string>((resolve) =>
      b.on('chat.event', (e) => e.type === 'done' && resolve(e.result.response)),
    );
    await b.whenConnected();
    server.server.closeAllConnections();
    await reconnected;
    expect(changes).toEqual([true, false, true]);
    // Events flow on the new stream.
    f.emulator.script({ reply: { content: 'Back again.' } });
    await b.call('chat.send', { message: 'still there?', model: 'qwen2.5:3b' });
    expect(await done).toBe('Back again.');
  });
});
