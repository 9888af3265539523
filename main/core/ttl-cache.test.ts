import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/doubles/manual-clock';
import { createTtlCache } from './ttl-cache';

describe('createTtlCache', () => {
  it('expires an entry once its ttl has passed on the injected clock', () => {
    const clock = new ManualClock();
    const cache = createTtlCache<string>(clock, 10);
    cache.set('a', 'x', { ttl: 1000 });
    clock.advance(1000);
    expect(cache.get('a')).toBe('x');
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const clock = new ManualClock();
    const cache = createTtlCache<number>(clock, 2);
    cache.set('a', 1, { ttl: 60_000 });
    cache.set('b', 2, { ttl: 60_000 });
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3, { ttl: 60_000 });
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });
});
