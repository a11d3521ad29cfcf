import type { Audio } from '../audio/audio.ts';
import type { FeatureConfig } from './feature-config.ts';
import { powerSpectrum } from './fft.ts';
import { melFilterbank } from './mel-filterbank.ts';

/** Per-frame static features before VAD, deltas and CMN (row-major, `frames` rows). */
export interface StaticFeatures {
  frames: number;
  /** frames × melBins natural-log filterbank energies. */
  logMel: Float32Array;
  /** frames × ceps liftered cepstra, C0 replaced by logEnergy. */
  cepstra: Float32Array;
  /** ln(Σx² + N) of each frame on int16-scaled, DC-removed samples (see {@link energyFloor}). */
  logEnergy: Float32Array;
}

/**
 * Additive floor on frame and filter energies, in int16² units: N (the frame length) is the
 * energy a frame of ±1 LSB dither would carry. Kaldi dithers with σ = 1 so that silence has
 * log-energy ≈ ln N ≈ 6 and compute-vad's constants keep their meaning; adding the dither's
 * expected energy instead of random dither keeps that scale and makes features deterministic.
 */
function energyFloor(config: FeatureConfig): number {
  return config.frameLength;
}

/** Frames of a signal with Kaldi's snip-edges rule: 1 + ⌊(len − N)/shift⌋, 0 when len < N. */
function frameCount(samples: number, config: FeatureConfig): number {
  return samples < config.frameLength ? 0 : 1 + Math.floor((samples - config.frameLength) / config.frameShift);
}

/** Hamming window 0.54 − 0.46·cos(2πn/(N−1)) (numpy.hamming). */
export function hammingWindow(length: number): Float64Array {
  return Float64Array.from({ length }, (_, n) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (length - 1)));
}

/** DCT-II with orthonormal scaling (scipy.fft.dct(type=2, norm='ortho')), rows = output index. */
function dctMatrix(outputs: number, inputs: number): Float64Array {
  const m = new Float64Array(outputs * inputs);
  for (let k = 0; k < outputs; k++) {
    const scale = k === 0 ? Math.sqrt(1 / inputs) : Math.sqrt(2 / inputs);
    for (let n = 0; n < inputs; n++) m[k * inputs + n] = scale * Math.cos((Math.PI * k * (n + 0.5)) / inputs);
  }
  return m;
}

/** Kaldi's cepstral lifter: 1 + (L/2)·sin(πk/L). */
function lifterWeights(ceps: number, lifter: number): Float64Array {
  return Float64Array.from({ length: ceps }, (_, k) => 1 + (lifter / 2) * Math.sin((Math.PI * k) / lifter));
}

const cache = new Map<FeatureConfig, { window: Float64Array; dct: Float64Array; lifter: Float64Array }>();

/**
 * The documented front end, frame by frame (scripts/voiceprint-reference/make-vectors.py is the
 * same recipe in numpy):
 * 1. samples × 32768 (int16 scale); frames of N samples every `frameShift`, snip edges;
 * 2. remove the frame's DC; log-energy = ln(Σx² + N);
 * 3. pre-emphasis y[0] = x[0] − 0.97·x[0], y[n] = x[n] − 0.97·x[n−1] (per frame, as Kaldi);
 * 4. Hamming window; zero-pad to fftSize; power spectrum |X_k|²;
 * 5. mel filterbank; ln(energy + N);
 * 6. orthonormal DCT-II, first `ceps` outputs; lifter; C0 ← log-energy.
 */
