import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Audio, SampleRate } from './audio/audio.ts';
import type { Features } from './features/extract-features.ts';
import { modelFeatures } from './features/model-features.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from './audio/resample.ts';
import { averageLlrs, Gmm, mapAdaptedMeans } from './model/gmm.ts';
import { decimate, dtwDistance, type Sequence } from './model/dtw.ts';
import { packFloat32, packInt16, unpackFloat32, unpackInt16 } from './model/packed-arrays.ts';
import { ubmId } from './model/ubm-id.ts';
import { checkQuality, type QualityProblem, type QualityReport } from './quality/check-quality.ts';
import { encodeFingerprint, fingerprint, replaySimilarity } from './replay/fingerprint.ts';
import { VoiceprintError } from './voiceprint-error.ts';

/**
 * Decision threshold on the fused score (see {@link VoiceprintEngine.verify}); a service may
 * override it per call. 0.5, set from `npm run bench:voiceprint` (models/README.md):
 * - it sits above the clean-condition EER threshold (−0.24), i.e. on the side of rejecting
 *   impostors, as a second factor should;
 * - it stays well below what a live repeat of the enrolled pass-phrase scores (both normalised parts
 *   ≈ +1…+2.5, fused ≈ 1–2.3 for espeak voices), so genuine fixed-phrase attempts still pass;
 * - the threshold for FAR 5 % on the text-INDEPENDENT benchmark (4.8, FRR 52 %) is not used: there
 *   every attempt is a different sentence, and with a pass-phrase it would reject most live users.
 */
export const DEFAULT_THRESHOLD = 0.5;

/** Every tuning constant of the engine, in one place, with the reason for its value. */
export const ENGINE_DEFAULTS = {
  /** MAP relevance factor r (reference §2.1: 4–16 for 64–128 components and ~3×3 s of speech). */
  relevance: 8,
  /** Top-C fast scoring (Reynolds et al. 2000). */
  topC: 5,
  /** DTW templates keep statics + Δ (40 dims) of every 2nd frame (reference §2.5). */
  templateStep: 2,
  templateDims: 40,
  /** Template values are stored as int16 × 1/128 (resolution 0.008, range ±256). */
  templateScale: 128,
  /** Sakoe–Chiba band, share of the length (reference §2.5: 10–15 %). */
  dtwBand: 0.15,
  /** replaySimilarity above this → 'replay_suspected' (copies of espeak phrases score 0.97–1.0 after gain, 8 kHz and G.711; live repeats ≤ 0.75). */
  replayThreshold: 0.85,
  /**
   * Without a cohort, Λ is read relative to the speaker's own leave-one-out enrolment score
   * Λ₀ (mean of looLlr, floored at llrRefFloor): llrNorm = (Λ/Λ₀ − llrBoundary)/llrScale. A
   * genuine attempt lands near Λ/Λ₀ ≈ 1 (llrNorm ≈ +2), the UBM itself at 0 (llrNorm = −2).
   */
  llrBoundary: 0.5,
  llrScale: 0.25,
  llrRefFloor: 0.1,
  /** With a T-norm cohort: llrNorm = (z − tnormBoundary)/tnormScale, z = (Λ − μ_cohort)/σ_cohort. */
  tnormBoundary: 2,
  tnormScale: 1,
  /** σ floor of the T-norm cohort statistics (nats/frame). */
  tnormStdFloor: 0.05,
  /**
   * The DTW distance d (mean of the two best templates) is read relative to the user's own
   * repeat-to-repeat distance d₀ (mean of the enrolment pairs): dtwNorm = (dtwBoundary − d/d₀)/dtwScale.
   * Live repeats give d/d₀ ≈ 0.9–1.1 (dtwNorm ≈ +1…+3); another voice or phrase ≥ 1.4.
   */
  dtwBoundary: 1.2,
  dtwScale: 0.1,
  /** Each normalised part is clamped to ±partLimit so one wild part cannot dominate the fusion. */
  partLimit: 8,
  /** Fusion weights of the normalised LLR and DTW parts (score = Σ w·part; 0 is the boundary). */
  weights: { llr: 0.5, dtw: 0.5 },
  /** Enrolment consistency: a recording whose mean DTW distance to the others exceeds this many
   * times the distances among the others is 'inconsistent'. */
  inconsistentRatio: 1.35,
  /**
   * SNR (dB) of the white-noise floor added to the telephone twin of a 16 kHz enrolment (see
   * telephoneTwin); null = band + G.711 only. Clean→phone EER 28 % → 17 % in the benchmark
   * (whose calls have 20 dB SNR; 25 dB is deliberately not the benchmark's value).
   */
  twinSnrDb: 25 as number | null,
  /** Lowest score reported (no speech at all). */
  minScore: -10,
} as const;

