import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Audio } from '../audio/audio.ts';
import { addNoise, applyGain } from '../audio/resample.ts';
import { concat, syntheticVoice, tone } from '../testing/synthetic-voice.ts';
import { checkQuality, clippedFraction, type QualityProblemCode } from './check-quality.ts';

const voice = syntheticVoice({ syllables: 10, seed: 3 }); // ~3.6 s, ~2.8 s voiced, peak 0.5

function codes(audio: Audio, role: 'enroll' | 'verify'): QualityProblemCode[] {
  return checkQuality(audio, role).problems.map((p) => p.code);
}

test('a clean recording passes both gates', () => {
  const report = checkQuality(voice, 'enroll');
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
  assert.ok(report.stats.speechSeconds > 2 && report.stats.speechSeconds < 3.3, `${report.stats.speechSeconds}`);
  assert.ok(report.stats.snrDb > 40, 'expected report.stats.snrDb > 40');
  assert.ok(report.stats.rmsDbfs < -6 && report.stats.rmsDbfs > -30, `${report.stats.rmsDbfs}`);
  assert.equal(checkQuality(voice, 'verify').ok, true);
});

test('too short: 1.2 s of speech fails enrolment only', () => {
  const short = syntheticVoice({ syllables: 4, edgeSeconds: 0.1, seed: 4 });
  const { speechSeconds } = checkQuality(short, 'verify').stats;
  assert.ok(speechSeconds >= 1 && speechSeconds < 1.5, `${speechSeconds}`);
  assert.deepEqual(codes(short, 'enroll'), ['too_short']);
  assert.deepEqual(codes(short, 'verify'), []);
});

test('too quiet: the same voice 16 dB down (speech RMS ≈ −42 dBFS)', () => {
  assert.deepEqual(codes(applyGain(voice, 10 ** (-16 / 20)), 'enroll'), ['too_quiet']);
});

test('clipped: the voice driven 4× into the rail', () => {
  const hot = applyGain(voice, 4);
  const clipped = { sampleRate: hot.sampleRate, samples: hot.samples.map((s) => Math.max(-1, Math.min(32767 / 32768, s))) };
  assert.deepEqual(codes(clipped, 'enroll'), ['clipped']);
  assert.ok(checkQuality(clipped, 'enroll').stats.clippedFraction > 0.001, "expected checkQuality(clipped, 'enroll').stats.clippedFraction > 0.001");
});

test('a loud but clean tone peaking at the rail is not clipped', () => {
  assert.equal(clippedFraction(tone(200, 1, 32767 / 32768).samples), 0);
});

test('too noisy: white noise 8 dB below the speech', () => {
  const noisy = addNoise(voice, 8, 1);
  assert.deepEqual(codes(noisy, 'verify'), ['too_noisy']);
  // 12 dB passes verification (≥ 10 dB) but not enrolment (≥ 15 dB)
  const fair = addNoise(voice, 13, 1);
  assert.deepEqual(codes(fair, 'verify'), []);
  assert.deepEqual(codes(fair, 'enroll'), ['too_noisy']);
});

test('mostly silence: 2 s of speech in 12 s of recording', () => {
  const sparse = concat(tone(0, 5, 0), syntheticVoice({ syllables: 7, edgeSeconds: 0, seed: 5 }), tone(0, 5, 0));
  assert.deepEqual(codes(sparse, 'enroll'), ['mostly_silence']);
});

test('messages can be shown on a page', () => {
  const report = checkQuality(applyGain(voice, 0.001), 'enroll');
  assert.ok(report.problems.some((p) => /louder/.test(p.message)), 'expected report.problems.some((p) => /louder/.test(p.message))');
});
