import { createHash } from 'node:crypto';
import type { Audio } from '../audio/audio.ts';
import { addColouredNoise, bluetoothNarrowband, noiseSuppressed } from '../audio/channels.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from '../audio/resample.ts';
import { extractFeatures, type Features } from '../features/extract-features.ts';
import { averageLlrs, mapAdaptedMeans, type Gmm } from '../model/gmm.ts';
import { packFloat32, packInt16, unpackFloat32, unpackInt16 } from '../model/packed-arrays.ts';
import { compensateSession, type SessionSubspace } from '../model/session-subspace.ts';
import { ubmId } from '../model/ubm-id.ts';
import { VoiceprintError } from '../voiceprint-error.ts';
import type { SpeakerBackend, SpeakerEnrollment, SpeakerScore } from './speaker-backend.ts';
import { cosine, Supervectors } from './supervectors.ts';
import { telephoneFeatures } from './telephone-features.ts';

/** Tuning of the built-in backend, with the reason for each value (models/README.md "Tuning log"). */
const GMM_UBM_DEFAULTS = {
  /** MAP relevance factor r (reference §2.1: 4–16 for 64–128 components and ~3×3 s of speech; dev runs with r = 4 / 16 were not better). */
  relevance: 8,
  /** Top-C fast scoring (Reynolds et al. 2000). */
  topC: 5,
  /**
   * Without a cohort, Λ is read relative to the speaker's own leave-one-out enrolment score
   * Λ₀ (mean of the genuine calibration scores, floored at llrRefFloor):
   * normalized = (Λ/Λ₀ − llrBoundary)/llrScale. A genuine attempt lands near Λ/Λ₀ ≈ 1 (+2), the UBM at 0 (−2).
   */
  llrBoundary: 0.5,
  llrScale: 0.25,
  llrRefFloor: 0.1,
  /** With a T-norm cohort: normalized = (z − tnormBoundary)/tnormScale, z = (Λ − μ_cohort)/σ_cohort. */
  tnormBoundary: 2,
  tnormScale: 1,
  /** σ floor of the cohort statistics (nats/frame). */
  tnormStdFloor: 0.05,
  /**
   * Weight of the supervector cosine (supervectors.ts) in the fused score; the LLR has 1 − w. Both
   * are S-normalised first, so they share a scale. Dev EER, mean over 6 conditions: LLR alone
   * 10.7 %, w = 0.35 10.0 %, w = 0.5 10.6 % (small protocol: cosine alone 15.3 %, w = 0.65 13.9 %;
   * models/README.md "Tuning log"). 0 turns the fusion off.
   */
  supervectorWeight: 0.35,
  /** σ floor of the cosine statistics (cosines of unit supervectors). */
  supervectorStdFloor: 0.001,
  /** The normalised score is clamped to ±limit so one wild attempt cannot dominate. */
  limit: 8,
  /**
   * Multi-condition enrolment: besides each recording as received, MAP also sees copies through
   * simulated chains (see {@link simulateChain}), so a voiceprint enrolled on a clean microphone
   * still matches a noisy call. Seeded by the recording's index (deterministic). Two simulated
   * calls (white noise at 18 and 28 dB — deliberately not the bench's 20 dB — then G.711 µ-law):
   * dev EER wideband→phone 29.6 → 21.2 %; adding Bluetooth and noise-suppressed copies made every
   * dev condition worse (models/README.md "Tuning log").
   */
  augment: ['call:18:ulaw', 'call:28:ulaw'] as readonly string[],
};

export type GmmUbmOptions = typeof GMM_UBM_DEFAULTS;

/**
 * A simulated recording chain for multi-condition enrolment, by name: `call:<snr dB>:<ulaw|alaw>`
 * (white-noise floor, G.711), `pink:<snr dB>` (pink noise), `bluetooth` (HFP narrowband CVSD),
 * `suppressed:<snr dB>` (pink noise then a milder browser noise suppression than the bench's).
 */
export function simulateChain(chain: string, audio: Audio, seed: number): Audio {
  const [kind, a, b] = chain.split(':');
  const snr = Number(a);
  switch (kind) {
    case 'call':
      return g711RoundTrip(addNoise(audio, snr, seed), b === 'alaw' ? 'alaw' : 'ulaw');
    case 'pink':
      return addColouredNoise(audio, snr, seed, 'pink');
    case 'bluetooth':
      return bluetoothNarrowband(audio, seed);
    case 'suppressed':
      return noiseSuppressed(addColouredNoise(audio, snr, seed, 'pink'), { gateFactor: 4, overSubtraction: 1.5 });
    default:
      throw new RangeError(`Unknown enrolment chain ${chain}`);
  }
}

