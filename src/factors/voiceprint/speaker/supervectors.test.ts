import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Gmm } from '../model/gmm.ts';
import { cosine, Supervectors } from './supervectors.ts';

const DIMS = 3;
// Component 0 is heavy (w 0.8) and narrow (σ² 0.25); component 1 light (w 0.2) and wide (σ² 4).
const ubm = new Gmm(Float64Array.of(0.8, 0.2), Float64Array.of(0, 0, 0, 1, 1, 1), Float64Array.of(0.25, 0.25, 0.25, 4, 4, 4));
const supervectors = new Supervectors(ubm, 8);

function shifted(component: number, dim: number, by: number): Float64Array {
  const means = Float64Array.from(ubm.means);
  means[component * DIMS + dim]! += by;
  return means;
}

test('a supervector is the unit-length offset from the UBM, scaled by √w/σ', () => {
  assert.ok(supervectors.ofMeans(ubm.means).every((v) => v === 0), 'the UBM itself has no offset');
  const both = Float64Array.from(ubm.means, (m) => m + 1);
  const v = supervectors.ofMeans(both);
  assert.ok(Math.abs(cosine(v, v) - 1) < 1e-12, 'unit length');
  // √0.8/0.5 = 1.789 against √0.2/2 = 0.224: the heavy, narrow component's offset weighs 8× more.
  assert.ok(Math.abs(v[0]! / v[DIMS]! - Math.sqrt(0.8) / 0.5 / (Math.sqrt(0.2) / 2)) < 1e-9, `${v[0]} / ${v[DIMS]}`);
});

test('the cosine is 1 for the same direction, −1 for the opposite, 0 for orthogonal offsets', () => {
  const a = supervectors.ofMeans(shifted(0, 1, 0.3));
  assert.ok(Math.abs(cosine(a, supervectors.ofMeans(shifted(0, 1, 0.9))) - 1) < 1e-12, 'same direction');
  assert.ok(Math.abs(cosine(a, supervectors.ofMeans(shifted(0, 1, -0.2))) + 1) < 1e-12, 'opposite direction');
  assert.ok(Math.abs(cosine(a, supervectors.ofMeans(shifted(1, 2, 0.5)))) < 1e-12, 'another component: orthogonal');
});

test('ofFrames MAP-adapts the UBM towards the frames: frames right of component 0 point that way', () => {
  const frames = new Float32Array(100 * DIMS);
  for (let t = 0; t < 100; t++) frames.set([0.4, 0, 0], t * DIMS);
  const v = supervectors.ofFrames(frames);
  assert.ok(cosine(v, supervectors.ofMeans(shifted(0, 0, 1))) > 0.99, 'the offset is almost all in component 0, dim 0');
});
