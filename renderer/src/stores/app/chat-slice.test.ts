import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatStartDto, MessageDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { setLanguage } from '../../i18n';
import { storeOn } from '../../test-support/app-store-kit';
import { deferred, FakeBridge, message, settle, type Deferred } from '../../test-support/fake-bridge';

/**
 * A chat engine behind a fake bridge: a reply's text is stored before each token is sent (as ChatService does),
 * and `messages.list` answers with what was stored when the read began, only when the test releases it.
 */
function chatEngine() {
  const bridge = new FakeBridge();
  const start: ChatStartDto = { streamId: '41', sessionId: 's1', userMessageId: 1, assistantMessageId: 2, model: 'm' };
  let reply = '';
  let status: MessageDto['status'] = 'streaming';
  const reads: Array<{ rows: MessageDto[]; answer: Deferred<{ messages: MessageDto[]; total: number }> }> = [];
  const rows = (): MessageDto[] => [
    message({ id: 1, sessionId: 's1', role: 'user', content: 'Write a long report', status: 'complete' }),
    message({ id: 2, sessionId: 's1', content: reply, status }),
  ];
  const base = { streamId: start.streamId, sessionId: start.sessionId, messageId: start.assistantMessageId };
  const token = (text: string) => {
    const offset = reply.length;
    reply += text;
    bridge.emit('chat.event', { type: 'token', ...base, text, offset });
  };
  bridge.handle({
    'chat.send': () => {
      // Events overtake the call's answer: the start and first words reach the view before `chat.send` returns.
      bridge.emit('chat.event', { type: 'start', ...base, model: 'm' });
      token('word0 ');
      token('word1 ');
      return start;
    },
    'messages.list': () => {
      const answer = deferred<{ messages: MessageDto[]; total: number }>();
      reads.push({ rows: rows(), answer });
      return answer.promise;
    },
    'sessions.list': () => ({ sessions: [], total: 0 }),
    'chat.stop': () => ({ stopped: true }),
  });
  return {
    bridge,
    start,
    token,
    get reply() {
      return reply;
    },
    end(how: MessageDto['status']) {
      status = how;
      bridge.emit('chat.event', {
        type: 'done',
        ...base,
        result: {
          response: reply,
          session_id: 's1',
          status: how === 'stopped' ? 'stopped' : 'complete',
          tools_used: [],
          message_count: 2,
          tokens_used: 0,
          cached: false,
          model: 'm',
          warning: null,
        },
      } as never);
    },
    /** Answers the oldest open read; false when none is open. */
    answerOne(): boolean {
      const r = reads.shift();
      if (!r) return false;
      r.answer.resolve({ messages: r.rows, total: r.rows.length });
      return true;
    },
  };
}

afterEach(async () => {
  vi.useRealTimers();
  await setLanguage('en');
});