/** A T-norm cohort model: a background speaker MAP-adapted from the same UBM. */
export interface CohortModel {
  id: string;
  means: Float64Array;
}

/** SpeakerEnrollment.model of this backend. */
interface GmmUbmSpeakerModel {
  /** MAP-adapted means, base64 Float32, components × dims. */
  means: string;
  /** Z-norm statistics: this model's scores of the shipped impostor utterances (S-norm; absent without them). */
  zMean?: number;
  zStd?: number;
  /** The same for the supervector cosine (absent when the fusion is off or without Z-norm utterances). */
  svZMean?: number;
  svZStd?: number;
}

/**
 * The built-in speaker backend (speaker-verification.md §2.1): one 8 kHz telephone-band UBM,
 * means-only MAP adaptation, average frame LLR with top-C scoring, normalised against the
 * speaker's own leave-one-out enrolment score or, when a cohort is shipped, T-norm; with the shipped
 * Z-norm utterances too, S-norm = mean of the T- and Z-normalised scores (Z statistics computed at
 * enrolment and kept in the model; dev EER over the phone-band conditions 21.9 → 19.3 %, models/README.md
 * "Tuning log"). The backend id hashes the cohort and the Z-norm clips, so an enrolment normalised
 * against other files is refused rather than mis-scored. With a cohort,
 * the S-normed LLR is fused with the S-normed cosine of GMM mean supervectors (supervectors.ts,
 * weight `supervectorWeight`).
 */
export class GmmUbmBackend implements SpeakerBackend {
  readonly id: string;
  readonly ubm: Gmm;
  readonly cohort: readonly CohortModel[];
  readonly options: GmmUbmOptions;
  /** Impostor utterances (feature frames, session-compensated) for Z-norm; with a cohort the score becomes S-norm (mean of T and Z). */
  readonly zUtterances: readonly Float32Array[];
  /** Session-variability subspace: every utterance is compensated before MAP and scoring (see session-subspace.ts). */
  readonly session: SessionSubspace | undefined;
  /** Supervectors of the cohort models and Z-norm utterances, for the fused cosine score (empty when it is off). */
  private readonly supervectors: Supervectors;
  private readonly cohortSupervectors: readonly Float64Array[];
  private readonly zSupervectors: readonly Float64Array[];

  constructor(ubm: Gmm, options: Partial<GmmUbmOptions> = {}, cohort: readonly CohortModel[] = [], zUtterances: readonly Float32Array[] = [], session?: SessionSubspace) {
    this.ubm = ubm;
    this.cohort = cohort;
    this.session = session;
    this.options = { ...GMM_UBM_DEFAULTS, ...options };
    this.zUtterances = zUtterances.map((u) => this.compensate(u));
    this.supervectors = new Supervectors(ubm, this.options.relevance);
    const fused = this.fused();
    this.cohortSupervectors = fused ? cohort.map((c) => this.supervectors.ofMeans(c.means)) : [];
    this.zSupervectors = fused ? this.zUtterances.map((u) => this.supervectors.ofFrames(u)) : [];
    // The id names every model file a voiceprint depends on (the cohort and Z-norm clips too: the
    // enrolment stores Z statistics measured against them) and the fused score (its enrolments carry
    // the cosine's Z-norm statistics), so a voiceprint made otherwise is refused.
    const norm = cohort.length + zUtterances.length > 0 ? `+norm:${normalisationId(cohort, zUtterances)}` : '';
    this.id = `gmm-ubm:${ubmId(ubm)}${session ? `+session:${sessionId(session)}` : ''}${norm}${fused ? '+sv' : ''}`;
  }

  /** True when the score fuses the supervector cosine (it needs a T-norm cohort to be normalised). */
  private fused(): boolean {
    return this.options.supervectorWeight > 0 && this.cohort.length >= 2;
  }

  /** The frames with the utterance's session offset removed (unchanged without a subspace). */
  compensate(frames: Float32Array): Float32Array {
    return this.session ? compensateSession(this.session, frames, this.options.topC) : frames;
  }

  private compensated(features: Features): Features {
    return this.session ? { ...features, data: this.compensate(features.data) } : features;
  }

