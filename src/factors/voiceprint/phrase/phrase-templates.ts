import type { Features } from '../features/extract-features.ts';
import { decimate, dtwDistance, type Sequence } from '../model/dtw.ts';
import { packInt16, unpackInt16 } from '../model/packed-arrays.ts';

/** Tuning of the phrase (content) part: DTW templates of the enrolled pass-phrase (reference §2.5). */
export const PHRASE_DEFAULTS = {
  /** Templates keep statics + Δ (40 dims) of every 2nd speech frame. */
  templateStep: 2,
  templateDims: 40,
  /** Template values are stored as int16 × 1/128 (resolution 0.008, range ±256). */
  templateScale: 128,
  /** Sakoe–Chiba band, share of the length (reference §2.5: 10–15 %). */
  dtwBand: 0.15,
  /**
   * Content check: the attempt's DTW distance d to the templates (mean of the two best) is read
   * against its distance r to the same templates played backwards (frames reversed, Δ negated: the
   * same sounds in the wrong order). A channel (noise, G.711, another microphone) stretches d and r
   * alike, so the ratio d/r is what tells "the enrolled phrase" from "another sentence":
   * normalized = (boundary − d/r)/scale. Measured (README "Content check"): live repeats d/r
   * 0.42–0.73 clean and 0.59–0.86 over a noisy G.711 line; another sentence by the same voice
   * 0.89–1.03.
   */
  boundary: 0.875,
  scale: 0.05,
  /** A recording whose mean DTW distance to the others exceeds this many times the distances among the others is 'inconsistent'. */
  inconsistentRatio: 1.35,
} as const;

export type PhraseOptions = typeof PHRASE_DEFAULTS;

/** The phrase part of a voiceprint (JSON). */
export interface PhraseModel {
  /** DTW templates, one per enrolment recording: base64 Int16 (÷ templateScale), frames × templateDims. */
  templates: string[];
  templateDims: number;
  templateScale: number;
  /** Pairwise DTW distances among the enrolment templates (the user's repeat-to-repeat spread). */
  pairDistances: number[];
}

export interface PhraseScore {
  /** Mean DTW distance to the two closest templates. */
  distance: number;
  /** Mean DTW distance to the two closest reversed templates (the same sounds in the wrong order). */
  reversedDistance: number;
  /** (boundary − distance/reversedDistance)/scale: > 0 is the enrolled phrase, < 0 another one. */
  normalized: number;
}

/** The DTW template of an utterance: statics + Δ of every `templateStep`-th speech frame. */
function phraseTemplate(features: Features, options: PhraseOptions = PHRASE_DEFAULTS): Sequence {
  return decimate({ dims: features.dims, count: features.count, data: features.data }, options.templateStep, options.templateDims);
}

/**
 * Builds the phrase model from the enrolment features (telephone band) and flags recordings that do
 * not sound like the others (reference §5 "consistency").
 */
export function buildPhraseModel(features: readonly Features[], options: PhraseOptions = PHRASE_DEFAULTS): { model: PhraseModel; inconsistent: number[] } {
  const templates = features.map((f) => phraseTemplate(f, options));
  const distances = pairwiseDistances(templates, options.dtwBand);
  return {
    model: {
      templates: templates.map((t) => packInt16(t.data, options.templateScale)),
      templateDims: options.templateDims,
      templateScale: options.templateScale,
      pairDistances: distances.flatMap((row, i) => row.slice(i + 1)).map(round),
    },
    inconsistent: inconsistentRecordings(distances, options.inconsistentRatio),
  };
}

/** Scores an attempt's features against the phrase model (the content check, see PHRASE_DEFAULTS.boundary). */
export function scorePhrase(model: PhraseModel, features: Features, options: PhraseOptions = PHRASE_DEFAULTS): PhraseScore {
  const test = phraseTemplate(features, options);
  const templates = model.templates.map((t) => {
    const data = unpackInt16(t, model.templateScale);
    return { dims: model.templateDims, count: data.length / model.templateDims, data };
  });
  const distance = twoBest(templates.map((t) => dtwDistance(test, t, { band: options.dtwBand })));
  const reversedDistance = twoBest(templates.map((t) => dtwDistance(test, reversed(t), { band: options.dtwBand })));
  const ratio = reversedDistance > 0 && Number.isFinite(reversedDistance) ? distance / reversedDistance : Infinity;
  return { distance: round(distance), reversedDistance: round(reversedDistance), normalized: round((options.boundary - ratio) / options.scale) };
}

/** The template backwards: frames in reverse order, Δ (the second half of the dimensions) negated, as time reversal would give. */
function reversed(sequence: Sequence): Sequence {
  const { dims, count, data } = sequence;
  const half = dims / 2;
  const out = new Float32Array(data.length);
  for (let t = 0; t < count; t++) for (let d = 0; d < dims; d++) out[(count - 1 - t) * dims + d] = (d >= half ? -1 : 1) * data[t * dims + d]!;
  return { dims, count, data: out };
}

function twoBest(distances: number[]): number {
  const sorted = distances.sort((a, b) => a - b);
  return (sorted[0]! + (sorted[1] ?? sorted[0]!)) / 2;
}

/** Whether a value is a well-formed PhraseModel (voiceprints come from storage). */
export function isPhraseModel(value: unknown): value is PhraseModel {
  const m = value as Partial<PhraseModel> | null;
  return !!m && Array.isArray(m.templates) && m.templates.length > 0 && m.templates.every((t) => typeof t === 'string') && typeof m.templateDims === 'number' && typeof m.templateScale === 'number' && Array.isArray(m.pairDistances);
}

function pairwiseDistances(templates: readonly Sequence[], band: number): number[][] {
  const n = templates.length;
  const d = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const value = dtwDistance(templates[i]!, templates[j]!, { band });
      d[i]![j] = value;
      d[j]![i] = value;
    }
  }
  return d;
}

function inconsistentRecordings(distances: number[][], ratio: number): number[] {
  const n = distances.length;
  const flagged: number[] = [];
  for (let i = 0; i < n; i++) {
    const own = mean(distances[i]!.filter((_, j) => j !== i));
    const others: number[] = [];
    for (let j = 0; j < n; j++) for (let k = j + 1; k < n; k++) if (j !== i && k !== i) others.push(distances[j]![k]!);
    if (others.length > 0 && own > ratio * median(others)) flagged.push(i);
  }
  return flagged;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : value;
}
