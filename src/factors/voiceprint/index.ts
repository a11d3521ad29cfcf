// Public API of the voice-biometrics engine (see README.md in this folder).
export { type Audio, type SampleRate, MAX_AUDIO_SECONDS, durationSeconds } from './audio/audio.ts';
export { decodeWav, encodeWav } from './audio/wav.ts';
export { addNoise, applyGain, g711RoundTrip, toTelephoneBand } from './audio/resample.ts';
export { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './audio/g711.ts';
export { mulberry32 } from './audio/prng.ts';
export { FEATURE_CONFIGS, type FeatureConfig } from './features/feature-config.ts';
export { extractFeatures, type Features } from './features/extract-features.ts';
export { modelFeatures } from './features/model-features.ts';
export { Gmm, type GmmJson, type TrainUbmOptions, averageLlr, averageLlrs, mapAdaptMeans, mapAdaptedMeans, trainUbm } from './model/gmm.ts';
export { dtwDistance, type Sequence } from './model/dtw.ts';
export { ubmId } from './model/ubm-id.ts';
export { checkQuality, QUALITY_THRESHOLDS, type QualityProblem, type QualityReport } from './quality/check-quality.ts';
export { decodeFingerprint, encodeFingerprint, fingerprint, replaySimilarity } from './replay/fingerprint.ts';
export {
  DEFAULT_THRESHOLD,
  ENGINE_DEFAULTS,
  VoiceprintEngine,
  buildCohortModel,
  cohortFromJSON,
  cohortToJSON,
  type CohortModel,
  type EnrollResult,
  type VerifyOptions,
  type VerifyResult,
  type Voiceprint,
  type VoiceprintModels,
} from './voiceprint-engine.ts';
export { VOICEPRINT_ERROR_CODES, VoiceprintError, type VoiceprintErrorCode } from './voiceprint-error.ts';
