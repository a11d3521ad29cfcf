import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tone } from '../testing/synthetic-voice.ts';
import type { Audio } from './audio.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from './resample.ts';

function rms(audio: Audio, skip = 200): number {
  let sum = 0;
  const s = audio.samples.subarray(skip, audio.samples.length - skip);
  for (const v of s) sum += v * v;
  return Math.sqrt(sum / s.length);
}

test('toTelephoneBand passes 300–3400 Hz and removes what a phone line removes', () => {
  const gainAt = (hz: number, rate: 8000 | 16000) => rms(toTelephoneBand(tone(hz, 0.5, 0.5, rate))) / (0.5 / Math.SQRT2);
  for (const rate of [16000, 8000] as const) {
    assert.ok(Math.abs(gainAt(1000, rate) - 1) < 0.02, `1 kHz at ${rate}`);
    assert.ok(gainAt(2500, rate) > 0.97, `2.5 kHz at ${rate}`);
    assert.ok(gainAt(100, rate) < 0.05, `100 Hz at ${rate}`);
  }
  assert.ok(gainAt(5000, 16000) < 0.01, '5 kHz would alias to 3 kHz: must be removed before decimation');
  assert.ok(gainAt(7000, 16000) < 0.01, '7 kHz');
  const out = toTelephoneBand(tone(1000, 1, 0.5, 16000));
  assert.equal(out.sampleRate, 8000);
  assert.equal(out.samples.length, 8000);
});

test('the telephone band-pass is zero-phase: a 1 kHz tone keeps its timing', () => {
  const input = tone(1000, 0.2, 0.5, 16000);
  const out = toTelephoneBand(input);
  for (let m = 200; m < 1400; m += 97) assert.ok(Math.abs(out.samples[m]! - input.samples[2 * m]!) < 0.02, 'expected Math.abs(out.samples[m]! - input.samples[2 * m]!) < 0.02');
});

test('g711RoundTrip keeps a speech-level signal within the codec noise (~38 dB SNR)', () => {
  const input = tone(700, 0.3, 0.3, 8000);
  for (const law of ['ulaw', 'alaw'] as const) {
    const out = g711RoundTrip(input, law);
    let noise = 0;
    for (let i = 0; i < out.samples.length; i++) noise += (out.samples[i]! - input.samples[i]!) ** 2;
    const snr = 10 * Math.log10((rms(input, 0) ** 2 * out.samples.length) / noise);
    assert.ok(snr > 33 && snr < 45, `${law}: ${snr.toFixed(1)} dB`);
  }
});

test('addNoise is deterministic by seed and hits the requested SNR', () => {
  const input = tone(500, 1, 0.3);
  const a = addNoise(input, 10, 7);
  assert.deepEqual(a.samples, addNoise(input, 10, 7).samples);
  assert.notDeepEqual(a.samples, addNoise(input, 10, 8).samples);
  let noise = 0;
  for (let i = 0; i < a.samples.length; i++) noise += (a.samples[i]! - input.samples[i]!) ** 2;
  const snr = 10 * Math.log10((rms(input, 0) ** 2 * a.samples.length) / noise);
  assert.ok(Math.abs(snr - 10) < 0.2, `${snr}`);
});
