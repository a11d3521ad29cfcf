import { performance } from 'node:perf_hooks';
import type { Audio } from './audio/audio.ts';
import { toTelephoneBand } from './audio/resample.ts';
import { buildPhraseModel, isPhraseModel, PHRASE_DEFAULTS, scorePhrase, type PhraseModel, type PhraseOptions } from './phrase/phrase-templates.ts';
import { checkQuality, type QualityProblem, type QualityReport } from './quality/check-quality.ts';
import { encodeFingerprint, replaySimilarity, telephoneBandFingerprint } from './replay/fingerprint.ts';
import type { SpeakerBackend, SpeakerEnrollment } from './speaker/speaker-backend.ts';
import { createSpeakerBackend, type SpeakerBackendConfig } from './speaker/speaker-backends.ts';
import { telephoneFeatures } from './speaker/telephone-features.ts';
import { VoiceprintError } from './voiceprint-error.ts';
import { enrollDigits, isDigitTemplates, matchDigits, type DigitProblemCode, type DigitTemplates } from './prompted/digit-templates.ts';

/**
 * Decision threshold on the score (the speaker backend's S-normalised score, see
 * {@link VoiceprintEngine.verify}); a service may override it (Voiceprint.Threshold, −2…8). Chosen
 * on the DEV speakers (`npm run bench:voiceprint -- --set dev --out none`, models/README.md
 * "Operating point"). With session compensation and the fused S-normed score, 0.5 gives a dev FAR
 * of 0.3–2.6 % (FRR 38–61 %); the dev thresholds for FAR 1 % are −0.18…1.14. On the evaluation
 * speakers the same 0.5 gives FAR 0.3 % by microphone and 2.4–5.5 % in the phone band: impostors
 * there score higher than on dev, so a deployment verifying calls should take its threshold from
 * models/voiceprint-operating-points.json (the console shows it per threshold).
 */
export const DEFAULT_THRESHOLD = 0.5;

/** Every tuning constant of the engine (not of a backend or the phrase check), with the reason for its value. */
export const ENGINE_DEFAULTS = {
  /** replaySimilarity above this → 'replay_suspected' (copies of espeak phrases score 0.97–1.0 after gain, 8 kHz and G.711; live repeats ≤ 0.75). */
  replayThreshold: 0.85,
  /**
   * Score = speaker·normalizedSpeaker + phrase·normalizedPhrase. The phrase (content) check is a
   * gate (phraseGate), not part of the score: the speaker score alone is what the benchmark
   * calibrates, and a wrong phrase is a hard 'phrase_mismatch' whatever the voice scored.
   */
  weights: { speaker: 1, phrase: 0 },
  /** Phrase normalised score below this → 'phrase_mismatch' (hard no_match). null = no content check. */
  phraseGate: 0 as number | null,
  /** Lowest score reported (no speech at all). */
  minScore: -10,
  /** Highest score reported (scores are clamped so one backend's scale cannot leak into the API). */
  maxScore: 8,
};

export type EngineOptions = typeof ENGINE_DEFAULTS & { phrase: PhraseOptions };

/** What the engine stores for a user: JSON, sealed at rest. */
export interface Voiceprint {
  format: 'verity-voiceprint/2';
  /** The speaker backend's part (SpeakerEnrollment.backend names the backend and its model). */
  speaker: SpeakerEnrollment;
  /**
   * The pass-phrase (content) part: DTW templates (phrase/phrase-templates.ts). Absent from a
   * digits voiceprint (its content is checked by `digits`, and the templates would be ~30 KB unused).
   */
  phrase?: PhraseModel;
  /** Digit templates for the text-prompted mode (prompted/), when enrolled. */
  digits?: DigitTemplates;
  /** Fingerprints of the enrolment recordings (replay defence). */
  fingerprints: string[];
}

export type EnrollProblemCode = QualityProblem['code'] | 'inconsistent' | DigitProblemCode;

interface EnrollRecordingReport {
  index: number;
  quality: QualityReport;
  problems: Array<{ code: EnrollProblemCode; message: string }>;
}

export type EnrollResult =
  | { ok: true; voiceprint: Voiceprint; recordings: EnrollRecordingReport[] }
  | { ok: false; recordings: EnrollRecordingReport[] };

export interface VerifyOptions {
  /** Score threshold; DEFAULT_THRESHOLD when absent. */
  threshold?: number;
  /** Fingerprints of earlier accepted attempts (from VerifyResult.fingerprint). */
  seenFingerprints?: readonly string[];
  /** Text-prompted mode: the digits this attempt had to say (the voiceprint must have a `digits` part). */
  prompt?: string;
}