describe('chat slice: a streaming reply', () => {
  it('shows every word of a long reply while each messages.list answer is slower than the gap between tokens, and Stop ends it', async () => {
    const engine = chatEngine();
    const store = storeOn(engine.bridge);
    const sending = store.getState().send('Write a long report');
    await settle();
    expect(store.getState().streams).toEqual({ s1: '41' });
    const shown = () => store.getState().messages.s1?.find((m) => m.id === 2);
    for (let i = 2; i < 300; i++) {
      engine.token(`word${i} `);
      if (i % 4 === 0) {
        engine.answerOne();
        await settle();
        // Live, not frozen at the first words: everything sent so far is on screen.
        expect(shown()?.content).toBe(engine.reply);
      }
    }
    while (engine.answerOne()) await settle();
    await sending;
    expect(shown()?.content).toBe(engine.reply);
    expect(shown()?.content.endsWith('word299 ')).toBe(true);
    // The old store started a read on every token ahead of it and threw away overtaken answers (268 in 10 s).
    expect(engine.bridge.count('messages.list')).toBeLessThanOrEqual(2);

    await store.getState().stop();
    expect(engine.bridge.calls.at(-1)).toEqual({ name: 'chat.stop', input: { streamId: '41' } });
    engine.end('stopped');
    while (engine.answerOne()) await settle();
    expect(shown()?.status).toBe('stopped');
    expect(store.getState().streams).toEqual({});
  });

  it('does not mark a reply as running when its `done` arrived before `chat.send` returned', async () => {
    const bridge = new FakeBridge({
      'chat.send': () => {
        bridge.emit('chat.event', { type: 'start', streamId: '9', sessionId: 's2', messageId: 4, model: 'm' });
        bridge.emit('chat.event', {
          type: 'error',
          streamId: '9',
          sessionId: 's2',
          messageId: 4,
          error: { code: 'model_not_found', message: 'qwen9 is not installed.' },
        } as never);
        return { streamId: '9', sessionId: 's2', userMessageId: 3, assistantMessageId: 4, model: 'm' };
      },
      'messages.list': () => ({ messages: [], total: 0 }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
    });
    const store = storeOn(bridge);
    await store.getState().send('hello');
    expect(store.getState().streams).toEqual({});
    expect(store.getState().activeId).toBe('s2');
    // Said once: the reply shows the error inline in the conversation just opened, so no toast as well.
    expect(store.getState().notices).toEqual([]);
    // A reply failing in a conversation not on screen is told as a toast.
    bridge.emit('chat.event', {
      type: 'error',
      streamId: '10',
      sessionId: 'elsewhere',
      messageId: 9,
      error: { code: 'ollama_unavailable', message: 'Ollama is not answering.' },
    } as never);
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([['error', 'Ollama is not answering.']]);
  });

  it('shows why a reply failed under it even when the disk could not keep the reason (a full disk)', async () => {
    const bridge = new FakeBridge({
      // What the store holds after a full disk: the text so far, still `streaming`, no error saved.
      'messages.list': ({ sessionId }) => ({
        messages: [message({ id: 4, sessionId, content: 'word0 word1 ', status: 'streaming' })],
        total: 1,
      }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
    });
    const store = storeOn(bridge);
    store.setState({ activeId: 's3' });
    bridge.emit('chat.event', {
      type: 'error',
      streamId: '11',
      sessionId: 's3',
      messageId: 4,
      error: { code: 'disk_full', message: 'The disk is full: AERIS-AQ could not save on the disk that holds /d.' },
    } as never);
    await vi.waitFor(() => expect(store.getState().messages.s3?.[0]?.status).toBe('error'));
    expect(store.getState().messages.s3![0]).toMatchObject({
      content: 'word0 word1 ',
      error: 'The disk is full: AERIS-AQ could not save on the disk that holds /d.',
    });
    expect(store.getState().notices).toEqual([]);
  });

  it('shows a failed send as an error notice and passes the error on', async () => {
    const bridge = new FakeBridge({
      'chat.send': () => {
        throw new BridgeError('offline', 'The AERIS-AQ server is not reachable.');
      },
    });
    const store = storeOn(bridge);
    await expect(store.getState().send('hi')).rejects.toThrow('not reachable');
    expect(store.getState().notices).toMatchObject([{ kind: 'error', text: 'The AERIS-AQ server is not reachable.' }]);
  });

  it('says "no model" once: no toast when the empty-state card already says it, a toast when it does not', async () => {
    const noModel = 'No model is installed in Ollama yet. Pull one from the Models page.';
    const bridge = new FakeBridge({
      'chat.send': () => {
        throw new BridgeError('model_not_found', noModel);
      },
    });
    const store = storeOn(bridge);
    expect(store.getState().models).toEqual([]);
    await expect(store.getState().send('hi')).rejects.toThrow('No model');
    expect(store.getState().notices).toEqual([]);
    // In an open conversation no card is on screen: the reason is told as a toast.
    store.setState({ activeId: 's1' });
    await expect(store.getState().send('hi')).rejects.toThrow('No model');
    expect(store.getState().notices).toMatchObject([{ kind: 'error', text: noModel }]);
  });
});

describe('chat slice: who answers', () => {
  it('announces a fallback to another provider, and says nothing when the chosen one answers', () => {
    const bridge = new FakeBridge();
    const store = storeOn(bridge);
    const base = { streamId: '5', sessionId: 's5', messageId: 7 };
    bridge.emit('chat.event', { type: 'provider', ...base, provider: 'openai-compatible', model: 'qwen' });
    expect(store.getState().notices).toEqual([]);
    bridge.emit('chat.event', {
      type: 'provider',
      ...base,
      provider: 'ollama',
      model: 'qwen2.5:3b',
      fallbackFrom: { provider: 'openai-compatible', model: 'qwen' },
      reason: 'Could not reach the OpenAI-compatible server',
    });
    // The reason is worded from its message id when it has one (the UI's language), else the engine's English.
    bridge.emit('chat.event', {
      type: 'provider',
      ...base,
      provider: 'ollama',
      model: 'qwen2.5:3b',
      fallbackFrom: { provider: 'gemini', model: 'gemini-2.5-flash' },
      reason: 'gemini is a cloud service and this machine is offline',
      reasonText: { id: 'provider.offline', params: { provider: 'gemini' } },
    });
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      [
        'warning',
        'openai-compatible (qwen) could not answer; ollama (qwen2.5:3b) answers instead. Could not reach the OpenAI-compatible server',
      ],
      [
        'warning',
        'gemini (gemini-2.5-flash) could not answer; ollama (qwen2.5:3b) answers instead. gemini is a cloud service and this computer is offline.',
      ],
    ]);
  });
});

