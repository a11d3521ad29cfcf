import type { Locale } from '../../i18n/locales.ts';
import type { CallInstruction, Gather, Prompt } from '../call-script.ts';

/** The flows a verification call can run (`VoiceFlow`; `flash` for Channel=flashcall). */
export const VOICE_FLOWS = ['speak_code', 'keypad_code', 'press_one', 'press_one_number'] as const;
export type VoiceFlow = (typeof VOICE_FLOWS)[number] | 'flash';

/** What a flow knows about its verification. `secret` is the code to speak, or the digits to expect. */
export interface FlowFacts {
  serviceName: string;
  locale: Locale;
  secret: string;
  amount: string | null;
  payee: string | null;
}

/** Kept in the call row between events. */
export interface FlowState {
  /** Wrong entries (or silences) so far. */
  tries: number;
  /** Times the code was read out again on request. */
  repeats: number;
}

/** The verification outcome a call decides (speak-code and flash calls decide none). */
type FlowOutcome = 'approved' | 'denied' | 'failed';

export interface FlowTurn {
  instruction: CallInstruction;
  state: FlowState;
  outcome?: FlowOutcome;
  /** For the progress events: why the call ends this way (never a digit). */
  note?: 'no_input' | 'wrong_digits' | 'repeat';
}

/** A call flow: its first instruction when answered, and its answer to each gather result. */
export interface CallFlow {
  start(facts: FlowFacts): FlowTurn;
  digits(facts: FlowFacts, state: FlowState, digits: string): FlowTurn;
}

export const say = (text: string, locale: Locale): Prompt => ({ kind: 'say', text, locale });

export const fill = (template: string, values: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

export function gather(prompt: Prompt[], options: Omit<Gather, 'kind' | 'prompt'>): Gather {
  return { kind: 'gather', prompt, ...options };
}

export function hangUpAfter(prompts: Prompt[]): CallInstruction {
  return { prompts, then: { kind: 'hangup' } };
}

export const INITIAL_STATE: FlowState = { tries: 0, repeats: 0 };

/**
 * Seconds a caller has to press a key once the last prompt has finished playing (a gather's
 * timeout starts then): enough to take the phone from the ear and find the key.
 */
export const KEYPAD_WINDOW_SECONDS = 8;

/** Seconds for the first digit of a code typed from the screen, and between its digits. */
export const CODE_ENTRY_SECONDS = 10;
