import { LRUCache } from 'lru-cache';
import type { Clock } from './clock';

/**
 * An in-process cache with per-entry expiry (`set(key, value, { ttl })`) and a size cap, least recently
 * used evicted first: lru-cache, on the injected clock so tests move time by hand. `ttlResolution: 0`
 * reads the clock on every check instead of caching "now" behind a timer.
 */
export function createTtlCache<V extends NonNullable<unknown>>(clock: Clock, max: number): LRUCache<string, V> {
  return new LRUCache<string, V>({ max, perf: { now: () => clock.now() }, ttlResolution: 0 });
}
