import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, mulberry32 } from '../audio/prng.ts';
import { averageLlr, Gmm, logSumExp, mapAdaptedMeans, mapAdaptMeans, trainUbm } from './gmm.ts';

/** n frames of `dims` values drawn from N(mean, sd²) per dimension. */
function cloud(n: number, mean: readonly number[], sd: number, seed: number): Float32Array {
  const normal = gaussian(mulberry32(seed));
  const dims = mean.length;
  return Float32Array.from({ length: n * dims }, (_, i) => mean[i % dims]! + sd * normal());
}

function join(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test('EM on two well-separated clusters recovers their means, weights and variances', () => {
  const data = join(cloud(3000, [-4, 0, 2], 1, 1), cloud(1000, [4, 3, -2], 0.5, 2));
  const gmm = trainUbm(data, 3, { components: 2, iterations: 10, seed: 1 });
  const order = gmm.means[0]! < gmm.means[3]! ? [0, 1] : [1, 0];
  const [a, b] = order as [number, number];
  const means = (i: number) => Array.from(gmm.means.subarray(i * 3, i * 3 + 3));
  means(a).forEach((m, d) => assert.ok(Math.abs(m - [-4, 0, 2][d]!) < 0.1, `cluster A dim ${d}: ${m}`));
  means(b).forEach((m, d) => assert.ok(Math.abs(m - [4, 3, -2][d]!) < 0.1, `cluster B dim ${d}: ${m}`));
  assert.ok(Math.abs(gmm.weights[a]! - 0.75) < 0.01, 'expected Math.abs(gmm.weights[a]! - 0.75) < 0.01');
  assert.ok(Math.abs(gmm.variances[b * 3]! - 0.25) < 0.05, 'expected Math.abs(gmm.variances[b * 3]! - 0.25) < 0.05');
});

test('training is deterministic for a seed', () => {
  const data = cloud(2000, [0, 1, 2, 3], 1, 5);
  const a = trainUbm(data, 4, { components: 4, iterations: 3, seed: 9 });
  const b = trainUbm(data, 4, { components: 4, iterations: 3, seed: 9 });
  assert.deepEqual(a.means, b.means);
});

test('variances are floored at the given share of the global variance', () => {
  const data = join(cloud(500, [0, 0], 1, 1), new Float32Array(1000).fill(5)); // half the frames identical
  const gmm = trainUbm(data, 2, { components: 2, iterations: 5, seed: 1, varianceFloor: 0.01 });
  for (const v of gmm.variances) assert.ok(v >= 0.01 * 5 * 0.9, `${v}`);
});

test('MAP moves each mean by n/(n + r) of the way to the data mean', () => {
  const ubm = new Gmm(Float64Array.of(0.5, 0.5), Float64Array.of(-10, 0, 10, 0), Float64Array.of(1, 1, 1, 1));
  const frames = cloud(40, [-9, 1], 0.1, 3); // all owned by component 0
  const { means, occupancy } = mapAdaptedMeans(ubm, frames, 16);
  assert.ok(Math.abs(occupancy[0]! - 40) < 1e-6 && occupancy[1]! < 1e-6, 'expected Math.abs(occupancy[0]! - 40) < 1e-6 && occupancy[1]! < 1e-6');
  let dataMean0 = 0;
  for (let t = 0; t < 40; t++) dataMean0 += frames[t * 2]! / 40;
  const alpha = 40 / (40 + 16);
  assert.ok(Math.abs(means[0]! - (alpha * dataMean0 + (1 - alpha) * -10)) < 1e-9, 'expected Math.abs(means[0]! - (alpha * dataMean0 + (1 - alpha) * -10)) < 1e-9');
  assert.deepEqual(Array.from(means.subarray(2)), [10, 0], 'a component without data keeps the UBM mean');
  const adapted = mapAdaptMeans(ubm, frames, 16);
  assert.equal(adapted.variances, ubm.variances);
  assert.equal(adapted.weights, ubm.weights);
});

test('the LLR is positive for the adapted data, negative for other data, 0 for the UBM itself', () => {
  const ubm = trainUbm(join(cloud(2000, [0, 0, 0], 2, 1), cloud(2000, [3, -3, 1], 2, 2)), 3, { components: 8, iterations: 5, seed: 1 });
  const speakerData = cloud(400, [1, 1, 1], 0.7, 3);
  const speaker = mapAdaptMeans(ubm, speakerData, 8);
  assert.ok(averageLlr(speaker, ubm, cloud(300, [1, 1, 1], 0.7, 4)) > 0.2, 'expected averageLlr(speaker, ubm, cloud(300, [1, 1, 1], 0.7, 4)) > 0.2');
  assert.ok(averageLlr(speaker, ubm, cloud(300, [3, -3, -2], 0.7, 5)) < 0, 'expected averageLlr(speaker, ubm, cloud(300, [3, -3, -2], 0.7, 5)) < 0');
  assert.ok(Math.abs(averageLlr(ubm, ubm, speakerData)) < 1e-12, 'expected Math.abs(averageLlr(ubm, ubm, speakerData)) < 1e-12');
});

test('toJSON/fromJSON round-trips to 6 significant digits; malformed models are refused', () => {
  const gmm = new Gmm(Float64Array.of(0.25, 0.75), Float64Array.of(1 / 3, -2 / 3), Float64Array.of(0.123456789, 2));
  const json = JSON.parse(JSON.stringify(gmm.toJSON())) as unknown;
  const back = Gmm.fromJSON(json);
  assert.equal(back.means[0], 0.333333);
  assert.equal(back.variances[0], 0.123457);
  assert.throws(() => Gmm.fromJSON({ ...gmm.toJSON(), variances: [0, 1] }), { code: 'model_invalid' });
  assert.throws(() => Gmm.fromJSON({ format: 'other' }), { code: 'model_invalid' });
});

test('logSumExp is stable', () => {
  assert.ok(Math.abs(logSumExp([1000, 1000]) - (1000 + Math.log(2))) < 1e-9, 'expected Math.abs(logSumExp([1000, 1000]) - (1000 + Math.log(2))) < 1e-9');
  assert.equal(logSumExp([-Infinity]), -Infinity);
});
