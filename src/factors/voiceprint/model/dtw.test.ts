import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimate, dtwDistance, type Sequence } from './dtw.ts';

const seq = (values: number[]): Sequence => ({ dims: 1, count: values.length, data: Float32Array.from(values) });

test('DTW is 0 for identical sequences and for a time-stretched copy', () => {
  const a = seq([0, 1, 2, 3, 2, 1, 0]);
  assert.equal(dtwDistance(a, a), 0);
  assert.equal(dtwDistance(a, seq([0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 1, 1, 0, 0])), 0);
});

test('DTW is normalised by the path length and symmetric', () => {
  const a = seq([0, 0, 0, 0]);
  const b = seq([1, 1, 1, 1]);
  assert.equal(dtwDistance(a, b), 1); // every local cost is 1
  const c = seq([0, 2, 5, 1, 3]);
  const d = seq([1, 2, 4, 0, 3, 3]);
  assert.ok(Math.abs(dtwDistance(c, d) - dtwDistance(d, c)) < 1e-12, 'expected Math.abs(dtwDistance(c, d) - dtwDistance(d, c)) < 1e-12');
  assert.equal(dtwDistance(a, seq([])), Infinity);
});

test('decimate keeps every n-th frame and the first dims', () => {
  const s: Sequence = { dims: 3, count: 5, data: Float32Array.from({ length: 15 }, (_, i) => i) };
  const d = decimate(s, 2, 2);
  assert.deepEqual(Array.from(d.data), [0, 1, 6, 7, 12, 13]);
  assert.equal(d.count, 3);
});
