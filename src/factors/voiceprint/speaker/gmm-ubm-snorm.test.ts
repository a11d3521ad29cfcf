import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Features } from '../features/extract-features.ts';
import { Gmm } from '../model/gmm.ts';
import { unpackFloat32 } from '../model/packed-arrays.ts';
import { GmmUbmBackend, znormFromJSON, znormToJSON, type CohortModel } from './gmm-ubm-backend.ts';
import { cosine, Supervectors } from './supervectors.ts';

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
  // The average LLR alone (the supervector fusion is tested below).
  const tOnly = new GmmUbmBackend(ubm, { supervectorWeight: 0 }, cohort);
  const sNorm = new GmmUbmBackend(ubm, { supervectorWeight: 0 }, cohort, zUtterances);
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
  // The Z-norm clips are part of the model: an enrolment made without them (or with others) is refused.
  assert.notEqual(sNorm.id, tOnly.id);
  assert.throws(() => sNorm.scoreFeatures(tEnrolment, attempt), { code: 'voiceprint_invalid' });
});

test('the fused score is (1 − w)·S-norm(LLR) + w·S-norm(supervector cosine), and the id says so', () => {
  const zUtterances = [frames(60, -0.8, 3), frames(60, 0.3, 4), frames(60, 0.9, 5)];
  const llrOnly = new GmmUbmBackend(ubm, { supervectorWeight: 0 }, cohort, zUtterances);
  const fused = new GmmUbmBackend(ubm, {}, cohort, zUtterances);
  const w = fused.options.supervectorWeight;
  assert.ok(w > 0 && w < 1, `default weight ${w}`);
  assert.equal(fused.id, `${llrOnly.id}+sv`, 'a voiceprint enrolled without the cosine statistics is refused');
  assert.doesNotMatch(new GmmUbmBackend(ubm, {}).id, /\+sv|\+norm/, 'no cohort: nothing to normalise the cosine against, no fusion');
  assert.match(fused.id, /\+norm:[0-9a-f]{16}\+sv$/);
  const otherCohort = cohort.map((c) => ({ ...c, means: Float64Array.from(c.means, (m) => m + 0.01) }));
  assert.notEqual(new GmmUbmBackend(ubm, {}, otherCohort, zUtterances).id, fused.id, 'another cohort is another model');

  const enrolment = [features(frames(200, 0.8, 6)), features(frames(200, 0.8, 7))];
  const fusedEnrolment = fused.enrollFeatures(enrolment);
  const model = fusedEnrolment.model as { means: string; svZMean?: number; svZStd?: number };
  assert.ok(typeof model.svZMean === 'number' && model.svZStd! > 0, JSON.stringify({ svZMean: model.svZMean, svZStd: model.svZStd }));
  const llrEnrolment = llrOnly.enrollFeatures(enrolment);
  assert.equal((llrEnrolment.model as { svZMean?: number }).svZMean, undefined);

  // Recompute the cosine's S-norm from outside the backend: the speaker's means, the attempt's MAP
  // means, the cohort's and the Z utterances' supervectors.
  const attempt = features(frames(150, 0.8, 8));
  const sv = new Supervectors(ubm, fused.options.relevance);
  const speaker = sv.ofMeans(Float64Array.from(unpackFloat32(model.means)));
  const test = sv.ofFrames(attempt.data);
  const score = cosine(speaker, test);
  const cohortCos = cohort.map((c) => cosine(sv.ofMeans(c.means), test));
  const zCos = zUtterances.map((u) => cosine(speaker, sv.ofFrames(u)));
  const stats = (v: number[]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) };
  };
  assert.ok(Math.abs(stats(zCos).mean - model.svZMean!) < 1e-3, `svZMean ${model.svZMean} vs ${stats(zCos).mean}`);
  const floor = fused.options.supervectorStdFloor;
  const cosineSNorm = ((score - stats(cohortCos).mean) / Math.max(stats(cohortCos).std, floor) + (score - model.svZMean!) / Math.max(model.svZStd!, floor)) / 2;
  const { tnormBoundary: boundary, tnormScale: scale } = fused.options;
  const llrSNorm = llrOnly.scoreFeatures(llrEnrolment, attempt).normalized * scale + boundary;
  const expected = Math.max(-8, Math.min(8, ((1 - w) * llrSNorm + w * cosineSNorm - boundary) / scale));
  const got = fused.scoreFeatures(fusedEnrolment, attempt);
  assert.ok(Math.abs(got.normalized - expected) < 2e-2, `${got.normalized} vs ${expected}`);
  assert.notEqual(got.normalized, llrOnly.scoreFeatures(llrEnrolment, attempt).normalized, 'the cosine changes the score');
  // The same speaker still beats a different one under the fused score.
  const other = fused.scoreFeatures(fusedEnrolment, features(frames(150, -0.8, 9)));
  assert.ok(got.normalized > other.normalized, `${got.normalized} > ${other.normalized}`);
  // An enrolment from the LLR-only backend (another id) is refused.
  assert.throws(() => fused.scoreFeatures(llrEnrolment, attempt), { code: 'voiceprint_invalid' });
});
