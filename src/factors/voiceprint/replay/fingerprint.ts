import type { Audio } from '../audio/audio.ts';
import { toTelephoneBand } from '../audio/resample.ts';
import { powerSpectrum } from '../features/fft.ts';
import { hammingWindow } from '../features/mfcc.ts';

// Haitsma & Kalker's (ISMIR 2002) sub-band energy-difference fingerprint, fitted to telephone
// speech: computed on the 8 kHz telephone-band version of any input (so a 16 kHz original and its
// 8 kHz / G.711 copy give the same bits), 64 ms frames every 8 ms (long, heavily overlapped frames
// make the bits insensitive to sub-frame misalignment), 17 log-spaced bands over 300–3400 Hz → 16
// bits per frame: bit m = sign of (E[n,m] − E[n,m+1]) − (E[n−1,m] − E[n−1,m+1]). Ratios of energies
// cancel any gain. Frames more than 35 dB below the loud frames carry no bits (silence would
// otherwise make every pair of recordings look alike).

const FRAME = 512;
const HOP = 64;
const BANDS = 17;
const LOW_HZ = 300;
const HIGH_HZ = 3400;
const ACTIVE_BELOW_LOUD_DB = 35;
const ACTIVE_FLAG = 0x80000000;
const PREFIX = 'fp1:';

/** Fewest active frames two fingerprints must share at an alignment to be compared (0.4 s). */
const MIN_OVERLAP_FRAMES = 50;

/** A fingerprint in memory: one 32-bit word per frame (bits 0–15: sub-band bits, bit 31: active). */
export type Fingerprint = Uint32Array;

const bandEdges: number[] = (() => {
  const edges: number[] = [];
  for (let b = 0; b <= BANDS; b++) {
    const hz = LOW_HZ * (HIGH_HZ / LOW_HZ) ** (b / BANDS);
    edges.push(Math.round((hz * FRAME) / 8000));
  }
  return edges;
})();

const window = hammingWindow(FRAME);

/**
 * The fingerprint of an utterance.
 *
 * @example
 * const stored = encodeFingerprint(fingerprint(audio)); // base64 text, about 1.4 KB for 3 s
 */
export function fingerprint(audio: Audio): Fingerprint {
  return telephoneBandFingerprint(toTelephoneBand(audio));
}

/** The fingerprint of audio already brought to the telephone band (the engine has it at hand: no second band-pass). */
export function telephoneBandFingerprint(telephoneBand: Audio): Fingerprint {
  const phone = telephoneBand.samples;
  const frames = phone.length < FRAME ? 0 : 1 + Math.floor((phone.length - FRAME) / HOP);
  const energies = new Float64Array(frames * BANDS);
  const totals = new Float64Array(frames);
  const frame = new Float64Array(FRAME);
  const spectrum = new Float64Array(FRAME / 2 + 1);
  const scratch = { re: new Float64Array(FRAME), im: new Float64Array(FRAME) };
  for (let t = 0; t < frames; t++) {
    for (let n = 0; n < FRAME; n++) frame[n] = phone[t * HOP + n]! * window[n]!;
    powerSpectrum(frame, FRAME, spectrum, scratch);
    for (let b = 0; b < BANDS; b++) {
      let sum = 0;
      for (let k = bandEdges[b]!; k < bandEdges[b + 1]!; k++) sum += spectrum[k]!;
      energies[t * BANDS + b] = sum;
      totals[t] = totals[t]! + sum;
    }
  }
  const sorted = Array.from(totals).sort((x, y) => x - y);
  const loud = sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0;
  const activeFloor = Math.max(loud * 10 ** (-ACTIVE_BELOW_LOUD_DB / 10), 1e-12);
  const out = new Uint32Array(frames);
  for (let t = 1; t < frames; t++) {
    if (totals[t]! < activeFloor || totals[t - 1]! < activeFloor) continue;
    let word = ACTIVE_FLAG;
    for (let b = 0; b < BANDS - 1; b++) {
      const now = energies[t * BANDS + b]! - energies[t * BANDS + b + 1]!;
      const before = energies[(t - 1) * BANDS + b]! - energies[(t - 1) * BANDS + b + 1]!;
      if (now - before > 0) word |= 1 << b;
    }
    out[t] = word >>> 0;
  }
  return out;
}

/** Text form: "fp1:" + base64 of the little-endian 32-bit words. */
export function encodeFingerprint(fp: Fingerprint): string {
  const bytes = new Uint8Array(fp.length * 4);
  const view = new DataView(bytes.buffer);
  fp.forEach((w, i) => view.setUint32(i * 4, w, true));
  return PREFIX + Buffer.from(bytes).toString('base64');
}

/** Parses {@link encodeFingerprint}'s output; an unknown or damaged text gives an empty fingerprint. */
export function decodeFingerprint(text: string): Fingerprint {
  if (!text.startsWith(PREFIX)) return new Uint32Array(0);
  const bytes = Buffer.from(text.slice(PREFIX.length), 'base64');
  const out = new Uint32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readUInt32LE(i * 4);
  return out;
}

/**
 * 1 − bit error rate between two fingerprints at their best alignment (every offset that leaves
 * ≥ 0.4 s of frames active in both), over the frames active in both. About 0.5 for unrelated
 * audio, about 0.6–0.7 for two live repeats of one phrase by one speaker, above 0.85 for a copy
 * (gain change, resampling, G.711). Accepts encoded strings or decoded fingerprints.
 *
 * @example
 * if (replaySimilarity(fpNow, fpSeen) > REPLAY_THRESHOLD) reject('replay_suspected');
 */
export function replaySimilarity(a: Fingerprint | string, b: Fingerprint | string): number {
  const x = typeof a === 'string' ? decodeFingerprint(a) : a;
  const y = typeof b === 'string' ? decodeFingerprint(b) : b;
  let best = 0;
  for (let offset = -(y.length - MIN_OVERLAP_FRAMES); offset <= x.length - MIN_OVERLAP_FRAMES; offset++) {
    let frames = 0;
    let errors = 0;
    const from = Math.max(0, offset);
    const to = Math.min(x.length, y.length + offset);
    for (let i = from; i < to; i++) {
      const p = x[i]!;
      const q = y[i - offset]!;
      if ((p & q & ACTIVE_FLAG) === 0) continue;
      frames++;
      errors += popcount16((p ^ q) & 0xffff);
    }
    if (frames < MIN_OVERLAP_FRAMES) continue;
    const similarity = 1 - errors / (frames * (BANDS - 1));
    if (similarity > best) best = similarity;
  }
  return best;
}

function popcount16(v: number): number {
  v = v - ((v >> 1) & 0x5555);
  v = (v & 0x3333) + ((v >> 2) & 0x3333);
  v = (v + (v >> 4)) & 0x0f0f;
  return (v + (v >> 8)) & 0x1f;
}
