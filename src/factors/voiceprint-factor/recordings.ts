import { VerityError, invalidParameter } from '../../errors/verity-error.ts';
import type { Audio } from '../voiceprint/audio/audio.ts';
import { decodeWav } from '../voiceprint/audio/wav.ts';
import { VoiceprintError } from '../voiceprint/voiceprint-error.ts';

/** Decodes an uploaded recording; anything that is not 8 or 16 kHz PCM/µ-law/A-law WAV is a 60200 that says why. */
export function decodeRecording(wav: Uint8Array): Audio {
  try {
    return decodeWav(wav);
  } catch (error) {
    if (error instanceof VoiceprintError) throw invalidParameter('Recording', `${error.message} [${error.code}]`);
    throw error;
  }
}

/** Recordings are sealed as base64 text. */
export function encodeRecording(wav: Uint8Array): string {
  return Buffer.from(wav).toString('base64');
}

/** The 64011 error for a recording that failed its quality checks; `details.problems` lists them. */
export function qualityError(problems: ReadonlyArray<{ code: string; message: string }>): VerityError {
  const first = problems[0];
  return new VerityError(64011, `Recording rejected: ${first ? first.message : 'please record again'}`, { details: { problems: problems.map((p) => ({ code: p.code, message: p.message })) } });
}
