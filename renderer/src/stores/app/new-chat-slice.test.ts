import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatStartDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { storeOn } from '../../test-support/app-store-kit';
import { installedModel } from '../../test-support/engine-fixtures';
import { FakeBridge } from '../../test-support/fake-bridge';
import { createAppStore, newChatChoice } from '../app-store';

describe('new-chat slice: the model of a new chat', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is the engine's choice, or the one picked for new chats, kept across a reload while installed", async () => {
    const saved = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    });
    const installed = ['gemma:2b', 'llama3.1:8b', 'qwen2.5:3b'].map(installedModel);
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
      models: [installedModel('qwen2.5:3b')],
      draftModel: 'qwen2.5:3b',
    });
    store.getState().setDraftProvider({ provider: 'openai-compatible', model: 'Qwen/Qwen2.5-7B-Instruct' });
    await store.getState().send('hello');
    store.setState({ activeId: null });
    store.getState().setDraftProvider({ provider: 'ollama', model: null });
    await store.getState().send('and here?');
    expect(bridge.calls.filter((c) => c.name === 'chat.send').map((c) => c.input)).toEqual([
      { message: 'hello', language: 'en', provider: 'openai-compatible', model: 'Qwen/Qwen2.5-7B-Instruct' },
      { message: 'and here?', language: 'en', provider: 'ollama', model: 'qwen2.5:3b' },
    ]);
  });
});

describe('new-chat slice: the style', () => {
  it('keeps a style for the next new chat and sends it with it; with a conversation open, changes that one', async () => {
    const start: ChatStartDto = { streamId: '1', sessionId: 's1', userMessageId: 1, assistantMessageId: 2, model: 'm' };
    const bridge = new FakeBridge({
      'chat.send': () => start,
      'messages.list': () => ({ messages: [], total: 0 }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'sessions.update': ({ id, style }) => ({
        id,
        title: 't',
        model: null,
        style: style ?? 'general',
        createdAt: 1,
        updatedAt: 2,
        messageCount: 2,
      }),
    });
    const store = storeOn(bridge);
    await store.getState().setStyle('technical');
    expect(store.getState().draftStyle).toBe('technical');
    expect(bridge.count('sessions.update')).toBe(0);
    await store.getState().send('PM2.5 trend?');
    expect(bridge.calls.find((c) => c.name === 'chat.send')?.input).toMatchObject({ style: 'technical' });
    await store.getState().setStyle('simple');
    expect(bridge.calls.find((c) => c.name === 'sessions.update')?.input).toEqual({ id: 's1', style: 'simple' });
    expect(store.getState().draftStyle).toBe('technical');
  });

  it('keeps the models empty and says why when Ollama cannot list them, and clears the reason once it can', async () => {
    let up = false;
    const bridge = new FakeBridge({
      'models.list': () => {
        if (!up) throw new BridgeError('ollama_unavailable', 'Ollama is not running.');
        return { models: [], newChatModel: 'qwen2.5:3b' };
      },
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().refreshModels();
    expect(store.getState()).toMatchObject({ models: [], modelsError: 'Ollama is not running.', newChatModel: null });
    up = true;
    await store.getState().refreshModels();
    expect(store.getState()).toMatchObject({ modelsError: null, newChatModel: 'qwen2.5:3b' });
  });
});