  enroll(recordings: readonly Audio[]): Promise<SpeakerEnrollment> {
    const features = recordings.map((a) => telephoneFeatures(a));
    const augmented = recordings.map((a, i) => this.options.augment.map((chain, k) => extractFeatures(toTelephoneBand(simulateChain(chain, a, 1 + i * 16 + k)))));
    return Promise.resolve(this.enrollFeatures(features, augmented));
  }

  /**
   * Enrolment from features: `augmented[i]` are extra (simulated-channel) versions of recording i,
   * used for the MAP means but never as a leave-one-out test.
   */
  enrollFeatures(raw: readonly Features[], rawAugmented: ReadonlyArray<readonly Features[]> = []): SpeakerEnrollment {
    const { relevance, topC } = this.options;
    const features = raw.map((f) => this.compensated(f));
    const augmented = rawAugmented.map((copies) => copies.map((f) => this.compensated(f)));
    const withCopies = (keep: (i: number) => boolean): Float32Array => concatFeatures(features.flatMap((f, i) => (keep(i) ? [f, ...(augmented[i] ?? [])] : [])));
    const genuine = features.map((f, i) => {
      const { means } = mapAdaptedMeans(this.ubm, withCopies((j) => j !== i), relevance);
      return round(averageLlrs([means], this.ubm, f.data, topC)[0]!);
    });
    const { means } = mapAdaptedMeans(this.ubm, withCopies(() => true), relevance);
    const model: GmmUbmSpeakerModel = { means: packFloat32(means) };
    if (this.zUtterances.length >= 2) {
      const z = meanStd(this.zUtterances.map((u) => averageLlrs([means], this.ubm, u, topC)[0]!));
      model.zMean = round(z.mean);
      model.zStd = round(z.std);
    }
    if (this.zSupervectors.length >= 2) {
      const speaker = this.supervectors.ofMeans(means);
      const z = meanStd(this.zSupervectors.map((u) => cosine(speaker, u)));
      model.svZMean = round(z.mean);
      model.svZStd = round(z.std);
    }
    const impostor = this.cohortStats(features);
    return { backend: this.id, model, calibration: { genuine, impostorMean: round(impostor.mean), impostorStd: round(impostor.std) } };
  }

  score(enrollment: SpeakerEnrollment, audio: Audio): Promise<SpeakerScore> {
    return Promise.resolve(this.scoreFeatures(enrollment, telephoneFeatures(audio)));
  }

  scoreFeatures(enrollment: SpeakerEnrollment, received: Features): SpeakerScore {
    const o = this.options;
    const features = this.compensated(received);
    const speakerMeans = this.means(enrollment);
    const model = enrollment.model as GmmUbmSpeakerModel;
    if (features.count < 10) return { raw: 0, normalized: -o.limit };
    const scores = averageLlrs([speakerMeans, ...this.cohort.map((c) => c.means)], this.ubm, features.data, o.topC);
    const raw = scores[0]!;
    let normalized: number;
    if (this.cohort.length >= 2) {
      let z = sNorm(raw, scores.slice(1), model.zMean, model.zStd, o.tnormStdFloor);
      if (this.fused()) {
        const speaker = this.supervectors.ofMeans(speakerMeans);
        const attempt = this.supervectors.ofFrames(features.data);
        const cohort = this.cohortSupervectors.map((c) => cosine(c, attempt));
        const w = o.supervectorWeight;
        z = (1 - w) * z + w * sNorm(cosine(speaker, attempt), cohort, model.svZMean, model.svZStd, o.supervectorStdFloor);
      }
      normalized = (z - o.tnormBoundary) / o.tnormScale;
    } else {
      const reference = Math.max(meanStd(enrollment.calibration.genuine).mean, o.llrRefFloor);
      normalized = (raw / reference - o.llrBoundary) / o.llrScale;
    }
    return { raw: round(raw), normalized: round(clamp(normalized, o.limit)) };
  }

  /** The speaker's MAP means; VoiceprintError('voiceprint_invalid') when the enrolment is not this backend's. */
  private means(enrollment: SpeakerEnrollment): Float64Array {
    const model = enrollment.model as Partial<GmmUbmSpeakerModel> | null;
    if (enrollment.backend !== this.id || !model || typeof model.means !== 'string') {
      throw new VoiceprintError('voiceprint_invalid', 'The voiceprint was made with a different speaker model; enrol again.');
    }
    const means = Float64Array.from(unpackFloat32(model.means));
    if (means.length !== this.ubm.means.length) throw new VoiceprintError('voiceprint_invalid', 'The voiceprint does not match the speaker model; enrol again.');
    return means;
  }

