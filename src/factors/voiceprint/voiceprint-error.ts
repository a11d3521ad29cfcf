/**
 * Stable codes a caller can switch on. Messages are safe to show: they say what was expected
 * and never echo audio content or voiceprint data.
 */
const VOICEPRINT_ERROR_CODES = {
  audio_format: 'The audio is not a supported WAV file (RIFF/WAVE, 16-bit PCM, µ-law or A-law, mono or stereo).',
  audio_rate: 'The audio sample rate is not 8000 or 16000 Hz.',
  audio_truncated: 'The WAV file is cut short or its chunks are inconsistent.',
  audio_empty: 'The WAV file holds no samples.',
  audio_too_long: 'The audio is longer than the 5-minute limit.',
  enroll_count: 'Enrolment needs at least three recordings.',
  model_invalid: 'A model file is missing, malformed or of an unknown format.',
  voiceprint_invalid: 'The voiceprint is malformed or was made with a different background model.',
} as const;

export type VoiceprintErrorCode = keyof typeof VOICEPRINT_ERROR_CODES;

/** The one error type the voiceprint engine throws. */
export class VoiceprintError extends Error {
  readonly code: VoiceprintErrorCode;

  constructor(code: VoiceprintErrorCode, message?: string, options: { cause?: unknown } = {}) {
    super(message ?? VOICEPRINT_ERROR_CODES[code], { cause: options.cause });
    this.name = 'VoiceprintError';
    this.code = code;
  }
}