export function staticFeatures(audio: Audio, config: FeatureConfig): StaticFeatures {
  if (audio.sampleRate !== config.sampleRate) throw new RangeError(`Feature config for ${config.sampleRate} Hz given ${audio.sampleRate} Hz audio`);
  let tables = cache.get(config);
  if (!tables) {
    tables = { window: hammingWindow(config.frameLength), dct: dctMatrix(config.ceps, config.melBins), lifter: lifterWeights(config.ceps, config.lifter) };
    cache.set(config, tables);
  }
  const { window, dct, lifter } = tables;
  const bank = melFilterbank(config);
  const floor = energyFloor(config);
  const N = config.frameLength;
  const frames = frameCount(audio.samples.length, config);
  const logMel = new Float32Array(frames * config.melBins);
  const cepstra = new Float32Array(frames * config.ceps);
  const logEnergy = new Float32Array(frames);

  const frame = new Float64Array(N);
  const spectrum = new Float64Array(config.fftSize / 2 + 1);
  const scratch = { re: new Float64Array(config.fftSize), im: new Float64Array(config.fftSize) };
  const mel = new Float64Array(config.melBins);

  for (let t = 0; t < frames; t++) {
    const start = t * config.frameShift;
    let mean = 0;
    for (let n = 0; n < N; n++) {
      frame[n] = audio.samples[start + n]! * 32768;
      mean += frame[n]!;
    }
    mean /= N;
    let energy = 0;
    for (let n = 0; n < N; n++) {
      frame[n] = frame[n]! - mean;
      energy += frame[n]! * frame[n]!;
    }
    logEnergy[t] = Math.log(energy + floor);
    for (let n = N - 1; n > 0; n--) frame[n] = frame[n]! - config.preEmphasis * frame[n - 1]!;
    frame[0] = frame[0]! * (1 - config.preEmphasis);
    for (let n = 0; n < N; n++) frame[n] = frame[n]! * window[n]!;
    powerSpectrum(frame, config.fftSize, spectrum, scratch);
    for (let m = 0; m < config.melBins; m++) {
      const filter = bank[m]!;
      let sum = 0;
      for (let j = 0; j < filter.weights.length; j++) sum += filter.weights[j]! * spectrum[filter.first + j]!;
      mel[m] = Math.log(sum + floor);
      logMel[t * config.melBins + m] = mel[m]!;
    }
    cepstrumOf(mel, logEnergy[t]!, dct, lifter, config, cepstra, t * config.ceps);
  }
  return { frames, logMel, cepstra, logEnergy };
}

function cepstrumOf(mel: ArrayLike<number>, logEnergy: number, dct: Float64Array, lifter: Float64Array, config: FeatureConfig, out: Float32Array, at: number): void {
  for (let k = 0; k < config.ceps; k++) {
    let sum = 0;
    for (let m = 0; m < config.melBins; m++) sum += dct[k * config.melBins + m]! * mel[m]!;
    out[at + k] = k === 0 ? logEnergy : sum * lifter[k]!;
  }
}

/**
 * Cepstra of {@link staticFeatures} recomputed after raising every frame's filterbank and frame
 * energies by a white floor `floorDb` below the utterance's loud-frame level (the 90th percentile).
 * It is what a noise floor at that SNR does to the spectrum, done deterministically: clean audio
 * and audio with real noise at or below that SNR end up with similar spectral valleys, so their
 * cepstra agree (models/README.md "Tuning log": clean vs noisy-call mismatch).
 */
export function flooredCepstra(statics: StaticFeatures, config: FeatureConfig, floorDb: number): Float32Array {
  const tables = cache.get(config)!;
  const bank = melFilterbank(config);
  const width = bank.map((f) => f.weights.reduce((s, w) => s + w, 0));
  const totalWidth = width.reduce((s, w) => s + w, 0);
  const frames = statics.frames;
  const bins = config.melBins;
  const N = energyFloor(config);
  const melPower = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    for (let m = 0; m < bins; m++) sum += Math.max(Math.exp(statics.logMel[t * bins + m]!) - N, 0);
    melPower[t] = sum;
  }
  const energies = Float64Array.from(statics.logEnergy, (e) => Math.max(Math.exp(e) - N, 0));
  const gain = 10 ** (-floorDb / 10);
  const melFloor = percentile(melPower, 0.9) * gain;
  const energyFloorValue = percentile(energies, 0.9) * gain;
  const out = new Float32Array(frames * config.ceps);
  const mel = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < bins; m++) mel[m] = Math.log(Math.exp(statics.logMel[t * bins + m]!) + (melFloor * width[m]!) / totalWidth);
    cepstrumOf(mel, Math.log(energies[t]! + energyFloorValue + N), tables.dct, tables.lifter, config, out, t * config.ceps);
  }
  return out;
}

function percentile(values: Float64Array, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Only the frame log-energies of {@link staticFeatures} (no FFT): quality checks and VAD. */
export function frameLogEnergies(audio: Audio, config: FeatureConfig): Float32Array {
  const N = config.frameLength;
  const frames = frameCount(audio.samples.length, config);
  const out = new Float32Array(frames);
  const floor = energyFloor(config);
  for (let t = 0; t < frames; t++) {
    const start = t * config.frameShift;
    let sum = 0;
    let squares = 0;
    for (let n = 0; n < N; n++) {
      const x = audio.samples[start + n]! * 32768;
      sum += x;
      squares += x * x;
    }
    out[t] = Math.log(Math.max(squares - (sum * sum) / N, 0) + floor);
  }
  return out;
}
