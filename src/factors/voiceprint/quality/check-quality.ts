import type { Audio } from '../audio/audio.ts';
import { energyVad } from '../features/energy-vad.ts';
import { FEATURE_CONFIGS } from '../features/feature-config.ts';
import { powerSpectrum } from '../features/fft.ts';
import { frameLogEnergies, hammingWindow } from '../features/mfcc.ts';

export type QualityProblemCode = 'too_short' | 'too_quiet' | 'clipped' | 'too_noisy' | 'mostly_silence' | 'narrow_band' | 'gated';

export interface QualityProblem {
  code: QualityProblemCode;
  /** Safe to show to the person recording. */
  message: string;
}

interface QualityStats {
  durationSeconds: number;
  /** Frames the energy VAD keeps, × 10 ms. */
  speechSeconds: number;
  /** RMS level of the speech frames, dB re full scale (−120 when there is no speech). */
  rmsDbfs: number;
  peakDbfs: number;
  /** Share of samples sitting at the rail (see {@link clippedFraction}). */
  clippedFraction: number;
  /** Speech power over noise power, dB (noise: the quietest 10 % of frames). Capped at 99. */
  snrDb: number;
  /** 90th percentile over speech frames of the share of a frame's 300–3400 Hz power in 2500–3400 Hz, dB (−99 when none). */
  highBandDb: number;
  /** Share of the frames between the first and last speech frame that are digital silence. */
  gatedFraction: number;
}

export interface QualityReport {
  ok: boolean;
  problems: QualityProblem[];
  stats: QualityStats;
}

export type QualityRole = 'enroll' | 'verify';

/**
 * Gates from speaker-verification.md §5 (the anchors are cited there; values marked *est.* are
 * engineering choices). Enrolment is stricter than verification: a poor enrolment spoils every
 * later verification.
 */
const QUALITY_THRESHOLDS = {
  /** VAD speech per utterance (VoiceIt asks ≥ 1.3 s continuous; Azure TD verify ≥ 1 s). */
  minSpeechSeconds: { enroll: 1.5, verify: 1.0 },
  /** Active speech level below this is too quiet (reference: accept −40 … −10 dBFS). */
  minSpeechDbfs: -40,
  /** Share of samples at the rail above which the recording is clipped (0.1 %). */
  maxClippedFraction: 0.001,
  /** Azure text-dependent verify ≥ 10 dB; enrol 15 dB (*est.*). */
  minSnrDb: { enroll: 15, verify: 10 },
  /** Below this share of speech frames the recording is mostly silence (*est.*). */
  minSpeechFraction: 0.2,
  /**
   * Effective bandwidth below the telephone band: in normal speech the fricative frames put a
   * large share (≈ −10…0 dB) of their 300–3400 Hz power above 2.5 kHz, even after noise
   * suppression removed the weak bins; a chain low-passed near 2 kHz (muffled microphone, bad
   * resampling) leaves no such frame (*est.*; the bench reports the refusals per condition). The
   * 90th percentile over frames, not the mean: noise suppression empties the high band of the
   * quiet frames only.
   */
  minHighBandDb: -30,
  /**
   * Heavy noise-suppression gating: more than this share of the frames inside the utterance are
   * digital silence (the suppressor cut everything between and inside words) (*est.*).
   */
  maxGatedFraction: 0.5,
} as const;

/** A frame quieter than this (≈ ±3 LSB RMS) is digital silence: nothing a microphone delivers. */
const DIGITAL_SILENCE_POWER = 10 ** (-80 / 10);
/** "We could not hear you clearly" + the specific hint: the message every quality refusal starts with. */
const NOT_HEARD = 'We could not hear you clearly';

const NOISE_PERCENTILE = 0.1;
/** Power of ±1 LSB: the floor of any noise estimate (−90.3 dBFS). */
const LSB_POWER = 1 / 32768 ** 2;

/**
 * Checks a recording before it is enrolled or verified and says what to fix.
 *
 * @example
 * const report = checkQuality(audio, 'enroll');
 * if (!report.ok) show(report.problems.map((p) => p.message));
 */