export type EngineOptions = typeof ENGINE_DEFAULTS;

/** A T-norm cohort model: a background speaker MAP-adapted from the same UBM. */
export interface CohortModel {
  id: string;
  means: Float64Array;
}

export interface VoiceprintModels {
  ubm16k: Gmm;
  ubm8k: Gmm;
  /** Background-speaker models per rate for T-norm (never the claimed speaker). */
  cohort?: Partial<Record<SampleRate, CohortModel[]>>;
}

/** Per-rate part of a voiceprint. */
interface VoiceprintRateModel {
  /** UBM id the means were adapted from. */
  ubm: string;
  /** MAP-adapted means, base64 Float32, components × dims. */
  means: string;
  /** DTW templates, one per enrolment recording: base64 Int16 (÷ templateScale), frames × templateDims. */
  templates: string[];
  templateDims: number;
  templateScale: number;
  /** Pairwise DTW distances among the enrolment templates (the user's repeat-to-repeat spread). */
  pairDistances: number[];
  /** Leave-one-out Λ: each recording against a model adapted on the others. */
  looLlr: number[];
}

/** What the engine stores for a user: JSON-serialisable, ~150–200 KB, to be encrypted at rest. */
export interface Voiceprint {
  format: 'verity-voiceprint/1';
  /** Rate of the enrolment recordings (16000 → both models; 8000 → telephone model only). */
  enrolledRate: SampleRate;
  models: { 8000: VoiceprintRateModel; 16000?: VoiceprintRateModel };
  /** Fingerprints of the enrolment recordings (replay defence). */
  fingerprints: string[];
}

export type EnrollProblemCode = QualityProblem['code'] | 'inconsistent';

interface EnrollRecordingReport {
  index: number;
  quality: QualityReport;
  problems: Array<{ code: EnrollProblemCode; message: string }>;
}

export type EnrollResult =
  | { ok: true; voiceprint: Voiceprint; recordings: EnrollRecordingReport[] }
  | { ok: false; recordings: EnrollRecordingReport[] };

export interface VerifyOptions {
  /** Fused-score threshold; DEFAULT_THRESHOLD when absent. */
  threshold?: number;
  /** Fingerprints of earlier accepted attempts (from VerifyResult.fingerprint). */
  seenFingerprints?: readonly string[];
}

export interface VerifyResult {
  decision: 'match' | 'no_match' | 'rejected';
  /** Fused, normalised score; higher = more likely the same speaker saying the same phrase. */
  score: number;
  threshold: number;
  /** 'quality:<code>', 'replay_suspected', 'score_below_threshold', 'voice_mismatch', 'phrase_mismatch'. */
  reasons: string[];
  quality: QualityReport;
  /** Store it with the attempt and pass it back in seenFingerprints later. */
  fingerprint: string;
  /** Parts of the score, for logs and the benchmark. */
  components: { rate: SampleRate; llr: number; llrNorm: number; dtw: number; dtwNorm: number; replaySimilarity: number };
  timingsMs: { features: number; scoring: number };
}

const MODEL_FILES = { 16000: 'voiceprint-ubm-16k.json', 8000: 'voiceprint-ubm-8k.json' } as const;
const COHORT_FILES = { 16000: 'voiceprint-cohort-16k.json', 8000: 'voiceprint-cohort-8k.json' } as const;

/**
 * Text-dependent speaker verification (speaker-verification.md §0): MFCC+Δ+ΔΔ, energy VAD,
 * utterance CMN; GMM-UBM with means-only MAP scored by the average frame LLR; DTW against the
 * enrolment templates; score normalisation and fusion; fingerprint-based replay rejection.
 *
 * @example
 * const engine = await VoiceprintEngine.load();
 * const enrolled = engine.enroll([a, b, c]);
 * if (enrolled.ok) {
 *   const result = engine.verify(enrolled.voiceprint, attempt);
 *   if (result.decision === 'match') …
 * }
 */
