import type { Audio } from './audio.ts';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './g711.ts';
import { gaussian, mulberry32 } from './prng.ts';

/** The telephone voice band (ITU-T G.712 nominal 300–3400 Hz). */
export const TELEPHONE_BAND_HZ = { low: 300, high: 3400 } as const;

/** Taps of the linear-phase band-pass FIR (odd, so the delay is a whole number of samples). */
const TAPS_16K = 129;
const TAPS_8K = 65;

const kernels = new Map<number, Float64Array>();

/**
 * Windowed-sinc (Blackman) band-pass for `rate`: 300–3400 Hz. At 16 kHz its upper edge is also
 * the anti-aliasing low-pass for decimation to 8 kHz (stop band > 60 dB above ~3.9 kHz).
 */
export function bandPassKernel(rate: 8000 | 16000): Float64Array {
  let kernel = kernels.get(rate);
  if (kernel) return kernel;
  const taps = rate === 16000 ? TAPS_16K : TAPS_8K;
  const low = TELEPHONE_BAND_HZ.low / rate;
  const high = TELEPHONE_BAND_HZ.high / rate;
  const half = (taps - 1) / 2;
  kernel = new Float64Array(taps);
  for (let j = 0; j < taps; j++) {
    const t = j - half;
    const ideal = 2 * high * sinc(2 * high * t) - 2 * low * sinc(2 * low * t);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * j) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * j) / (taps - 1));
    kernel[j] = ideal * w;
  }
  kernels.set(rate, kernel);
  return kernel;
}

/**
 * What a telephone call does to wideband audio: a 300–3400 Hz band-pass, then 8 kHz. 16 kHz input
 * is filtered and decimated by 2 in one pass; 8 kHz input is band-passed only, so both routes give
 * the same band. The filter is zero-phase (its delay is compensated): sample i of the output lines
 * up with input time i/8000 s, which keeps fingerprints of a copy aligned with the original.
 *
 * @example
 * const phone = toTelephoneBand(decodeWav(bytes)); // 8 kHz
 */
export function toTelephoneBand(audio: Audio): Audio {
  const step = audio.sampleRate === 16000 ? 2 : 1;
  const kernel = bandPassKernel(audio.sampleRate);
  const input = audio.samples;
  const half = (kernel.length - 1) / 2;
  const out = new Float32Array(Math.floor(input.length / step));
  for (let m = 0; m < out.length; m++) {
    const centre = m * step;
    const first = Math.max(0, centre - half);
    const last = Math.min(input.length - 1, centre + half);
    let sum = 0;
    for (let k = first; k <= last; k++) sum += input[k]! * kernel[k - centre + half]!;
    out[m] = sum;
  }
  return { sampleRate: 8000, samples: out };
}

/**
 * Encodes to G.711 and decodes again, as a call leg does (the quantisation noise of the codec).
 *
 * @example
 * const overThePhone = g711RoundTrip(toTelephoneBand(audio), 'ulaw');
 */
export function g711RoundTrip(audio: Audio, law: 'ulaw' | 'alaw'): Audio {
  const out = new Float32Array(audio.samples.length);
  for (let i = 0; i < out.length; i++) {
    const pcm = Math.round(audio.samples[i]! * 32768);
    out[i] = (law === 'ulaw' ? ulawToLinear(linearToUlaw(pcm)) : alawToLinear(linearToAlaw(pcm))) / 32768;
  }
  return { sampleRate: audio.sampleRate, samples: out };
}

/**
 * Adds white Gaussian noise at `snrDb` below the signal's mean power (over the whole signal),
 * from a seeded PRNG, so the result is the same on every run.
 *
 * @example
 * const noisy = addNoise(audio, 15, 42);
 */
export function addNoise(audio: Audio, snrDb: number, seed: number): Audio {
  let power = 0;
  for (const s of audio.samples) power += s * s;
  power /= Math.max(1, audio.samples.length);
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  const normal = gaussian(mulberry32(seed));
  const out = new Float32Array(audio.samples.length);
  for (let i = 0; i < out.length; i++) out[i] = audio.samples[i]! + sigma * normal();
  return { sampleRate: audio.sampleRate, samples: out };
}

/** Scales every sample by `gain` (linear). */
export function applyGain(audio: Audio, gain: number): Audio {
  return { sampleRate: audio.sampleRate, samples: audio.samples.map((s) => s * gain) };
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}
