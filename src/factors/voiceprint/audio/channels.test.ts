import assert from 'node:assert/strict';
import { test } from 'node:test';
import { powerSpectrum } from '../features/fft.ts';
import { concat, syntheticVoice, tone } from '../testing/synthetic-voice.ts';
import type { Audio } from './audio.ts';
import {
  addColouredNoise,
  bluetoothNarrowband,
  bluetoothWideband,
  CHANNELS,
  noiseSuppressed,
  phoneCall,
  pinkNoise,
  to16k,
  to8k,
  upsampledFrom8k,
} from './channels.ts';
import { gaussian, mulberry32 } from './prng.ts';

/** Share of the clip's energy between lowHz and highHz (mean power spectrum of 512-sample frames). */
function bandShare(audio: Audio, lowHz: number, highHz: number): number {
  const size = 512;
  const spectrum = new Float64Array(size / 2 + 1);
  const frame = new Float64Array(size / 2 + 1);
  for (let start = 0; start + size <= audio.samples.length; start += size) {
    powerSpectrum(audio.samples.subarray(start, start + size), size, frame);
    for (let k = 0; k < frame.length; k++) spectrum[k] = spectrum[k]! + frame[k]!;
  }
  let band = 0;
  let total = 0;
  spectrum.forEach((p, k) => {
    const hz = (k * audio.sampleRate) / size;
    total += p;
    if (hz >= lowHz && hz < highHz) band += p;
  });
  return band / total;
}

function whiteNoise(seconds: number, rate: 8000 | 16000, seed: number): Audio {
  const normal = gaussian(mulberry32(seed));
  return { sampleRate: rate, samples: Float32Array.from({ length: seconds * rate }, () => 0.1 * normal()) };
}

function power(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return sum / samples.length;
}

const voice = syntheticVoice();

test('upsampledFrom8k: 16 kHz out, nothing above 4 kHz, the band below kept', () => {
  const wide = whiteNoise(1, 16000, 1);
  const out = upsampledFrom8k(wide);
  assert.equal(out.sampleRate, 16000);
  assert.equal(out.samples.length, wide.samples.length);
  assert.ok(bandShare(out, 4200, 8001) < 0.001, `above 4.2 kHz: ${bandShare(out, 4200, 8001)}`);
  assert.ok(bandShare(wide, 4200, 8001) > 0.4, 'the input had energy there');
  const kept = power(out.samples) / power(wide.samples);
  assert.ok(kept > 0.43 && kept < 0.5, `power kept ${kept}`);
  // 8 kHz input is upsampled only; a 1 kHz tone keeps its level.
  const up = to16k(tone(1000, 0.5, 0.5, 8000));
  assert.equal(up.samples.length, 8000);
  assert.ok(Math.abs(Math.sqrt(power(up.samples.subarray(500, 7500))) / (0.5 / Math.SQRT2) - 1) < 0.02, '1 kHz level kept');
  assert.equal(to8k(tone(1000, 0.5, 0.5, 8000)).samples.length, 4000);
});

test('phoneCall: 8 kHz telephone band, noise at 20 dB, G.711', () => {
  const out = phoneCall(whiteNoise(1, 16000, 2), 7);
  assert.equal(out.sampleRate, 8000);
  assert.ok(bandShare(out, 300, 3400) > 0.97, `in band ${bandShare(out, 300, 3400)}`);
  // The added noise is the only thing below 250 Hz: about 1 % of the power × 250/4000 of the band.
  assert.ok(bandShare(out, 0, 250) < 0.01, `below 250 Hz: ${bandShare(out, 0, 250)}`);
  const clean = phoneCall(tone(1000, 1, 0.5, 16000), 3, { snrDb: 60 });
  const noisy = phoneCall(tone(1000, 1, 0.5, 16000), 3, { snrDb: 20 });
  const diff = noisy.samples.map((v, i) => v - clean.samples[i]!);
  const snr = 10 * Math.log10(power(clean.samples) / power(diff));
  assert.ok(snr > 19 && snr < 21, `SNR ${snr}`);
});