export class VoiceprintEngine {
  readonly models: VoiceprintModels;
  readonly options: EngineOptions;

  constructor(models: VoiceprintModels, options: Partial<EngineOptions> = {}) {
    this.models = models;
    this.options = { ...ENGINE_DEFAULTS, ...options };
  }

  /**
   * Reads `voiceprint-ubm-16k.json` and `voiceprint-ubm-8k.json` (and, when present,
   * `voiceprint-cohort-{16k,8k}.json`) from `dir` (the repository's models/ by default).
   */
  static async load(dir: string | URL = new URL('../../../models/', import.meta.url)): Promise<VoiceprintEngine> {
    const base = typeof dir === 'string' ? pathToFileURL(`${resolve(dir)}/`) : dir;
    const readJson = async (name: string, optional: boolean): Promise<unknown> => {
      try {
        return JSON.parse(await readFile(new URL(name, base), 'utf8')) as unknown;
      } catch (error) {
        if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new VoiceprintError('model_invalid', `Could not read the voiceprint model ${name}.`, { cause: error });
      }
    };
    const ubm16k = Gmm.fromJSON(await readJson(MODEL_FILES[16000], false));
    const ubm8k = Gmm.fromJSON(await readJson(MODEL_FILES[8000], false));
    const cohort: Partial<Record<SampleRate, CohortModel[]>> = {};
    for (const rate of [16000, 8000] as const) {
      const json = await readJson(COHORT_FILES[rate], true);
      if (json !== undefined) cohort[rate] = cohortFromJSON(json, rate === 16000 ? ubm16k : ubm8k);
    }
    return new VoiceprintEngine({ ubm16k, ubm8k, cohort });
  }

  ubm(rate: SampleRate): Gmm {
    return rate === 16000 ? this.models.ubm16k : this.models.ubm8k;
  }

  /**
   * Builds a voiceprint from ≥ 3 recordings of the pass-phrase. Every recording must pass
   * checkQuality('enroll') and sound like the others (DTW distance, reference §5 "consistency");
   * otherwise `ok` is false and each recording lists its problems. Throws VoiceprintError
   * 'enroll_count' for fewer than 3 recordings.
   */
  enroll(recordings: readonly Audio[]): EnrollResult {
    if (recordings.length < 3) throw new VoiceprintError('enroll_count', `Enrolment needs at least 3 recordings; got ${recordings.length}.`);
    const reports: EnrollRecordingReport[] = recordings.map((audio, index) => {
      const quality = checkQuality(audio, 'enroll');
      return { index, quality, problems: [...quality.problems] };
    });
    if (reports.some((r) => r.problems.length > 0)) return { ok: false, recordings: reports };

    const rates: SampleRate[] = recordings.every((a) => a.sampleRate === 16000) ? [16000, 8000] : [8000];
    const built: Partial<Record<SampleRate, VoiceprintRateModel>> = {};
    for (const rate of rates) {
      const features = recordings.map((audio, i) => modelFeatures(rate === 8000 && audio.sampleRate === 16000 ? this.telephoneTwin(audio, i) : audio, rate));
      const templates = features.map((f) => this.template(f));
      const distances = pairwiseDistances(templates, this.options.dtwBand);
      if (rate === rates[0]) {
        const inconsistent = this.inconsistentRecordings(distances);
        for (const i of inconsistent) {
          reports[i]!.problems.push({ code: 'inconsistent', message: 'This recording does not sound like the others: say the same phrase again.' });
        }
        if (inconsistent.length > 0) return { ok: false, recordings: reports };
      }
      const ubm = this.ubm(rate);
      const looLlr = features.map((f, i) => {
        const others = concatFeatures(features.filter((_, j) => j !== i));
        const { means } = mapAdaptedMeans(ubm, others, this.options.relevance);
        return round(averageLlrs([means], ubm, f.data, this.options.topC)[0]!);
      });
      const { means } = mapAdaptedMeans(ubm, concatFeatures(features), this.options.relevance);
      built[rate] = {
        ubm: ubmId(ubm),
        means: packFloat32(means),
        templates: templates.map((t) => packInt16(t.data, this.options.templateScale)),
        templateDims: this.options.templateDims,
        templateScale: this.options.templateScale,
        pairDistances: distances.flatMap((row, i) => row.slice(i + 1)).map(round),
        looLlr,
      };
    }
    const voiceprint: Voiceprint = {
      format: 'verity-voiceprint/1',
      enrolledRate: rates[0]!,
      models: { 8000: built[8000]!, ...(built[16000] ? { 16000: built[16000] } : {}) },
      fingerprints: recordings.map((audio) => encodeFingerprint(fingerprint(audio))),
    };
    return { ok: true, voiceprint, recordings: reports };
  }

