import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Features } from '../features/extract-features.ts';
import { Gmm } from '../model/gmm.ts';
import { GmmUbmBackend, znormFromJSON, znormToJSON, type CohortModel } from './gmm-ubm-backend.ts';

const DIMS = 60;

/** Seeded frames around `centre` (deterministic LCG). */
function frames(count: number, centre: number, seed: number): Float32Array {
  let state = seed;
  const out = new Float32Array(count * DIMS);
  for (let i = 0; i < out.length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out[i] = centre + (state / 2 ** 31 - 0.5) * 2;
  }
  return out;
}

function features(data: Float32Array): Features {
  const count = data.length / DIMS;
  return { sampleRate: 8000, dims: DIMS, count, data, totalFrames: count, speechFrames: count, speechMask: new Uint8Array(count).fill(1), frameLogEnergy: new Float32Array(count) };
}

const ubm = new Gmm(Float64Array.of(0.5, 0.5), Float64Array.from({ length: 2 * DIMS }, (_, i) => (i < DIMS ? -1 : 1)), new Float64Array(2 * DIMS).fill(1));
const cohort: CohortModel[] = [0.2, -0.2, 0.4].map((shift, i) => ({ id: `c${i}`, means: Float64Array.from(ubm.means, (m) => m + shift) }));

test('Z-norm utterances round-trip through their JSON file and are refused for another UBM', () => {
  const utterances = [frames(50, 0.5, 1), frames(40, -0.5, 2)];
  const json = znormToJSON(ubm, utterances.map((u, i) => ({ id: `u${i}`, frames: u })));
  const back = znormFromJSON(JSON.parse(JSON.stringify(json)), ubm);
  assert.equal(back.length, 2);
  assert.ok(back.every((u, i) => u.length === utterances[i]!.length && u.every((v, j) => Math.abs(v - utterances[i]![j]!) < 1e-3)), 'frames survive Int16 packing to 1e-3');
  const other = new Gmm(Float64Array.of(1), new Float64Array(DIMS), new Float64Array(DIMS).fill(1));
  assert.throws(() => znormFromJSON(json, other), { code: 'model_invalid' });
});

test('with Z-norm utterances the enrolment stores Z statistics and the score is the S-norm (mean of T and Z)', () => {
  const zUtterances = [frames(60, -0.8, 3), frames(60, 0.3, 4), frames(60, 0.9, 5)];
  const tOnly = new GmmUbmBackend(ubm, {}, cohort);
  const sNorm = new GmmUbmBackend(ubm, {}, cohort, zUtterances);
  const enrolment = [features(frames(200, 0.8, 6)), features(frames(200, 0.8, 7))];
  const tEnrolment = tOnly.enrollFeatures(enrolment);
  const sEnrolment = sNorm.enrollFeatures(enrolment);
  const model = sEnrolment.model as { zMean?: number; zStd?: number };
  assert.equal(typeof model.zMean, 'number');
  assert.ok(model.zStd! > 0, `zStd ${model.zStd}`);
  assert.equal((tEnrolment.model as { zMean?: number }).zMean, undefined);
  const attempt = features(frames(150, 0.8, 8));
  const t = tOnly.scoreFeatures(tEnrolment, attempt);
  const s = sNorm.scoreFeatures(sEnrolment, attempt);
  assert.equal(s.raw, t.raw);
  const { boundary, scale } = { boundary: sNorm.options.tnormBoundary, scale: sNorm.options.tnormScale };
  const tz = t.normalized * scale + boundary;
  const zz = (s.raw - model.zMean!) / Math.max(model.zStd!, sNorm.options.tnormStdFloor);
  const expected = Math.max(-8, Math.min(8, ((tz + zz) / 2 - boundary) / scale));
  assert.ok(Math.abs(s.normalized - expected) < 1e-2, `${s.normalized} vs ${expected}`);
  // An enrolment made before the Z-norm file existed is still scored (T-norm only).
  assert.equal(sNorm.scoreFeatures(tEnrolment, attempt).normalized, t.normalized);
});
