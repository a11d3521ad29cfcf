import type { Audio } from '../audio/audio.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from '../audio/resample.ts';
import { dtwDistance, type Sequence } from '../model/dtw.ts';
import { packInt16, unpackInt16 } from '../model/packed-arrays.ts';
import { DIGIT_DIMS, frameFeatures, normalise } from './digit-features.ts';
import { isDigitString, toleratedErrors, type DigitString } from './digit-prompts.ts';
import { segmentWords, type Segment } from './segment-digits.ts';

/** Recognition constants, each with why. */
const DIGIT_MATCHING = {
  /** Sakoe–Chiba band for isolated words: wider than for phrases (a single word's timing varies more). */
  band: 0.25,
  /** Template values stored as int16 × 1/scale (resolution 0.008 on CMVN'd features). */
  scale: 128,
  /** Every 2nd frame of a word (20 ms): a digit keeps 15–25 frames, DTW costs a quarter. */
  step: 2,
  /** SNR (dB) of the noise floor of each enrolment recording's telephone twin (the engine's speaker twin used 25 dB too). */
  twinSnrDb: 25,
} as const;

/**
 * The `digits` part of a v2 voiceprint (text-prompted mode): per digit, the DTW templates cut from
 * the enrolment recordings (statics + Δ, 8 kHz front end, CMVN per utterance), so a challenge can
 * check that the prompted digits were said, by this speaker's own way of saying them.
 */
export interface DigitTemplates {
  format: 'verity-digits/1';
  dims: number;
  scale: number;
  /** digit → its templates, base64 Int16 (÷ scale), frames × dims. */
  templates: Record<string, string[]>;
  /** Mean DTW distance among the templates of one digit: the speaker's repeat-to-repeat spread. */
  spread: number;
}

export type DigitProblemCode = 'digits_unclear' | 'inconsistent';

export interface DigitEnrollResult {
  digits: DigitTemplates | undefined;
  problems: Array<{ index: number; code: DigitProblemCode; message: string }>;
}

export interface DigitMatch {
  /** The digits recognised, one per segment found ('' when the count differs from the prompt). */
  recognised: string;
  /** True when the prompted digits were said (at most `tolerance` substitutions on long prompts). */
  ok: boolean;
  /** Segments found (forced toward the prompt length). */
  segments: number;
  /** Positions where the prompted digit was not the nearest. */
  errors: number;
  /** Mean over positions of (nearest other digit − prompted digit) / spread: > 0 when the prompt was said. */
  margin: number;
}

const UNCLEAR = 'We could not hear each digit separately: say the digits again, with a short pause after each.';

/**
 * Cuts an utterance into `count` word segments (every `step`-th frame of each); undefined when it
 * does not split into that many. `telephoneBand`: the audio is already band-limited (the engine's copy).
 */
export function digitSequences(audio: Audio, count: number, telephoneBand = false): Sequence[] | undefined {
  return cutWords(audio, count, telephoneBand)?.sequences;
}

function cutWords(audio: Audio, count: number, telephoneBand: boolean): { sequences: Sequence[]; segments: Segment[] } | undefined {
  const features = frameFeatures(audio, telephoneBand);
  const segments = segmentWords(features.logEnergy, count);
  if (segments.length !== count) return undefined;
  normalise(features, segments);
  return { sequences: segments.map((s) => slice(features.data, s)), segments };
}

/**
 * The same words as a call would carry them (telephone band, a noise floor at DIGIT_MATCHING.twinSnrDb,
 * G.711 µ-law), cut at the clean recording's boundaries: a browser enrolment then also recognises
 * digits said over the phone. Deterministic (the noise seed is the recording's index).
 */
function telephoneTwin(audio: Audio, segments: readonly Segment[], telephoneBand: boolean, seed: number): Sequence[] {
  const phone = telephoneBand ? audio : toTelephoneBand(audio);
  const features = frameFeatures(g711RoundTrip(addNoise(phone, DIGIT_MATCHING.twinSnrDb, seed), 'ulaw'), true);
  normalise(features, segments);
  return segments.map((s) => slice(features.data, s));
}

/**
 * Builds the digit templates from the enrolment recordings and the prompts they answered. A
 * recording that does not split into its prompt's digits is `digits_unclear`; one whose digits
 * are not recognised by the templates of the other recordings is `inconsistent` (the wrong digits
 * were said, or another voice).
 */
