import type { Audio } from '../../audio/audio.ts';
import { packFloat32, unpackFloat32 } from '../../model/packed-arrays.ts';
import { VoiceprintError } from '../../voiceprint-error.ts';
import type { SpeakerBackend, SpeakerEnrollment, SpeakerScore } from '../speaker-backend.ts';
import type { Cohort } from './cohort-file.ts';
import { calibrate, cohortSelfStats, cohortStats, cosine, l2Normalize, sNorm, type Stats } from './embedding-math.ts';
import type { EmbeddingExtractor } from './sherpa-extractor.ts';

/** SpeakerEnrollment.model of this backend. */
interface OnnxSpeakerModel {
  /** Mean of the L2-normalised enrolment embeddings, base64 Float32. */
  embedding: string;
  /** Z statistics: the model against the cohort. */
  modelStats: Stats;
  /** S-normed score at which normalized = 0 (embedding-math.ts calibrate). */
  boundary: number;
}

/**
 * Speaker backend over an operator-supplied ONNX speaker-embedding model (issue 18): embedding of
 * each telephone-band recording, speaker model = mean of the L2-normalised enrolment embeddings,
 * raw score = cosine, S-norm against the cohort, normalised score = (S-norm − the speaker's
 * calibrated boundary) / impostor spread, so 0 is the boundary and the engine's threshold sits on
 * the same scale as the built-in backend's. Build it with loadOnnxSpeakerBackend (load-onnx-backend.ts).
 */
export class OnnxSpeakerBackend implements SpeakerBackend {
  readonly id: string;
  private readonly cohortTestStats: Stats[];

  constructor(
    id: string,
    private readonly extractor: EmbeddingExtractor,
    private readonly cohort: Cohort,
  ) {
    this.id = id;
    this.cohortTestStats = cohortSelfStats(cohort.embeddings, cohort.speakers);
  }

  embed(audio: Audio): Float64Array {
    if (audio.sampleRate !== 8000) throw new VoiceprintError('audio_rate', 'The ONNX speaker backend scores telephone-band 8 kHz audio only.');
    const embedding = this.extractor.embed(audio.samples);
    if (!embedding || embedding.length === 0) throw new VoiceprintError('audio_empty', 'The recording is too short to compute a speaker embedding.');
    if (embedding.some((v) => !Number.isFinite(v))) throw new VoiceprintError('model_invalid', 'The speaker-embedding model returned a non-finite value.');
    return l2Normalize(embedding);
  }

  async enroll(recordings: readonly Audio[]): Promise<SpeakerEnrollment> {
    if (recordings.length < 3) throw new VoiceprintError('enroll_count');
    const embeddings = recordings.map((r) => this.embed(r));
    const { model, modelStats, calibration } = calibrate(embeddings, this.cohort.embeddings, this.cohortTestStats);
    const speaker: OnnxSpeakerModel = { embedding: packFloat32(model), modelStats: roundStats(modelStats), boundary: round(calibration.boundary) };
    return {
      backend: this.id,
      model: speaker,
      calibration: { genuine: calibration.genuine.map(round), impostorMean: round(calibration.impostorMean), impostorStd: round(calibration.impostorStd) },
    };
  }

  async score(enrollment: SpeakerEnrollment, audio: Audio): Promise<SpeakerScore> {
    const model = this.modelOf(enrollment);
    const test = this.embed(audio);
    const raw = cosine(model.embedding, test);
    const normed = sNorm(raw, model.modelStats, cohortStats(test, this.cohort.embeddings));
    return { raw, normalized: (normed - model.boundary) / Math.max(enrollment.calibration.impostorStd, 1e-3) };
  }

  private modelOf(enrollment: SpeakerEnrollment): { embedding: Float32Array; modelStats: Stats; boundary: number } {
    const m = enrollment.model as Partial<OnnxSpeakerModel> | null;
    if (enrollment.backend !== this.id) {
      throw new VoiceprintError('voiceprint_invalid', 'The voiceprint was made with a different speaker model: enrol again.');
    }
    const embedding = typeof m?.embedding === 'string' ? unpackFloat32(m.embedding) : undefined;
    const valid =
      embedding?.length === this.cohort.embeddings[0]!.length &&
      typeof m?.boundary === 'number' &&
      Number.isFinite(m.modelStats?.mean) &&
      (m.modelStats?.std ?? 0) > 0 &&
      Number.isFinite(enrollment.calibration?.impostorStd);
    if (!valid) throw new VoiceprintError('voiceprint_invalid');
    return { embedding, modelStats: m!.modelStats!, boundary: m!.boundary! };
  }
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const roundStats = (s: Stats): Stats => ({ mean: round(s.mean), std: round(s.std) });
