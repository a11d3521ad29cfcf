import type { CallFlow, VoiceFlow } from './call-flow.ts';
import { flashCallFlow } from './flash-call-flow.ts';
import { keypadCodeFlow } from './keypad-code-flow.ts';
import { pressOneFlow, pressOneNumberFlow } from './press-one-flow.ts';
import { speakCodeFlow } from './speak-code-flow.ts';

export const CALL_FLOWS: Record<VoiceFlow, CallFlow> = {
  speak_code: speakCodeFlow,
  keypad_code: keypadCodeFlow,
  press_one: pressOneFlow,
  press_one_number: pressOneNumberFlow,
  flash: flashCallFlow,
};

/** Flows whose call decides the verification (a code check cannot approve it). */
export const DECIDED_ON_THE_CALL: ReadonlySet<string> = new Set<VoiceFlow>(['keypad_code', 'press_one', 'press_one_number']);

/** Flows whose app shows a code to the user (`display_code`), and its length. */
export function displayCodeLength(flow: string | null, codeLength: number): number | undefined {
  if (flow === 'keypad_code') return codeLength;
  if (flow === 'press_one_number') return 2;
  return undefined;
}