export function enrollDigits(recordings: readonly Audio[], prompts: readonly DigitString[], telephoneBand = false): DigitEnrollResult {
  if (recordings.length !== prompts.length || !prompts.every(isDigitString)) throw new RangeError('one digit prompt per recording');
  const problems: DigitEnrollResult['problems'] = [];
  const words = recordings.map((audio, index) => {
    const cut = cutWords(audio, prompts[index]!.length, telephoneBand);
    if (!cut) problems.push({ index, code: 'digits_unclear', message: UNCLEAR });
    return cut;
  });
  const cut = words.map((w) => w?.sequences);
  if (problems.length > 0) return { digits: undefined, problems };
  const byDigit = (skip: number): Map<string, Sequence[]> => {
    const map = new Map<string, Sequence[]>();
    cut.forEach((sequences, i) => {
      if (i === skip) return;
      sequences!.forEach((s, k) => map.set(prompts[i]![k]!, [...(map.get(prompts[i]![k]!) ?? []), s]));
    });
    return map;
  };
  // Leave one recording out: its digits must be recognised by the others' templates.
  for (let i = 0; i < cut.length; i++) {
    const others = byDigit(i);
    let wrong = 0;
    let checked = 0;
    cut[i]!.forEach((s, k) => {
      const digit = prompts[i]![k]!;
      if (!others.has(digit)) return;
      checked++;
      if (nearest(others, s).digit !== digit) wrong++;
    });
    if (checked > 0 && wrong > Math.max(1, Math.floor(checked / 3))) problems.push({ index: i, code: 'inconsistent', message: 'This recording does not sound like the others: say the digits shown again.' });
  }
  if (problems.length > 0) return { digits: undefined, problems };
  const all = byDigit(-1);
  const distances: number[] = [];
  for (const list of all.values()) for (let a = 0; a < list.length; a++) for (let b = a + 1; b < list.length; b++) distances.push(dtwDistance(list[a]!, list[b]!, { band: DIGIT_MATCHING.band }));
  const spread = distances.length > 0 ? distances.reduce((s, d) => s + d, 0) / distances.length : 1;
  recordings.forEach((audio, i) =>
    telephoneTwin(audio, words[i]!.segments, telephoneBand, i + 1).forEach((s, k) => all.set(prompts[i]![k]!, [...(all.get(prompts[i]![k]!) ?? []), s])),
  );
  const templates: Record<string, string[]> = {};
  for (const [digit, list] of [...all.entries()].sort()) templates[digit] = list.map((s) => packInt16(s.data, DIGIT_MATCHING.scale));
  return { digits: { format: 'verity-digits/1', dims: DIGIT_DIMS, scale: DIGIT_MATCHING.scale, templates, spread: Math.round(spread * 1e4) / 1e4 }, problems };
}

/** Checks that `audio` says `prompt`, digit by digit, against the speaker's digit templates. */
export function matchDigits(model: DigitTemplates, audio: Audio, prompt: DigitString, telephoneBand = false): DigitMatch {
  const sequences = digitSequences(audio, prompt.length, telephoneBand);
  if (!sequences) return { recognised: '', ok: false, segments: 0, errors: prompt.length, margin: -1 };
  const templates = unpackTemplates(model);
  let errors = 0;
  let margin = 0;
  let recognised = '';
  sequences.forEach((s, k) => {
    const want = prompt[k]!;
    const { digit, distances } = nearest(templates, s);
    recognised += digit;
    if (digit !== want) errors++;
    const own = distances.get(want) ?? Infinity;
    let other = Infinity;
    for (const [d, value] of distances) if (d !== want) other = Math.min(other, value);
    margin += Math.max(-4, Math.min(4, (other - own) / Math.max(model.spread, 1e-3)));
  });
  const allowed = toleratedErrors(prompt.length);
  return { recognised, ok: errors <= allowed, segments: sequences.length, errors, margin: Math.round((margin / prompt.length) * 1e4) / 1e4 };
}

function unpackTemplates(model: DigitTemplates): Map<string, Sequence[]> {
  if (model.format !== 'verity-digits/1') throw new RangeError('not a digit template set');
  return new Map(Object.entries(model.templates).map(([digit, list]) => [digit, list.map((t) => {
    const data = unpackInt16(t, model.scale);
    return { dims: model.dims, count: data.length / model.dims, data };
  })]));
}

/** The digit whose templates are nearest (mean of the two best DTW distances, or the one). */
function nearest(templates: ReadonlyMap<string, Sequence[]>, sequence: Sequence): { digit: string; distances: Map<string, number> } {
  const distances = new Map<string, number>();
  let best = '';
  let bestDistance = Infinity;
  for (const [digit, list] of templates) {
    const d = list.map((t) => dtwDistance(sequence, t, { band: DIGIT_MATCHING.band })).sort((a, b) => a - b);
    const value = d.length > 1 ? (d[0]! + d[1]!) / 2 : d[0]!;
    distances.set(digit, value);
    if (value < bestDistance) {
      bestDistance = value;
      best = digit;
    }
  }
  return { digit: best, distances };
}

function slice(data: Float32Array, s: Segment): Sequence {
  const count = Math.ceil((s.end - s.start) / DIGIT_MATCHING.step);
  const out = new Float32Array(count * DIGIT_DIMS);
  for (let k = 0; k < count; k++) {
    const t = s.start + k * DIGIT_MATCHING.step;
    out.set(data.subarray(t * DIGIT_DIMS, (t + 1) * DIGIT_DIMS), k * DIGIT_DIMS);
  }
  return { dims: DIGIT_DIMS, count, data: out };
}

/** Whether a value is a well-formed DigitTemplates (voiceprints come from storage). */
export function isDigitTemplates(value: unknown): value is DigitTemplates {
  const m = value as Partial<DigitTemplates> | null;
  return !!m && m.format === 'verity-digits/1' && typeof m.dims === 'number' && typeof m.scale === 'number' && typeof m.spread === 'number' && !!m.templates && typeof m.templates === 'object'
    && Object.entries(m.templates).every(([digit, list]) => /^[0-9]$/.test(digit) && Array.isArray(list) && list.every((t) => typeof t === 'string'));
}
