import { describe, expect, it } from 'vitest';
import type { ProvidersStatusDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { createAppStore } from '../../stores/app-store';
import { FakeBridge } from '../../test-support/fake-bridge';
import { createChatProvidersStore } from './provider-store';

const STATUS: ProvidersStatusDto = { keyStorage: 'file', defaultProvider: 'ollama', online: true, providers: [] };

function stores(bridge: FakeBridge) {
  const app = createAppStore({ api: () => bridge, connection: () => null });
  return { app, providers: createChatProvidersStore({ api: () => bridge, app }) };
}

describe('chat providers store', () => {
  it('keeps the providers as configured, and tells a failure to read them as an error notice', async () => {
    let up = true;
    const bridge = new FakeBridge({
      'providers.status': () => {
        if (!up) throw new BridgeError('offline', 'The AERIS-AQ server is not reachable.');
        return STATUS;
      },
    });
    const { app, providers } = stores(bridge);
    await providers.getState().refresh();
    expect(providers.getState().status).toEqual(STATUS);
    up = false;
    await providers.getState().refresh();
    expect(providers.getState().status).toEqual(STATUS);
    expect(app.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      ['error', 'The AERIS-AQ server is not reachable.'],
    ]);
  });

  it("records who answers each chat, and refreshes the session list when a chat's provider changes", async () => {
    const bridge = new FakeBridge({
      'providers.ofChat': ({ sessionId }) => {
        if (sessionId === 'gone') throw new BridgeError('not_found', 'No such conversation.');
        return { provider: 'ollama', model: null };
      },
      'providers.setForChat': ({ provider }) => ({ provider, model: null }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
    });
    const { app, providers } = stores(bridge);
    await providers.getState().load('s1');
    // A chat deleted meanwhile is left out, silently.
    await providers.getState().load('gone');
    expect(providers.getState().byChat).toEqual({ s1: 'ollama' });
    await providers.getState().setForChat('s1', 'gemini');
    expect(providers.getState().byChat).toEqual({ s1: 'gemini' });
    expect(bridge.count('sessions.list')).toBe(1);
    expect(app.getState().notices).toEqual([]);
  });

  it("lists another provider's models when it is picked, and asks nothing for Ollama's", async () => {
    const bridge = new FakeBridge({
      'providers.models': ({ provider }) => {
        if (provider === 'gemini') throw new BridgeError('offline', 'Gemini cannot be reached.');
        return { models: ['Qwen/Qwen2.5-7B-Instruct'] };
      },
    });
    const { providers } = stores(bridge);
    await providers.getState().loadModels('ollama');
    expect(bridge.count('providers.models')).toBe(0);
    await providers.getState().loadModels('openai-compatible');
    await providers.getState().loadModels('gemini');
    expect(providers.getState().models).toEqual({ 'openai-compatible': ['Qwen/Qwen2.5-7B-Instruct'] });
  });
});
