import type { Audio } from '../audio/audio.ts';
import { toTelephoneBand } from '../audio/resample.ts';
import { deltas } from '../features/deltas.ts';
import { FEATURE_CONFIGS } from '../features/feature-config.ts';
import { staticFeatures } from '../features/mfcc.ts';

/** Statics (C0 = log-energy) + Δ of the 8 kHz front end: what a digit template keeps. */
export const DIGIT_DIMS = 40;

/** Every frame of an utterance (10 ms each), before any frame is dropped. */
export interface FrameFeatures {
  frames: number;
  dims: number;
  /** frames × dims, row-major; CMVN applied over the utterance's speech segments. */
  data: Float32Array;
  /** ln frame energy (int16 scale), what segmentation reads. */
  logEnergy: Float32Array;
}

/**
 * The telephone-band front end (always 8 kHz, like every score, whatever the microphone) for every
 * frame: 20 liftered cepstra with C0 = ln energy, and their Δ. Normalisation comes later, once the
 * speech segments are known (normalise()). `telephoneBand`: the audio already went through
 * toTelephoneBand (the engine's own copy), so it is not filtered twice.
 */
export function frameFeatures(audio: Audio, telephoneBand = false): FrameFeatures {
  const config = FEATURE_CONFIGS[8000];
  const statics = staticFeatures(telephoneBand ? audio : toTelephoneBand(audio), config);
  const ceps = config.ceps;
  const d1 = deltas(statics.cepstra, statics.frames, ceps, config.deltaWindow);
  const data = new Float32Array(statics.frames * DIGIT_DIMS);
  for (let t = 0; t < statics.frames; t++) {
    data.set(statics.cepstra.subarray(t * ceps, (t + 1) * ceps), t * DIGIT_DIMS);
    data.set(d1.subarray(t * ceps, (t + 1) * ceps), t * DIGIT_DIMS + ceps);
  }
  return { frames: statics.frames, dims: DIGIT_DIMS, data, logEnergy: statics.logEnergy };
}

/** Utterance CMVN over the frames of the given segments (in place): channel and gain drop out. */
export function normalise(features: FrameFeatures, segments: ReadonlyArray<{ start: number; end: number }>): void {
  const { dims, data } = features;
  const mean = new Float64Array(dims);
  const sq = new Float64Array(dims);
  let count = 0;
  for (const s of segments) {
    for (let t = s.start; t < s.end; t++) {
      count++;
      for (let d = 0; d < dims; d++) {
        const v = data[t * dims + d]!;
        mean[d] = mean[d]! + v;
        sq[d] = sq[d]! + v * v;
      }
    }
  }
  if (count < 2) return;
  for (let d = 0; d < dims; d++) {
    mean[d] = mean[d]! / count;
    sq[d] = 1 / Math.sqrt(Math.max(sq[d]! / count - mean[d]! ** 2, 1e-8));
  }
  for (let t = 0; t < features.frames; t++) for (let d = 0; d < dims; d++) data[t * dims + d] = (data[t * dims + d]! - mean[d]!) * sq[d]!;
}