export interface VerifyResult {
  decision: 'match' | 'no_match' | 'rejected';
  /** Normalised score; higher = more likely the enrolled speaker. */
  score: number;
  threshold: number;
  /** 'quality:<code>', 'replay_suspected', 'score_below_threshold', 'voice_mismatch', 'phrase_mismatch'. */
  reasons: string[];
  quality: QualityReport;
  /** Store it with the attempt and pass it back in seenFingerprints later. */
  fingerprint: string;
  /** Parts of the score, for logs and the benchmark. */
  components: { backend: string; speakerRaw: number; speakerNorm: number; phraseDistance: number; phraseNorm: number; replaySimilarity: number };
  timingsMs: { features: number; scoring: number };
}

const VOICEPRINT_FORMAT = 'verity-voiceprint/2';

/**
 * Text-dependent speaker verification with one scoring path for every input (issue 18): quality
 * gate on the input as received → telephone band (8 kHz, 300–3400 Hz) → speaker backend score +
 * phrase (DTW) check + replay fingerprints → decision. A 16 kHz microphone, an 8 kHz call, upsampled
 * 8 kHz audio and a Bluetooth headset all meet the same model.
 *
 * @example
 * const engine = await VoiceprintEngine.load();
 * const enrolled = await engine.enroll([a, b, c]);
 * if (enrolled.ok) {
 *   const result = await engine.verify(enrolled.voiceprint, attempt);
 *   if (result.decision === 'match') …
 * }
 */
export class VoiceprintEngine {
  readonly backend: SpeakerBackend;
  readonly options: EngineOptions;

  constructor(backend: SpeakerBackend, options: Partial<EngineOptions> = {}) {
    this.backend = backend;
    this.options = { ...ENGINE_DEFAULTS, phrase: PHRASE_DEFAULTS, ...options };
  }

  /** The engine with the configured speaker backend (built-in GMM-UBM from models/ by default). */
  static async load(config: SpeakerBackendConfig | string | URL = {}, options: Partial<EngineOptions> = {}): Promise<VoiceprintEngine> {
    const backendConfig = typeof config === 'string' || config instanceof URL ? { modelsDir: config } : config;
    return new VoiceprintEngine(await createSpeakerBackend(backendConfig), options);
  }

  /**
   * Builds a voiceprint from ≥ 3 recordings of the pass-phrase (any supported rate; all are brought
   * to the telephone band). Every recording must pass checkQuality('enroll') and sound like the
   * others; otherwise `ok` is false and each recording lists its problems. Throws
   * VoiceprintError 'enroll_count' for fewer than 3 recordings.
   */
  async enroll(recordings: readonly Audio[], options: { prompts?: readonly string[] } = {}): Promise<EnrollResult> {
    if (recordings.length < 3) throw new VoiceprintError('enroll_count', `Enrolment needs at least 3 recordings; got ${recordings.length}.`);
    const reports: EnrollRecordingReport[] = recordings.map((audio, index) => {
      const quality = checkQuality(audio, 'enroll');
      return { index, quality, problems: [...quality.problems] };
    });
    if (reports.some((r) => r.problems.length > 0)) return { ok: false, recordings: reports };

    const phone = recordings.map((audio) => toTelephoneBand(audio));
    // Text-prompted mode (prompted/): each recording said its own digits, so the digit templates
    // replace the phrase templates and their consistency check.
    const digits = options.prompts ? enrollDigits(phone, options.prompts, true) : undefined;
    for (const p of digits?.problems ?? []) reports[p.index]!.problems.push({ code: p.code, message: p.message });
    if (digits && !digits.digits) return { ok: false, recordings: reports };
    const phrase = digits ? undefined : buildPhraseModel(phone.map((a) => telephoneFeatures(a)), this.options.phrase);
    for (const i of phrase?.inconsistent ?? []) {
      reports[i]!.problems.push({ code: 'inconsistent', message: 'This recording does not sound like the others: say the same phrase again.' });
    }
    if (phrase && phrase.inconsistent.length > 0) return { ok: false, recordings: reports };
    const speaker = await this.backend.enroll(phone);
    const voiceprint: Voiceprint = {
      format: VOICEPRINT_FORMAT,
      speaker,
      ...(phrase ? { phrase: phrase.model } : {}),
      ...(digits?.digits ? { digits: digits.digits } : {}),
      fingerprints: phone.map((band) => encodeFingerprint(telephoneBandFingerprint(band))),
    };
    return { ok: true, voiceprint, recordings: reports };
  }