test('bluetoothNarrowband (CVSD): 8 kHz, keeps a voice-band tone, adds coding noise, nothing above 3.8 kHz', () => {
  const input = tone(1000, 1, 0.3, 16000);
  const out = bluetoothNarrowband(input, 5);
  assert.equal(out.sampleRate, 8000);
  assert.equal(out.samples.length, 8000);
  const reference = to8k(input).samples;
  let dot = 0;
  let noise = 0;
  for (let i = 400; i < 7600; i++) {
    dot += out.samples[i]! * reference[i]!;
    noise += (out.samples[i]! - reference[i]!) ** 2;
  }
  const correlation = dot / Math.sqrt(power(out.samples.subarray(400, 7600)) * power(reference.subarray(400, 7600))) / 7200;
  assert.ok(correlation > 0.95, `correlation ${correlation}`);
  const snr = 10 * Math.log10(power(reference.subarray(400, 7600)) / (noise / 7200));
  assert.ok(snr > 8 && snr < 40, `CVSD SNR ${snr} dB: coded, not transparent`);
  const band = bluetoothNarrowband(whiteNoise(1, 16000, 4), 1);
  assert.ok(bandShare(band, 3850, 4001) < 0.02, `above 3.85 kHz: ${bandShare(band, 3850, 4001)}`);
});

test('bluetoothWideband (mSBC): 16 kHz, 7 kHz low-pass, quantisation noise about 20 dB down', () => {
  const out = bluetoothWideband(whiteNoise(1, 16000, 6), 2);
  assert.equal(out.sampleRate, 16000);
  assert.ok(bandShare(out, 7400, 8001) < 0.005, `above 7.4 kHz: ${bandShare(out, 7400, 8001)}`);
  assert.ok(bandShare(out, 4000, 7000) > 0.3, 'the band 4–7 kHz that narrowband loses is kept');
  const input = tone(1000, 1, 0.3, 16000);
  const coded = bluetoothWideband(input, 2);
  const diff = coded.samples.map((v, i) => v - input.samples[i]!).subarray(200, 15800);
  const snr = 10 * Math.log10(power(input.samples.subarray(200, 15800)) / power(diff));
  assert.ok(snr > 15 && snr < 30, `SNR ${snr}`);
});

test('noiseSuppressed zeroes low-energy bins: the noise between words goes, the voice stays', () => {
  const gap = whiteNoise(0.5, 16000, 8);
  gap.samples.forEach((_, i) => (gap.samples[i] = gap.samples[i]! * 0.05));
  const speech = tone(700, 0.5, 0.4, 16000);
  const noiseUnder = whiteNoise(0.5, 16000, 9);
  speech.samples.forEach((v, i) => (speech.samples[i] = v + noiseUnder.samples[i]! * 0.05));
  const input = concat(gap, speech, gap);
  const out = noiseSuppressed(input);
  assert.equal(out.samples.length, input.samples.length);
  const part = (a: Audio, from: number, to: number) => a.samples.subarray(from * 16000, to * 16000);
  const gapDb = 10 * Math.log10(power(part(out, 0.05, 0.45)) / power(part(input, 0.05, 0.45)));
  assert.ok(gapDb < -15, `noise-only part attenuated by ${gapDb} dB`);
  const toneDb = 10 * Math.log10(power(part(out, 0.6, 0.9)) / power(part(input, 0.6, 0.9)));
  assert.ok(toneDb > -1, `voiced part kept (${toneDb} dB)`);
  // Nothing to remove (constant tone, no noise): passes unchanged (perfect reconstruction).
  const pure = tone(1000, 0.5, 0.3, 8000);
  const same = noiseSuppressed(pure, { gateFactor: 0, overSubtraction: 0 });
  const err = pure.samples.map((v, i) => v - same.samples[i]!);
  assert.ok(power(err) < 1e-10, `reconstruction error ${power(err)}`);
});

test('addColouredNoise: the SNR asked for; pink and babble are coloured, not white', () => {
  for (const kind of ['pink', 'babble'] as const) {
    const out = addColouredNoise(voice, 10, 11, kind);
    const diff = out.samples.map((v, i) => v - voice.samples[i]!);
    const snr = 10 * Math.log10(power(voice.samples) / power(diff));
    assert.ok(Math.abs(snr - 10) < 0.01, `${kind} SNR ${snr}`);
    const noise: Audio = { sampleRate: voice.sampleRate, samples: diff };
    // Per Hz, far more energy below 1 kHz than at 4–8 kHz (white would be equal).
    const low = bandShare(noise, 100, 1000) / 900;
    const high = bandShare(noise, 4000, 8000) / 4000;
    assert.ok(low > 10 * high, `${kind}: ${low} vs ${high}`);
  }
  assert.equal(pinkNoise(1000, 1).length, 1000);
});

test('every channel is deterministic for a seed, and the seed matters where there is noise', () => {
  for (const [name, channel] of Object.entries(CHANNELS)) {
    const a = channel(voice, 42);
    const b = channel(voice, 42);
    assert.deepEqual(a.samples, b.samples, `${name} repeats`);
    assert.ok(a.samples.every((v) => Number.isFinite(v)), `${name} finite`);
    if (name !== 'upsampled-8k') assert.notDeepEqual(channel(voice, 43).samples, a.samples, `${name} depends on the seed`);
  }
});
