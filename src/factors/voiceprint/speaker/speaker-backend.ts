import type { Audio } from '../audio/audio.ts';

/**
 * One way of telling speakers apart (issue 18). The engine (voiceprint-engine.ts) wraps a backend
 * with what does not depend on it: the quality gate, the phrase (content) check, replay defence and
 * the decision. Every backend sees the same input: audio already brought to the telephone band
 * (8 kHz, 300–3400 Hz), so a score never depends on the bandwidth the user's microphone or call had.
 *
 * Backends: the built-in GMM-UBM engine (offline default) and an operator-supplied ONNX speaker-
 * embedding model (speaker/onnx/), chosen by configuration and registered in speaker-backends.ts.
 */
export interface SpeakerBackend {
  /**
   * Stable id of the backend and its model (e.g. `gmm-ubm:<ubm id>`, `onnx:<sha-256 prefix of the
   * model file>`), stored in each voiceprint: a voiceprint made by another backend or model is refused.
   */
  readonly id: string;
  /** Builds the speaker part of a voiceprint from ≥ 3 enrolment recordings (telephone band, past the quality gate). */
  enroll(recordings: readonly Audio[]): Promise<SpeakerEnrollment>;
  /** Scores an attempt (telephone band) against an enrolment made by this backend. */
  score(enrollment: SpeakerEnrollment, audio: Audio): Promise<SpeakerScore>;
}

/** The speaker part of a voiceprint: JSON, sealed at rest with the rest of the voiceprint. */
export interface SpeakerEnrollment {
  /** SpeakerBackend.id of the backend that made it. */
  backend: string;
  /** Backend-specific model of the speaker (MAP means, embeddings, …). */
  model: unknown;
  /**
   * Calibration measured on this enrolment: genuine scores from leave-one-out over the enrolment
   * recordings and impostor scores against the backend's cohort, from which the normalised score
   * below is derived.
   */
  calibration: { genuine: number[]; impostorMean: number; impostorStd: number };
}

export interface SpeakerScore {
  /** The backend's raw similarity (average LLR, cosine, …): for logs and benchmarks. */
  raw: number;
  /** Normalised score (score-normalised against the cohort, calibrated): higher is more alike; 0 is the backend's calibrated boundary. */
  normalized: number;
}