  /**
   * Scores one attempt against a voiceprint. The model follows the input: 16 kHz audio against a
   * voiceprint with a 16 kHz model uses it; anything else is band-limited to the telephone band
   * and scored with the 8 kHz model.
   *
   * Fusion (see ENGINE_DEFAULTS and README.md): llrNorm is Λ T-normed against the cohort of that
   * rate, or without a cohort Λ relative to the speaker's leave-one-out enrolment score; dtwNorm is
   * the DTW distance relative to the enrolment repeat-to-repeat distance; both are shifted so 0 is
   * their boundary, clamped to ±partLimit, and averaged with weights. Decision: 'rejected' on a quality problem or a
   * suspected replay, else 'match' iff score ≥ threshold.
   */
  verify(voiceprint: Voiceprint, audio: Audio, options: VerifyOptions = {}): VerifyResult {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    const started = performance.now();
    const quality = checkQuality(audio, 'verify');
    const rate: SampleRate = audio.sampleRate === 16000 && voiceprint.models[16000] ? 16000 : 8000;
    const model = voiceprint.models[rate];
    const ubm = this.ubm(rate);
    if (voiceprint.format !== 'verity-voiceprint/1' || !model || model.ubm !== ubmId(ubm)) {
      throw new VoiceprintError('voiceprint_invalid', 'The voiceprint is malformed or was made with a different background model; enrol again.');
    }
    const features = modelFeatures(audio, rate);
    const fp = fingerprint(audio);
    const featuresDone = performance.now();

    const seen = [...voiceprint.fingerprints, ...(options.seenFingerprints ?? [])];
    let replay = 0;
    for (const other of seen) replay = Math.max(replay, replaySimilarity(fp, other));

    const o = this.options;
    let llr = 0;
    let llrNorm: number = o.minScore;
    let dtw = 0;
    let dtwNorm: number = o.minScore;
    if (features.count >= 10) {
      const speakerMeans = Float64Array.from(unpackFloat32(model.means));
      const cohort = this.models.cohort?.[rate] ?? [];
      const scores = averageLlrs([speakerMeans, ...cohort.map((c) => c.means)], ubm, features.data, o.topC);
      llr = scores[0]!;
      if (cohort.length >= 2) {
        const { mean, std } = meanStd(scores.slice(1));
        llrNorm = ((llr - mean) / Math.max(std, o.tnormStdFloor) - o.tnormBoundary) / o.tnormScale;
      } else {
        const reference = Math.max(meanStd(model.looLlr).mean, o.llrRefFloor);
        llrNorm = (llr / reference - o.llrBoundary) / o.llrScale;
      }
      llrNorm = clamp(llrNorm, o.partLimit);
      const test = this.template(features);
      const distances = model.templates
        .map((t) => dtwDistance(test, toSequence(unpackInt16(t, model.templateScale), model.templateDims), { band: o.dtwBand }))
        .sort((a, b) => a - b);
      dtw = (distances[0]! + (distances[1] ?? distances[0]!)) / 2;
      const reference = model.pairDistances.length > 0 ? meanStd(model.pairDistances).mean : dtw;
      dtwNorm = clamp((o.dtwBoundary - dtw / reference) / o.dtwScale, o.partLimit);
    }
    const score = Math.max(o.minScore, o.weights.llr * llrNorm + o.weights.dtw * dtwNorm);

    const reasons = quality.problems.map((p) => `quality:${p.code}`);
    if (replay > o.replayThreshold) reasons.push('replay_suspected');
    let decision: VerifyResult['decision'];
    if (reasons.length > 0) decision = 'rejected';
    else if (score >= threshold) decision = 'match';
    else {
      decision = 'no_match';
      reasons.push('score_below_threshold');
      if (llrNorm < 0) reasons.push('voice_mismatch');
      if (dtwNorm < 0) reasons.push('phrase_mismatch');
    }
    const finished = performance.now();
    return {
      decision,
      score: round(score),
      threshold,
      reasons,
      quality,
      fingerprint: encodeFingerprint(fp),
      components: { rate, llr: round(llr), llrNorm: round(llrNorm), dtw: round(dtw), dtwNorm: round(dtwNorm), replaySimilarity: round(replay) },
      timingsMs: { features: round(featuresDone - started), scoring: round(finished - featuresDone) },
    };
  }

