import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Audio } from '../audio/audio.ts';
import { lowPass } from '../audio/channels.ts';
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

test('narrow band: a chain low-passed at 1.8 kHz (below the telephone band) is refused; the telephone band is not', () => {
  const muffled = { sampleRate: voice.sampleRate, samples: lowPass(voice.samples, voice.sampleRate, 1800, 1, 64) };
  const report = checkQuality(muffled, 'verify');
  assert.deepEqual(report.problems.map((p) => p.code), ['narrow_band'], `${report.stats.highBandDb} dB`);
  assert.match(report.problems[0]!.message, /^We could not hear you clearly: /);
  const phone = { sampleRate: voice.sampleRate, samples: lowPass(voice.samples, voice.sampleRate, 3400, 1, 64) };
  assert.deepEqual(codes(phone, 'verify'), []);
});

test('gated: a suppressor that cut 60 % of the utterance to digital silence is refused', () => {
  const samples = Float32Array.from(voice.samples);
  const chunk = Math.round(0.1 * voice.sampleRate);
  for (let start = 0; start < samples.length; start += 5 * chunk) samples.fill(0, start + 2 * chunk, Math.min(samples.length, start + 5 * chunk));
  const report = checkQuality({ sampleRate: voice.sampleRate, samples }, 'verify');
  assert.ok(report.problems.some((p) => p.code === 'gated'), `${JSON.stringify(report.stats)}`);
  // the synthetic voice has short digital-silence gaps between syllables, far below the gate
  assert.ok(checkQuality(voice, 'verify').stats.gatedFraction < 0.5, 'clean voice counted as gated');
});

test('every quality message starts with "We could not hear you clearly"', () => {
  for (const audio of [applyGain(voice, 0.01), addNoise(voice, 5, 2), syntheticVoice({ syllables: 2, seed: 6 })]) {
    for (const p of checkQuality(audio, 'enroll').problems) assert.match(p.message, /^We could not hear you clearly: /);
  }
});
