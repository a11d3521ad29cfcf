import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gaussian, mulberry32 } from '../audio/prng.ts';
import { Gmm } from './gmm.ts';
import { compensateSession, sessionSubspaceFromJSON, sessionSubspaceToJSON, trainSessionSubspace } from './session-subspace.ts';

/**
 * A world where the truth is known: 4 Gaussian components in 6 dims, speakers that shift every
 * component by their own small vector, and sessions ("channels") that add one fixed direction
 * times a random gain to every frame — what a convolutional channel does to cepstra. The subspace
 * must find that direction, and compensation must remove it without removing the speakers.
 */
const DIMS = 6;
const COMPONENTS = 4;
const CHANNEL = Float64Array.of(0.9, -0.6, 0.3, 0, 0.5, -0.2);
const random = mulberry32(7);
const normal = gaussian(random);

const ubmMeans = Float64Array.from({ length: COMPONENTS * DIMS }, (_, j) => (Math.floor(j / DIMS) - 1.5) * 2 + ((j % DIMS) - 2.5) * 0.3);
const ubm = new Gmm(new Float64Array(COMPONENTS).fill(1 / COMPONENTS), ubmMeans, new Float64Array(COMPONENTS * DIMS).fill(0.25));

function speaker(): Float64Array {
  return Float64Array.from({ length: DIMS }, () => normal() * 0.25);
}

/** 300 frames of one session: a speaker offset, a channel offset of gain `gain`, unit-σ 0.5 noise around a random component. */
function session(offset: Float64Array, gain: number): Float32Array {
  const frames = new Float32Array(300 * DIMS);
  for (let t = 0; t < 300; t++) {
    const i = Math.floor(random() * COMPONENTS);
    for (let d = 0; d < DIMS; d++) frames[t * DIMS + d] = ubmMeans[i * DIMS + d]! + offset[d]! + gain * CHANNEL[d]! + normal() * 0.5;
  }
  return frames;
}

function mean(frames: Float32Array): Float64Array {
  const out = new Float64Array(DIMS);
  const count = frames.length / DIMS;
  for (let t = 0; t < count; t++) for (let d = 0; d < DIMS; d++) out[d] = out[d]! + frames[t * DIMS + d]! / count;
  return out;
}

function distance(a: Float64Array, b: Float64Array): number {
  return Math.sqrt(a.reduce((s, v, d) => s + (v - b[d]!) ** 2, 0));
}

describe('session subspace (feature-domain session compensation)', () => {
  const training = Array.from({ length: 12 }, () => {
    const offset = speaker();
    return Array.from({ length: 6 }, () => session(offset, normal() * 1.5));
  });
  const subspace = trainSessionSubspace(ubm, training, { rank: 2, iterations: 6, seed: 1, relevance: 8 });

  test('learns the channel direction from sessions of the same speakers', () => {
    // Every component's first factor (in feature units) points along CHANNEL.
    for (let i = 0; i < COMPONENTS; i++) {
      const column = Float64Array.from({ length: DIMS }, (_, d) => subspace.loadings[(i * DIMS + d) * 2]! * 0.5);
      const second = Float64Array.from({ length: DIMS }, (_, d) => subspace.loadings[(i * DIMS + d) * 2 + 1]! * 0.5);
      const strongest = Math.hypot(...column) >= Math.hypot(...second) ? column : second;
      const cosine = Math.abs(strongest.reduce((s, v, d) => s + v * CHANNEL[d]!, 0)) / (Math.hypot(...strongest) * Math.hypot(...CHANNEL));
      assert.ok(cosine > 0.9, `component ${i}: cosine to the channel direction ${cosine.toFixed(3)}`);
    }
  });

  test('two channels of one unseen speaker come together; two unseen speakers stay apart', () => {
    const alice = speaker();
    const bob = Float64Array.from(alice, (v, d) => v + (d % 2 === 0 ? 0.6 : -0.6));
    const aliceQuiet = session(alice, -1.5);
    const aliceLoud = session(alice, 2);
    const bobQuiet = session(bob, -1.5);
    const before = distance(mean(aliceQuiet), mean(aliceLoud));
    const after = distance(mean(compensateSession(subspace, aliceQuiet)), mean(compensateSession(subspace, aliceLoud)));
    assert.ok(after < before / 3, `same speaker, two channels: ${before.toFixed(3)} → ${after.toFixed(3)}`);
    const speakers = distance(mean(compensateSession(subspace, aliceQuiet)), mean(compensateSession(subspace, bobQuiet)));
    assert.ok(speakers > 2 * after, `two speakers, same channel, after compensation ${speakers.toFixed(3)} vs same speaker ${after.toFixed(3)}`);
  });

  test('round-trips through its JSON file and is refused for another UBM', () => {
    const back = sessionSubspaceFromJSON(JSON.parse(JSON.stringify(sessionSubspaceToJSON(subspace))), DIMS);
    assert.equal(back.rank, 2);
    const largest = Math.max(...subspace.loadings.map(Math.abs));
    assert.ok(back.loadings.every((v, j) => Math.abs(v - subspace.loadings[j]!) <= largest / 32_000), 'Int16 in the file: within one step of the largest loading / 32,000');
    assert.deepEqual(back.ubm.toJSON(), ubm.toJSON(), 'the file carries the UBM its statistics are computed against');
    assert.throws(() => sessionSubspaceFromJSON(sessionSubspaceToJSON(subspace), DIMS + 1), { code: 'model_invalid' });
    assert.throws(() => sessionSubspaceFromJSON({ ...sessionSubspaceToJSON(subspace), rank: 3 }, DIMS), { code: 'model_invalid' });
    assert.throws(() => sessionSubspaceFromJSON({ ...sessionSubspaceToJSON(subspace), ubm: { format: 'nope' } }, DIMS), { code: 'model_invalid' });
  });

  test('an empty utterance is returned unchanged', () => {
    const empty = new Float32Array(0);
    assert.equal(compensateSession(subspace, empty), empty);
  });
});
