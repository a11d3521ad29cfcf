import type { Audio } from '../audio/audio.ts';
import { deltas } from './deltas.ts';
import { DEFAULT_VAD, energyVad } from './energy-vad.ts';
import { FEATURE_CONFIGS, type FeatureConfig } from './feature-config.ts';
import { flooredCepstra, staticFeatures } from './mfcc.ts';

/** Channel-robustness steps of the front end (models/README.md "Tuning log" has the measurements). */
export interface FrontEndOptions {
  /** White spectral floor, dB below the utterance's loud-frame level (null: none). See flooredCepstra. */
  floorDb: number | null;
}

/**
 * The front end the engine and the UBM training use. floorDb 20: on the dev speakers it lowered the
 * EER in every condition (noise-suppressed 32 → 22 %, wideband 30 → 28 %; models/README.md
 * "Tuning log"). Changing it means retraining the UBM (`npm run train:ubm`).
 */
export const FRONT_END: Readonly<FrontEndOptions> = { floorDb: 20 };

/** Model-ready features: speech frames only, CMVN applied (mean 0, variance 1 per dim), row-major `count × dims`. */
export interface Features {
  sampleRate: 8000 | 16000;
  /** 60: 20 cepstra (C0 = log-energy), 20 Δ, 20 ΔΔ. */
  dims: number;
  count: number;
  data: Float32Array;
  /** Frames in the whole utterance (10 ms each). */
  totalFrames: number;
  speechFrames: number;
  /** VAD decision for each of the totalFrames frames. */
  speechMask: Uint8Array;
  /** ln(Σx² + N) per frame (int16 scale), for quality statistics. */
  frameLogEnergy: Float32Array;
}

/**
 * MFCC + Δ + ΔΔ → energy VAD → utterance CMVN over the speech frames (speaker-verification.md §0–1;
 * variance normalisation as in SIDEKIT's per-file CMVN: it made the GMM score robust to the
 * telephone channel, models/README.md).
 * Deltas are computed on the whole utterance before frames are selected (as Kaldi does), so
 * speech frames next to a pause keep their true context.
 *
 * @example
 * const features = extractFeatures(decodeWav(bytes));
 * features.data.subarray(0, features.dims); // first speech frame
 */
export function extractFeatures(audio: Audio, config: FeatureConfig = FEATURE_CONFIGS[audio.sampleRate], frontEnd: FrontEndOptions = FRONT_END): Features {
  const statics = staticFeatures(audio, config);
  const ceps = config.ceps;
  const frames = statics.frames;
  const cepstra = frontEnd.floorDb === null ? statics.cepstra : flooredCepstra(statics, config, frontEnd.floorDb);
  const d1 = deltas(cepstra, frames, ceps, config.deltaWindow);
  const d2 = deltas(d1, frames, ceps, config.deltaWindow);
  const speechMask = energyVad(statics.logEnergy, DEFAULT_VAD);
  let count = 0;
  for (const s of speechMask) count += s;
  const dims = 3 * ceps;
  const data = new Float32Array(count * dims);
  let row = 0;
  for (let t = 0; t < frames; t++) {
    if (!speechMask[t]) continue;
    data.set(cepstra.subarray(t * ceps, (t + 1) * ceps), row * dims);
    data.set(d1.subarray(t * ceps, (t + 1) * ceps), row * dims + ceps);
    data.set(d2.subarray(t * ceps, (t + 1) * ceps), row * dims + 2 * ceps);
    row++;
  }
  applyCmn(data, count, dims);
  applyVarianceNorm(data, count, dims);
  return { sampleRate: config.sampleRate, dims, count, data, totalFrames: frames, speechFrames: count, speechMask, frameLogEnergy: statics.logEnergy };
}

/** Subtracts each dimension's mean over the given frames, in place (utterance-level CMN). */
function applyCmn(data: Float32Array, count: number, dims: number): void {
  if (count === 0) return;
  const mean = new Float64Array(dims);
  for (let t = 0; t < count; t++) for (let d = 0; d < dims; d++) mean[d] = mean[d]! + data[t * dims + d]!;
  for (let d = 0; d < dims; d++) mean[d] = mean[d]! / count;
  for (let t = 0; t < count; t++) for (let d = 0; d < dims; d++) data[t * dims + d] = data[t * dims + d]! - mean[d]!;
}

/** Scales each dimension to unit variance over the given frames, in place (after CMN: CMVN). */
function applyVarianceNorm(data: Float32Array, count: number, dims: number): void {
  if (count < 2) return;
  const sq = new Float64Array(dims);
  for (let t = 0; t < count; t++) for (let d = 0; d < dims; d++) sq[d] = sq[d]! + data[t * dims + d]! ** 2;
  for (let d = 0; d < dims; d++) {
    const scale = 1 / Math.sqrt(Math.max(sq[d]! / count, 1e-8));
    for (let t = 0; t < count; t++) data[t * dims + d] = data[t * dims + d]! * scale;
  }
}
