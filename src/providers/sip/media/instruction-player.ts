import type { CallInstruction } from '../../../voice/call-script.ts';
import type { MediaSession } from './media-session.ts';

/** Renders a prompt to 8 kHz 16-bit audio (src/audio/prompt-audio.ts with espeak-ng), or null without audio. */
export type RenderPrompt = (text: string, locale: string) => Promise<Int16Array | null>;

/** What a CallInstruction's last step produced. */
export type InstructionOutcome =
  | { kind: 'digits'; digits: string }
  | { kind: 'recording'; wav: Buffer }
  | { kind: 'hangup' };

export interface PlayInstructionOptions {
  render: RenderPrompt;
  /** Aborted when the call ends (the callee's BYE): the promise then resolves `hangup`. */
  signal: AbortSignal;
  /** Called when each prompt starts playing (progress events: `prompt played`). */
  onPrompt?: (text: string) => void;
}
