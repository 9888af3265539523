import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../test-support/fake-bridge';
import { HttpBridge, TOKEN_REFUSED } from './http-bridge';
import { resolveBridge, type BridgeHost } from './resolve';

/** A window's address, history and session storage, as plain objects. */
function host(hash: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const h: BridgeHost = {
    location: { hash, pathname: '/app', search: '?x=1' },
    history: { replaceState: (_data, _unused, url) => void replaced.push(String(url)) },
    sessionStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
  return { h, storage, replaced };
}

describe('resolveBridge', () => {
  it("takes the Electron preload's contract first, with no HTTP bridge, and leaves the address alone", () => {
    const preload = new FakeBridge();
    const { h, storage, replaced } = host('#token=abc');
    const bridge = resolveBridge({ ...h, aeris: preload });
    expect(bridge.api).toBe(preload);
    expect(bridge.http).toBeNull();
    expect(storage.size).toBe(0);
    expect(replaced).toEqual([]);
  });

  it("makes an HTTP bridge from serve's token, moving the token out of the address into session storage", () => {
    const { h, storage, replaced } = host('#token=s%2Fecret');
    const bridge = resolveBridge(h);
    expect(bridge.http).toBeInstanceOf(HttpBridge);
    expect(bridge.api).toBe(bridge.http);
    expect(storage.get('aeris.token')).toBe('s/ecret');
    expect(replaced).toEqual(['/app?x=1']);
  });

  it('reuses the token kept from an earlier load (a reload has no token in the address)', () => {
    const { h, replaced } = host('', { 'aeris.token': 'kept' });
    expect(resolveBridge(h).http).toBeInstanceOf(HttpBridge);
    expect(replaced).toEqual([]);
  });

  it('refuses with the words that send the user back to the printed link when there is no token', () => {
    const { h } = host('#other=1');
    expect(() => resolveBridge(h)).toThrow(TOKEN_REFUSED);
  });
});