  /** Cohort scores of the enrolment recordings (mean, std), recorded as calibration; zeros without a cohort. */
  private cohortStats(features: readonly Features[]): { mean: number; std: number } {
    if (this.cohort.length < 2) return { mean: 0, std: 0 };
    const scores = features.flatMap((f) => averageLlrs(this.cohort.map((c) => c.means), this.ubm, f.data, this.options.topC));
    return meanStd(scores);
  }
}

const sessionIds = new WeakMap<SessionSubspace, string>();

/** 16 hex digits of SHA-256 over the subspace as stored (its UBM's id and the Float32 loadings). */
function sessionId(session: SessionSubspace): string {
  let id = sessionIds.get(session);
  if (!id) {
    id = createHash('sha256').update(ubmId(session.ubm)).update(Buffer.from(Float32Array.from(session.loadings).buffer)).digest('hex').slice(0, 16);
    sessionIds.set(session, id);
  }
  return id;
}

/** 16 hex digits of SHA-256 over the cohort models (ids, Float32 means) and the Z-norm frames, as loaded. */
function normalisationId(cohort: readonly CohortModel[], zUtterances: readonly Float32Array[]): string {
  const hash = createHash('sha256');
  for (const c of cohort) hash.update(`cohort:${c.id}:`).update(Buffer.from(Float32Array.from(c.means).buffer));
  for (const u of zUtterances) hash.update(`z:${u.length}:`).update(Buffer.from(u.buffer, u.byteOffset, u.byteLength));
  return hash.digest('hex').slice(0, 16);
}

/** A T-norm cohort model: MAP-adapt the UBM on one background speaker's utterances (already session-compensated when the backend has a subspace). */
export function buildCohortModel(id: string, ubm: Gmm, utterances: readonly Features[], relevance: number = GMM_UBM_DEFAULTS.relevance): CohortModel {
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

export function cohortFromJSON(value: unknown, ubm: Gmm): CohortModel[] {
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

export interface ZnormJson {
  format: 'verity-voiceprint-znorm/1';
  ubm: string;
  dims: number;
  utterances: Array<{ id: string; frames: string }>;
}

/** Z-norm impostor utterances, frames packed as Int16 (×ZNORM_SCALE: CMVN features stay well inside ±32). */
const ZNORM_SCALE = 1000;

export function znormToJSON(ubm: Gmm, utterances: ReadonlyArray<{ id: string; frames: Float32Array }>): ZnormJson {
  return { format: 'verity-voiceprint-znorm/1', ubm: ubmId(ubm), dims: ubm.dims, utterances: utterances.map((u) => ({ id: u.id, frames: packInt16(u.frames, ZNORM_SCALE) })) };
}

export function znormFromJSON(value: unknown, ubm: Gmm): Float32Array[] {
  const json = value as Partial<ZnormJson> | null;
  if (!json || json.format !== 'verity-voiceprint-znorm/1' || json.ubm !== ubmId(ubm) || json.dims !== ubm.dims || !Array.isArray(json.utterances)) {
    throw new VoiceprintError('model_invalid', 'The Z-norm file is malformed or belongs to a different UBM.');
  }
  return json.utterances.map((u) => {
    const frames = unpackInt16(u.frames, ZNORM_SCALE);
    if (frames.length === 0 || frames.length % ubm.dims !== 0) throw new VoiceprintError('model_invalid', `Z-norm utterance ${u.id} does not match the UBM size.`);
    return frames;
  });
}

/**
 * S-norm of one score: the mean of its T-norm (against the cohort's scores of the same attempt) and,
 * when the enrolment has them, its Z-norm (against the model's scores of the impostor utterances).
 */
function sNorm(score: number, cohortScores: readonly number[], zMean: number | undefined, zStd: number | undefined, stdFloor: number): number {
  const t = meanStd(cohortScores);
  const tNormed = (score - t.mean) / Math.max(t.std, stdFloor);
  if (typeof zMean !== 'number' || typeof zStd !== 'number') return tNormed;
  return (tNormed + (score - zMean) / Math.max(zStd, stdFloor)) / 2;
}

function concatFeatures(features: readonly Features[]): Float32Array {
  return concatFrames(features.map((f) => f.data));
}

/** Row-major frame blocks of one feature size, end to end (MAP and UBM training take one array). */
export function concatFrames(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(values.length, 1);
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(values.length - 1, 1);
  return { mean, std: Math.sqrt(variance) };
}

function clamp(value: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, value));
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : value;
}
