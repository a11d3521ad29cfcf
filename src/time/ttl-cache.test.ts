import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../crypto/clock.ts';
import { ttlCache } from './ttl-cache.ts';

test('entries expire by the injected clock, not the wall clock', () => {
  const clock = new ManualClock();
  const cache = ttlCache<string, { n: number }>(clock, { max: 10, ttlMs: 1000 });
  cache.set('a', { n: 1 });
  clock.advance(1000);
  assert.deepEqual(cache.get('a'), { n: 1 }, 'still fresh at exactly ttlMs');
  clock.advance(1);
  assert.equal(cache.get('a'), undefined, 'expired one millisecond later');
});

test('at most max entries, the least recently used evicted first', () => {
  const cache = ttlCache<string, { n: number }>(new ManualClock(), { max: 2, ttlMs: 1000 });
  cache.set('a', { n: 1 });
  cache.set('b', { n: 2 });
  cache.get('a');
  cache.set('c', { n: 3 });
  assert.deepEqual([...cache.keys()].sort(), ['a', 'c']);
});
