import { DomainError } from '../../errors/domain-error.ts';
import type { Audio } from '../voiceprint/audio/audio.ts';
import { decodeWav } from '../voiceprint/audio/wav.ts';
import { VoiceprintError } from '../voiceprint/voiceprint-error.ts';

/** A recording that cannot be used as sent (sent on the wire as 60200, like any invalid parameter). */
export const invalidRecording = (why: string): DomainError => new DomainError('invalid_recording', `Invalid parameter: Recording (${why})`);

/** Decodes an uploaded recording; anything that is not 8 or 16 kHz PCM/µ-law/A-law WAV is an invalid recording that says why. */
export function decodeRecording(wav: Uint8Array): Audio {
  try {
    return decodeWav(wav);
  } catch (error) {
    if (error instanceof VoiceprintError) throw invalidRecording(`${error.message} [${error.code}]`);
    throw error;
  }
}

/**
 * Recordings are sealed as base64 text; a digits-mode enrolment recording is prefixed with the
 * digits it answered (`4719302#<base64>`), so the prompt stays with its audio, sealed.
 */
export function encodeRecording(wav: Uint8Array, prompt?: string): string {
  const audio = Buffer.from(wav).toString('base64');
  return prompt === undefined ? audio : `${prompt}#${audio}`;
}

/** The inverse of encodeRecording. */
export function decodeSealedRecording(text: string): { wav: Buffer; prompt: string | undefined } {
  const at = text.indexOf('#');
  return at < 0 ? { wav: Buffer.from(text, 'base64'), prompt: undefined } : { wav: Buffer.from(text.slice(at + 1), 'base64'), prompt: text.slice(0, at) };
}

/** The refusal of a recording that failed its quality checks; `details.problems` lists them. */
export function qualityError(problems: ReadonlyArray<{ code: string; message: string }>): DomainError {
  const first = problems[0];
  return new DomainError('recording_rejected', `Recording rejected: ${first ? first.message : 'please record again'}`, { details: { problems: problems.map((p) => ({ code: p.code, message: p.message })) } });
}