  /**
   * Scores one attempt against a voiceprint. Decision: 'rejected' on a quality problem or a
   * suspected replay; else 'no_match' when the phrase check fails (phrase_mismatch) or the score is
   * below the threshold; else 'match'. Throws VoiceprintError('voiceprint_invalid') for a v1 or
   * malformed voiceprint, or one made by another speaker backend/model (re-enrol).
   */
  async verify(voiceprint: Voiceprint, audio: Audio, options: VerifyOptions = {}): Promise<VerifyResult> {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    assertVoiceprint(voiceprint);
    const started = performance.now();
    const quality = checkQuality(audio, 'verify');
    const phone = toTelephoneBand(audio);
    const features = telephoneFeatures(phone);
    const fp = telephoneBandFingerprint(phone);
    const featuresDone = performance.now();

    const seen = [...voiceprint.fingerprints, ...(options.seenFingerprints ?? [])];
    let replay = 0;
    for (const other of seen) replay = Math.max(replay, replaySimilarity(fp, other));

    const o = this.options;
    const speaker = await this.backend.score(voiceprint.speaker, phone);
    // A prompted attempt says other words than the enrolment: its content is checked by digits below, not by the phrase.
    const promptedAttempt = voiceprint.digits !== undefined || options.prompt !== undefined;
    // (assertVoiceprint: a voiceprint without phrase templates has digit templates, so its attempts are prompted.)
    const phrase = promptedAttempt || !voiceprint.phrase ? { distance: 0, normalized: 0 } : features.count >= 10 ? scorePhrase(voiceprint.phrase, features, o.phrase) : { distance: 0, normalized: o.minScore };
    const score = clampScore(o, o.weights.speaker * speaker.normalized + o.weights.phrase * phrase.normalized);

    const reasons = quality.problems.map((p) => `quality:${p.code}`);
    if (replay > o.replayThreshold) reasons.push('replay_suspected');
    // A prompted attempt is checked digit by digit; a prompted voiceprint is never verified without its prompt.
    const digits = promptedAttempt && options.prompt !== undefined && isDigitTemplates(voiceprint.digits) ? matchDigits(voiceprint.digits, phone, options.prompt, true) : undefined;
    const phraseFailed = !promptedAttempt && o.phraseGate !== null && phrase.normalized < o.phraseGate;
    const digitsFailed = promptedAttempt && !digits?.ok;
    let decision: VerifyResult['decision'];
    if (reasons.length > 0) decision = 'rejected';
    else if (score >= threshold && !phraseFailed && !digitsFailed) decision = 'match';
    else {
      decision = 'no_match';
      if (score < threshold) reasons.push('score_below_threshold');
      if (speaker.normalized < threshold) reasons.push('voice_mismatch');
      if (phraseFailed) reasons.push('phrase_mismatch');
      if (digitsFailed) reasons.push('digits_mismatch');
    }
    const finished = performance.now();
    return {
      decision,
      score: round(score),
      threshold,
      reasons,
      quality,
      fingerprint: encodeFingerprint(fp),
      components: {
        backend: this.backend.id,
        speakerRaw: round(speaker.raw),
        speakerNorm: round(speaker.normalized),
        phraseDistance: round(phrase.distance),
        phraseNorm: round(phrase.normalized),
        replaySimilarity: round(replay),
      },
      timingsMs: { features: round(featuresDone - started), scoring: round(finished - featuresDone) },
    };
  }
}

/** Refuses v1 and malformed voiceprints, and ones from another speaker backend, with voiceprint_invalid. */
function assertVoiceprint(value: Voiceprint): void {
  const v = value as Partial<Voiceprint> | null;
  const speaker = v?.speaker as Partial<SpeakerEnrollment> | undefined;
  const content = v?.phrase === undefined ? isDigitTemplates(v?.digits) : isPhraseModel(v.phrase);
  if (!v || v.format !== VOICEPRINT_FORMAT || !speaker || typeof speaker.backend !== 'string' || !content || !Array.isArray(v.fingerprints)) {
    throw new VoiceprintError('voiceprint_invalid', 'The voiceprint is malformed or from an older engine version; enrol again.');
  }
  if (!speaker.calibration || !Array.isArray(speaker.calibration.genuine)) {
    throw new VoiceprintError('voiceprint_invalid', 'The voiceprint is malformed; enrol again.');
  }
}

function clampScore(o: EngineOptions, value: number): number {
  return Math.max(o.minScore, Math.min(o.maxScore, value));
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : value;
}
