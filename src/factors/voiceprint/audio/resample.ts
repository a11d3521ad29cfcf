import type { Audio } from './audio.ts';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../../audio/g711.ts';
import { TELEPHONE_RATE, toTelephoneBand as telephoneBand } from '../../../audio/telephone-band.ts';
import { gaussian, mulberry32 } from './prng.ts';

/**
 * What a telephone call does to wideband audio: a 300–3400 Hz band-pass, then 8 kHz (the shared
 * resampler, src/audio/telephone-band.ts). 16 kHz input is filtered and decimated by 2 in one
 * pass; 8 kHz input is band-passed only, so both routes give the same band, aligned in time.
 *
 * @example
 * const phone = toTelephoneBand(decodeWav(bytes)); // 8 kHz
 */
export function toTelephoneBand(audio: Audio): Audio {
  return { sampleRate: TELEPHONE_RATE, samples: Float32Array.from(telephoneBand(audio.samples, audio.sampleRate)) };
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