  /**
   * What the 8 kHz model of a 16 kHz enrolment is built from: the recording as a call would carry
   * it (telephone band, a white-noise floor at twinSnrDb, G.711 µ-law round trip). Without the noise
   * floor a clean enrolment's telephone model scores real calls at chance (models/README.md).
   * Deterministic: the noise seed is the recording's index.
   */
  telephoneTwin(audio: Audio, index: number): Audio {
    const band = toTelephoneBand(audio);
    return g711RoundTrip(this.options.twinSnrDb === null ? band : addNoise(band, this.options.twinSnrDb, index + 1), 'ulaw');
  }

  /** The DTW template of an utterance: statics + Δ of every `templateStep`-th speech frame. */
  template(features: Features): Sequence {
    return decimate({ dims: features.dims, count: features.count, data: features.data }, this.options.templateStep, this.options.templateDims);
  }

  private inconsistentRecordings(distances: number[][]): number[] {
    const n = distances.length;
    const flagged: number[] = [];
    for (let i = 0; i < n; i++) {
      const own = meanStd(distances[i]!.filter((_, j) => j !== i)).mean;
      const others: number[] = [];
      for (let j = 0; j < n; j++) for (let k = j + 1; k < n; k++) if (j !== i && k !== i) others.push(distances[j]![k]!);
      if (own > this.options.inconsistentRatio * median(others)) flagged.push(i);
    }
    return flagged;
  }
}

/**
 * A T-norm cohort model: MAP-adapt the UBM on one background speaker's utterances. The training
 * script ships these next to the UBM (cohortToJSON) so verification can normalise scores.
 */
export function buildCohortModel(id: string, ubm: Gmm, utterances: readonly Features[], relevance: number = ENGINE_DEFAULTS.relevance): CohortModel {
  return { id, means: mapAdaptedMeans(ubm, concatFeatures(utterances), relevance).means };
}

export interface CohortJson {
  format: 'verity-voiceprint-cohort/1';
  ubm: string;
  speakers: Array<{ id: string; means: string }>;
}

export function cohortToJSON(ubm: Gmm, models: readonly CohortModel[]): CohortJson {
  return { format: 'verity-voiceprint-cohort/1', ubm: ubmId(ubm), speakers: models.map((m) => ({ id: m.id, means: packFloat32(m.means) })) };
}

function cohortFromJSON(value: unknown, ubm: Gmm): CohortModel[] {
  const json = value as Partial<CohortJson> | null;
  if (!json || json.format !== 'verity-voiceprint-cohort/1' || json.ubm !== ubmId(ubm) || !Array.isArray(json.speakers)) {
    throw new VoiceprintError('model_invalid', 'The cohort file is malformed or belongs to a different UBM.');
  }
  return json.speakers.map((s) => {
    const means = Float64Array.from(unpackFloat32(s.means));
    if (means.length !== ubm.means.length) throw new VoiceprintError('model_invalid', `Cohort speaker ${s.id} does not match the UBM size.`);
    return { id: s.id, means };
  });
}

function toSequence(data: Float32Array, dims: number): Sequence {
  return { dims, count: data.length / dims, data };
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

function concatFeatures(features: readonly Features[]): Float32Array {
  const out = new Float32Array(features.reduce((s, f) => s + f.data.length, 0));
  let at = 0;
  for (const f of features) {
    out.set(f.data, at);
    at += f.data.length;
  }
  return out;
}

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1);
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(values.length - 1, 1);
  return { mean, std: Math.sqrt(variance) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function clamp(value: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, value));
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : value;
}
