import { LRUCache } from 'lru-cache';
import type { Clock } from '../crypto/clock.ts';

/**
 * A bounded in-memory cache whose entries expire `ttlMs` after they were set, by the injected
 * clock: tests that use a manual clock decide when entries expire, instead of the wall clock.
 * At most `max` entries; the least recently used goes first.
 *
 * @example
 * const accounts = ttlCache<string, { row: AccountRow | undefined }>(ctx.clock, { max: 10_000, ttlMs: 10_000 });
 */
export function ttlCache<K extends string, V extends object>(clock: Clock, options: { max: number; ttlMs: number }): LRUCache<K, V> {
  return new LRUCache<K, V>({
    max: options.max,
    ttl: options.ttlMs,
    perf: { now: () => clock.now() },
    // lru-cache otherwise remembers "now" for 1 ms of real time, which a manual clock would not see move.
    ttlResolution: 0,
  });
}
