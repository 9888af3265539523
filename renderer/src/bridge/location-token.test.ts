// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { takeTokenFromLocation } from './location-token';

describe('the serve link’s token', () => {
  it('moves from the URL to sessionStorage, so it is neither in the address bar nor lost on reload', () => {
    history.replaceState(null, '', '/?lang=fr#token=abc%2F123');
    expect(takeTokenFromLocation()).toBe('abc/123');
    expect(window.location.hash).toBe('');
    expect(window.location.search).toBe('?lang=fr');
    expect(sessionStorage.getItem('aeris.token')).toBe('abc/123');
    // A reload: the URL has no token any more, the tab still has it.
    expect(takeTokenFromLocation()).toBe('abc/123');
    sessionStorage.clear();
    expect(takeTokenFromLocation()).toBeNull();
  });
});
