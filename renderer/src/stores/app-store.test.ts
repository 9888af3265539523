import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatStartDto, MessageDto, SettingsDto } from '../../../preload/contract';
import { BridgeError } from '../bridge/http-bridge';
import { deferred, FakeBridge, message, settle, type Deferred } from '../test-support/fake-bridge';
import { createAppStore, newChatChoice } from './app-store';

const SETTINGS: SettingsDto = {
  ollamaHost: null,
  defaultModel: 'qwen2.5:3b',
  defaultStyle: 'general' as SettingsDto['defaultStyle'],
  theme: 'system',
  location: null,
  onboardingDone: true,
  exportFolder: null,
};

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

function storeOn(bridge: FakeBridge) {
  const store = createAppStore({ api: () => bridge, connection: () => null });
  // Subscribe to events the way init() does, without the rest of start-up.
  bridge.on('chat.event', (e) => store.getState().onChatEvent(e));
  return store;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('app store: a streaming reply', () => {
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
});

describe('app store: start-up, models, search, notices', () => {
  it('loads info, settings, sessions, models and health, then opens the newest conversation', async () => {
    const bridge = new FakeBridge({
      'app.info': () => ({
        name: 'AERIS-AQ',
        version: '0.1.0',
        dataDir: '/d',
        ollamaHost: 'http://127.0.0.1:11434',
        ollamaHostSource: 'default',
        shell: 'serve',
      }),
      'settings.get': () => SETTINGS,
      'sessions.list': () => ({
        sessions: [
          { id: 'new', title: 'Newest', model: null, style: 'general', createdAt: 2, updatedAt: 2, messageCount: 1 },
        ],
        total: 1,
      }),
      'models.list': () => {
        throw new BridgeError('ollama_unavailable', 'Ollama is not running.');
      },
      'health.get': () => {
        throw new BridgeError('offline', 'down');
      },
      'messages.list': ({ sessionId }) => ({
        messages: [message({ id: 1, sessionId, role: 'user', content: 'hi', status: 'complete' })],
        total: 1,
      }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().init();
    const s = store.getState();
    expect(s).toMatchObject({ ready: true, fatal: null, activeId: 'new', models: [], health: null });
    expect(s.modelsError).toBe('Ollama is not running.');
    expect(s.messages.new!.map((m) => m.content)).toEqual(['hi']);
  });

  it('says why it cannot start when the first calls fail', async () => {
    const bridge = new FakeBridge({
      'app.info': () => {
        throw new BridgeError('offline', 'The AERIS-AQ server is not reachable.');
      },
      'settings.get': () => SETTINGS,
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().init();
    expect(store.getState()).toMatchObject({ ready: true, fatal: 'The AERIS-AQ server is not reachable.' });
  });

  it('shows the recovery screen instead of loading a damaged store, and loads the app once it is repaired', async () => {
    let damaged = true;
    const bridge = new FakeBridge({
      'app.info': () => ({
        name: 'AERIS-AQ',
        version: '0.1.0',
        dataDir: '/d',
        ollamaHost: 'http://127.0.0.1:11434',
        ollamaHostSource: 'default',
        shell: 'serve',
      }),
      'settings.get': () => SETTINGS,
      'recovery.status': () => ({
        active: damaged,
        damage: null,
        reason: damaged ? 'The start of the chat history file is damaged.' : null,
        since: damaged ? 1 : null,
        backups: [],
        damagedBackups: [],
      }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'models.list': () => ({ models: [], newChatModel: null }),
      'health.get': () => {
        throw new BridgeError('offline', 'down');
      },
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().init();
    expect(store.getState()).toMatchObject({ ready: true, fatal: null, recoveryActive: true });
    expect(bridge.count('sessions.list')).toBe(0);
    damaged = false;
    await store.getState().recovered();
    expect(store.getState().recoveryActive).toBe(false);
    expect(bridge.count('sessions.list')).toBe(1);
  });

  it('reloads the open conversation when the event stream comes back, and forgets a reply that ended meanwhile', async () => {
    const conn: { whenConnected(): Promise<void>; onConnectionChange: ((up: boolean) => void) | null } = {
      whenConnected: () => Promise.resolve(),
      onConnectionChange: null,
    };
    const bridge = new FakeBridge({
      'app.info': () => {
        throw new BridgeError('x', 'stop after the hook is set');
      },
      'settings.get': () => SETTINGS,
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'messages.list': ({ sessionId }) => ({
        messages: [message({ id: 2, sessionId, content: 'all of it', status: 'complete' })],
        total: 1,
      }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => conn });
    await store.getState().init();
    store.setState({ activeId: 's1', streams: { s1: '41' } });
    conn.onConnectionChange!(true);
    await settle();
    expect(store.getState().messages.s1![0]!.content).toBe('all of it');
    expect(store.getState().streams).toEqual({});
  });

  it('keeps only the answer to the latest search', async () => {
    const answers: Record<string, Deferred<{ hits: [] | Array<{ messageId: number }> }>> = {};
    const bridge = new FakeBridge({
      'search.messages': ({ query }) => {
        answers[query] = deferred();
        return answers[query].promise as never;
      },
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    const slow = store.getState().search('harm');
    const fast = store.getState().search('harmattan');
    answers.harmattan!.resolve({ hits: [{ messageId: 2 }] });
    await fast;
    answers.harm!.resolve({ hits: [{ messageId: 1 }, { messageId: 2 }] });
    await slow;
    expect(store.getState().searchHits).toEqual([{ messageId: 2 }]);
    await store.getState().search('  ');
    expect(store.getState().searchHits).toEqual([]);
  });

  it('keeps error notices until closed, lets info notices go after their time, and shows at most four', () => {
    vi.useFakeTimers();
    const store = createAppStore({ api: () => new FakeBridge(), connection: () => null, noticeMs: 5000 });
    const { notify } = store.getState();
    notify('error', 'e1');
    notify('info', 'i1');
    vi.advanceTimersByTime(4999);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e1', 'i1']);
    vi.advanceTimersByTime(1);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e1']);
    for (const t of ['e2', 'e3', 'e4', 'e5']) notify('error', t);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e2', 'e3', 'e4', 'e5']);
    store.getState().dismiss(store.getState().notices[0]!.id);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e3', 'e4', 'e5']);
  });

  it('asks the search box for focus on the chat page and clears the request once taken', () => {
    const store = createAppStore({ api: () => new FakeBridge(), connection: () => null });
    store.getState().setPage('models');
    store.getState().focusSearch();
    expect(store.getState()).toMatchObject({ page: 'chat', searchFocusWanted: true });
    store.getState().searchFocusDone();
    expect(store.getState().searchFocusWanted).toBe(false);
  });
});

describe('app store: who answers', () => {
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
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      ['warning', 'openai-compatible (qwen) could not be reached; ollama (qwen2.5:3b) answers instead.'],
    ]);
  });
});

describe('the model of a new chat', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is the engine's choice, or the one picked for new chats, kept across a reload while installed", async () => {
    const saved = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    });
    const installed = ['gemma:2b', 'llama3.1:8b', 'qwen2.5:3b'].map((name) => ({
      name,
      family: '',
      parameterSize: '',
      quantization: '',
      sizeBytes: 1,
      modifiedAt: '',
      digest: '',
    }));
    const bridge = new FakeBridge({
      'models.list': () => ({ models: installed, newChatModel: 'llama3.1:8b' }),
      'sessions.update': () => {
        throw new BridgeError('x', 'no session is open, so nothing is updated');
      },
    });
    const first = createAppStore({ api: () => bridge, connection: () => null });
    await first.getState().refreshModels();
    expect(newChatChoice(first.getState())).toBe('llama3.1:8b');
    await first.getState().setModel('qwen2.5:3b');
    expect(newChatChoice(first.getState())).toBe('qwen2.5:3b');

    const reloaded = createAppStore({ api: () => bridge, connection: () => null });
    await reloaded.getState().refreshModels();
    expect(newChatChoice(reloaded.getState())).toBe('qwen2.5:3b');
    // Removed from Ollama since: the engine's choice again.
    reloaded.setState({ models: installed.filter((m) => m.name !== 'qwen2.5:3b') });
    expect(newChatChoice(reloaded.getState())).toBe('llama3.1:8b');
  });

  it('a new chat picked for another provider sends that provider and its model, not Ollama’s pick', async () => {
    const start: ChatStartDto = { streamId: '7', sessionId: 's7', userMessageId: 1, assistantMessageId: 2, model: 'q' };
    const bridge = new FakeBridge({
      'chat.send': () => start,
      'messages.list': () => ({ messages: [], total: 0 }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
    });
    const store = storeOn(bridge);
    store.setState({
      models: [
        {
          name: 'qwen2.5:3b',
          family: '',
          parameterSize: '',
          quantization: '',
          sizeBytes: 1,
          modifiedAt: '',
          digest: '',
        },
      ],
      draftModel: 'qwen2.5:3b',
    });
    store.getState().setDraftProvider({ provider: 'openai-compatible', model: 'Qwen/Qwen2.5-7B-Instruct' });
    await store.getState().send('hello');
    store.setState({ activeId: null });
    store.getState().setDraftProvider({ provider: 'ollama', model: null });
    await store.getState().send('and here?');
    expect(bridge.calls.filter((c) => c.name === 'chat.send').map((c) => c.input)).toEqual([
      // The UI's language travels too (the model is asked to answer in it).
      { message: 'hello', provider: 'openai-compatible', model: 'Qwen/Qwen2.5-7B-Instruct', language: 'en' },
      { message: 'and here?', provider: 'ollama', model: 'qwen2.5:3b', language: 'en' },
    ]);
  });
});