describe('chat slice: what a request carries', () => {
  it('sends the language shown with every chat request, so the model answers in it', async () => {
    const bridge = new FakeBridge({
      'chat.send': () => ({ streamId: '1', sessionId: 's1', userMessageId: 1, assistantMessageId: 2, model: 'm' }),
      'chat.regenerate': () => ({
        streamId: '3',
        sessionId: 's1',
        userMessageId: null,
        assistantMessageId: 4,
        model: 'm',
      }),
      'chat.edit': () => ({ streamId: '5', sessionId: 's1', userMessageId: 1, assistantMessageId: 6, model: 'm' }),
      'messages.list': () => ({ messages: [], total: 0 }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
    });
    const store = storeOn(bridge);
    await setLanguage('fr');
    await store.getState().send('Et l’air à Dakar ?');
    expect(bridge.calls.find((c) => c.name === 'chat.send')?.input).toMatchObject({ language: 'fr' });
    await setLanguage('sw');
    await store.getState().regenerate();
    expect(bridge.calls.find((c) => c.name === 'chat.regenerate')?.input).toMatchObject({ language: 'sw' });
    await store.getState().editAndResend(1, 'Hewa ya Nairobi?');
    expect(bridge.calls.find((c) => c.name === 'chat.edit')?.input).toMatchObject({ language: 'sw' });
  });

  it('sends my location with every question, so "here" has an answer', async () => {
    const bridge = new FakeBridge({
      'chat.send': () => ({ streamId: '1', sessionId: 's1', userMessageId: 1, assistantMessageId: 2, model: 'm' }),
      'messages.list': () => ({ messages: [], total: 0 }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
    });
    let here: { latitude: number; longitude: number } | null = null;
    const store = storeOn(bridge, { here: () => here });
    await store.getState().send('Is the air good?');
    here = { latitude: 0.3476, longitude: 32.5825 };
    await store.getState().send('And here?');
    const sent = bridge.calls.filter((c) => c.name === 'chat.send').map((c) => c.input);
    expect(sent[0]).not.toHaveProperty('latitude');
    expect(sent[1]).toMatchObject({ sessionId: 's1', latitude: 0.3476, longitude: 32.5825 });
  });

  it('asks nothing of the engine on Stop when no reply is being written in the open conversation', async () => {
    const bridge = new FakeBridge({ 'chat.stop': () => ({ stopped: true }) });
    const store = storeOn(bridge);
    store.setState({ activeId: 's1', streams: { other: '7' } });
    await store.getState().stop();
    expect(bridge.count('chat.stop')).toBe(0);
    store.setState({ streams: { s1: '8' } });
    await store.getState().stop();
    expect(bridge.calls).toEqual([{ name: 'chat.stop', input: { streamId: '8' } }]);
  });

  it("tells a finished reply's warning as a warning notice", () => {
    const bridge = new FakeBridge({ 'sessions.list': () => ({ sessions: [], total: 0 }) });
    const store = storeOn(bridge);
    bridge.emit('chat.event', {
      type: 'done',
      streamId: '3',
      sessionId: 's9',
      messageId: 5,
      result: {
        response: 'short',
        session_id: 's9',
        status: 'complete',
        tools_used: [],
        message_count: 2,
        tokens_used: 0,
        cached: false,
        model: 'm',
        warning: 'The reply was cut at the context limit.',
      },
    } as never);
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      ['warning', 'The reply was cut at the context limit.'],
    ]);
  });

  it("words a finished reply's warning from its message id in the UI's language", async () => {
    const bridge = new FakeBridge({ 'sessions.list': () => ({ sessions: [], total: 0 }) });
    const store = storeOn(bridge);
    await setLanguage('fr');
    bridge.emit('chat.event', {
      type: 'done',
      streamId: '4',
      sessionId: 's9',
      messageId: 7,
      result: {
        response: 'ok',
        session_id: 's9',
        status: 'complete',
        tools_used: [],
        message_count: 92,
        tokens_used: 0,
        cached: false,
        model: 'm',
        warning: 'This session has 92 of 100 messages (8 left). Consider starting a new session.',
        warning_text: { id: 'warning.sessionNearLimit', params: { count: 92, max: 100, left: 8 } },
      },
    } as never);
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      [
        'warning',
        'Cette conversation compte 92 messages sur 100 (il en reste 8). Pensez à commencer une nouvelle conversation.',
      ],
    ]);
  });
});
