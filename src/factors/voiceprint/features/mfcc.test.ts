import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { SampleRate } from '../audio/audio.ts';
import { concat, syntheticVoice, tone } from '../testing/synthetic-voice.ts';
import { deltas } from './deltas.ts';
import { energyVad } from './energy-vad.ts';
import { extractFeatures } from './extract-features.ts';
import { FEATURE_CONFIGS } from './feature-config.ts';
import { melFilterbank } from './mel-filterbank.ts';
import { staticFeatures } from './mfcc.ts';

interface Vector {
  description: string;
  sampleRate: SampleRate;
  samples: number[];
  frames: number;
  logEnergy: number[];
  logMel: number[];
  cepstra: number[];
}

const vectors = ['mfcc-sweep-16k.json', 'mfcc-two-tone-8k.json'].map(
  (name) => JSON.parse(readFileSync(new URL(`../../../../test/vectors/voiceprint/${name}`, import.meta.url), 'utf8')) as Vector,
);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

for (const vector of vectors) {
  test(`front end matches the numpy reference: ${vector.description}`, () => {
    const audio = { sampleRate: vector.sampleRate, samples: Float32Array.from(vector.samples, (s) => s / 32768) };
    const out = staticFeatures(audio, FEATURE_CONFIGS[vector.sampleRate]);
    assert.equal(out.frames, vector.frames);
    // float32 storage and summation order: agreement to ~1e-4 on values of order 1–30.
    assert.ok(maxAbsDiff(out.logEnergy, vector.logEnergy) < 1e-4, 'log-energy');
    assert.ok(maxAbsDiff(out.logMel, vector.logMel) < 1e-3, 'log-mel');
    assert.ok(maxAbsDiff(out.cepstra, vector.cepstra) < 2e-3, 'cepstra');
  });
}

for (const rate of [16000, 8000] as const) {
  test(`a pure tone's energy lands in the mel filter centred nearest to it (${rate} Hz)`, () => {
    const config = FEATURE_CONFIGS[rate];
    const bank = melFilterbank(config);
    for (const hz of rate === 16000 ? [250, 1000, 3000, 6000] : [500, 1200, 2500]) {
      const out = staticFeatures(tone(hz, 0.3, 0.5, rate), config);
      const frame = 10;
      const row = Array.from(out.logMel.subarray(frame * config.melBins, (frame + 1) * config.melBins));
      const loudest = row.indexOf(Math.max(...row));
      const nearest = bank.map((f) => Math.abs(f.centreHz - hz)).reduce((best, d, i, all) => (d < all[best]! ? i : best), 0);
      assert.ok(Math.abs(loudest - nearest) <= 1, `${hz} Hz: loudest filter ${loudest}, nearest centre ${nearest}`);
    }
  });
}

test('deltas of a linear ramp equal its slope (edges replicate the end frames)', () => {
  const data = Float32Array.from({ length: 20 }, (_, t) => 3 * t);
  const d = deltas(data, 20, 1, 2);
  for (let t = 2; t < 18; t++) assert.ok(Math.abs(d[t]! - 3) < 1e-5, 'expected Math.abs(d[t]! - 3) < 1e-5');
  assert.ok(d[0]! < 3 && d[19]! < 3, 'expected d[0]! < 3 && d[19]! < 3');
});

test('energy VAD keeps the loud part of silence–voice–silence and drops isolated clicks', () => {
  const e = new Float32Array(100).fill(6);
  e.fill(20, 30, 70);
  e[10] = 20; // a one-frame click
  const vad = energyVad(e);
  assert.equal(vad[10], 0);
  assert.equal(vad[50], 1);
  assert.equal(vad[5], 0);
  assert.equal(vad[95], 0);
  // hangover: ±2 frames around the loud run
  assert.equal(vad[28], 1);
  assert.equal(vad[27], 0);
});

test('extractFeatures gives 60-dim CMN features on speech frames only', () => {
  const audio = concat(tone(0, 0.5, 0), syntheticVoice({ edgeSeconds: 0 }), tone(0, 0.5, 0));
  const f = extractFeatures(audio);
  assert.equal(f.dims, 60);
  assert.equal(f.data.length, f.count * 60);
  assert.ok(f.speechFrames < f.totalFrames * 0.8 && f.speechFrames > f.totalFrames * 0.4, `${f.speechFrames}/${f.totalFrames}`);
  for (let d = 0; d < 60; d++) {
    let mean = 0;
    for (let t = 0; t < f.count; t++) mean += f.data[t * 60 + d]!;
    assert.ok(Math.abs(mean / f.count) < 1e-3, `dim ${d} mean`);
  }
});