export function checkQuality(audio: Audio, role: QualityRole): QualityReport {
  const config = FEATURE_CONFIGS[audio.sampleRate];
  const logEnergy = frameLogEnergies(audio, config);
  const speech = energyVad(logEnergy);
  const frames = logEnergy.length;
  const N = config.frameLength;
  // Frame mean-square power relative to full scale (undo the ln(Σx² + N) floor of the energies).
  const power = Float64Array.from(logEnergy, (e) => Math.max(Math.exp(e) - N, 0) / N / 32768 ** 2);

  let speechFrames = 0;
  let speechPower = 0;
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    speechFrames++;
    speechPower += power[t]!;
  }
  speechPower = speechFrames > 0 ? speechPower / speechFrames : 0;
  const sorted = Array.from(power).sort((a, b) => a - b);
  const quiet = sorted.slice(0, Math.max(1, Math.floor(NOISE_PERCENTILE * frames)));
  const noisePower = Math.max(quiet.reduce((s, p) => s + p, 0) / Math.max(quiet.length, 1), LSB_POWER);
  const snrDb = speechFrames === 0 ? 0 : Math.min(99, 10 * Math.log10(Math.max(speechPower - noisePower, LSB_POWER) / noisePower));

  let peak = 0;
  for (const s of audio.samples) peak = Math.max(peak, Math.abs(s));
  let first = -1;
  let last = -1;
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    if (first < 0) first = t;
    last = t;
  }
  let silent = 0;
  for (let t = first; first >= 0 && t <= last; t++) if (power[t]! < DIGITAL_SILENCE_POWER) silent++;
  const gatedFraction = first >= 0 ? silent / (last - first + 1) : 0;
  const stats: QualityStats = {
    durationSeconds: audio.samples.length / audio.sampleRate,
    speechSeconds: (speechFrames * config.frameShift) / audio.sampleRate,
    rmsDbfs: toDb(speechPower),
    peakDbfs: toDb(peak * peak),
    clippedFraction: clippedFraction(audio.samples),
    snrDb: round(snrDb),
    highBandDb: round(highBandShareDb(audio, speech, config.frameShift, config.frameLength)),
    gatedFraction: round(gatedFraction),
  };
  stats.rmsDbfs = round(stats.rmsDbfs);
  stats.peakDbfs = round(stats.peakDbfs);

  const t = QUALITY_THRESHOLDS;
  const problems: QualityProblem[] = [];
  if (stats.speechSeconds < t.minSpeechSeconds[role]) {
    problems.push({ code: 'too_short', message: `${NOT_HEARD}: say the whole phrase (we heard ${stats.speechSeconds.toFixed(1)} s of speech and need at least ${t.minSpeechSeconds[role]} s).` });
  }
  if (stats.rmsDbfs < t.minSpeechDbfs) problems.push({ code: 'too_quiet', message: `${NOT_HEARD}: speak a little louder, or move closer to the microphone.` });
  if (stats.clippedFraction > t.maxClippedFraction) problems.push({ code: 'clipped', message: `${NOT_HEARD}: the recording is distorted; speak a little softer, or move back from the microphone.` });
  if (speechFrames > 0 && stats.snrDb < t.minSnrDb[role]) problems.push({ code: 'too_noisy', message: `${NOT_HEARD}: move away from noise, there is too much background sound.` });
  if (frames > 0 && speechFrames / frames < t.minSpeechFraction) problems.push({ code: 'mostly_silence', message: `${NOT_HEARD}: the recording is mostly silence; start speaking as soon as recording starts.` });
  if (frames === 0 && !problems.some((p) => p.code === 'too_short')) problems.push({ code: 'too_short', message: `${NOT_HEARD}: the recording is too short.` });
  if (speechFrames > 0 && stats.highBandDb < t.minHighBandDb) problems.push({ code: 'narrow_band', message: `${NOT_HEARD}: the sound is muffled; use another microphone or headset.` });
  if (stats.gatedFraction > t.maxGatedFraction) problems.push({ code: 'gated', message: `${NOT_HEARD}: your device cut out parts of your voice; turn off noise suppression or move somewhere quieter.` });
  return { ok: problems.length === 0, problems, stats };
}

/**
 * Share of samples in runs of ≥ 2 consecutive samples within 1.5 LSB of the positive or negative
 * peak, when that peak is above −12 dBFS. A clipped waveform piles up flat tops at the rail
 * (Hansen et al. 2021); a loud but clean waveform touches its peak at isolated samples.
 */
export function clippedFraction(samples: Float32Array): number {
  let max = 0;
  let min = 0;
  for (const s of samples) {
    if (s > max) max = s;
    if (s < min) min = s;
  }
  const tolerance = 1.5 / 32768;
  const atRail = (s: number): boolean => (max >= 0.25 && s >= max - tolerance) || (min <= -0.25 && s <= min + tolerance);
  let clipped = 0;
  for (let i = 0; i < samples.length; ) {
    if (!atRail(samples[i]!)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < samples.length && atRail(samples[end]!) && Math.sign(samples[end]!) === Math.sign(samples[i]!)) end++;
    if (end - i >= 2) clipped += end - i;
    i = end;
  }
  return samples.length === 0 ? 0 : clipped / samples.length;
}

/**
 * The 90th percentile over speech frames (every 2nd) of the share of the frame's 300–3400 Hz power
 * that lies in 2500–3400 Hz, dB. Low values mean the chain cut the band below the telephone band.
 */
function highBandShareDb(audio: Audio, speech: Uint8Array, shift: number, length: number): number {
  const size = audio.sampleRate === 16000 ? 512 : 256;
  const binHz = audio.sampleRate / size;
  const window = hammingWindow(length);
  const frame = new Float64Array(length);
  const spectrum = new Float64Array(size / 2 + 1);
  const scratch = { re: new Float64Array(size), im: new Float64Array(size) };
  const shares: number[] = [];
  let used = 0;
  for (let t = 0; t < speech.length; t++) {
    if (!speech[t] || used++ % 2 === 1) continue;
    for (let n = 0; n < length; n++) frame[n] = (audio.samples[t * shift + n] ?? 0) * window[n]!;
    powerSpectrum(frame, size, spectrum, scratch);
    let band = 0;
    let high = 0;
    for (let k = Math.ceil(300 / binHz); k * binHz <= 3400; k++) {
      band += spectrum[k]!;
      if (k * binHz >= 2500) high += spectrum[k]!;
    }
    shares.push(band > 0 && high > 0 ? Math.max(-99, 10 * Math.log10(high / band)) : -99);
  }
  if (shares.length === 0) return -99;
  shares.sort((a, b) => a - b);
  return shares[Math.min(shares.length - 1, Math.floor(0.9 * shares.length))]!;
}

function toDb(power: number): number {
  return power > 0 ? Math.max(-120, 10 * Math.log10(power)) : -120;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
