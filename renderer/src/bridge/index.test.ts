import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBridge } from '../test-support/fake-bridge';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the bridge of this window', () => {
  it('is the FakeBridge a test installs as window.aeris before importing the stores, resolved once', async () => {
    const fake = new FakeBridge({
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'search.messages': () => ({ hits: [] }),
    });
    vi.stubGlobal('window', { aeris: fake });
    const { getApi, getHttpBridge } = await import('./index');
    const { useApp } = await import('../stores/app-store');
    await useApp.getState().refreshSessions();
    await useApp.getState().search('dust');
    expect(fake.calls.map((c) => c.name)).toEqual(['sessions.list', 'search.messages']);
    expect(getApi()).toBe(fake);
    expect(getHttpBridge()).toBeNull();
    // Resolved once: a contract swapped in later is not picked up halfway through the app's life.
    vi.stubGlobal('window', { aeris: new FakeBridge() });
    expect(getApi()).toBe(fake);
  });
});
