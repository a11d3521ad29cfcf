import { timingSafeEqual } from 'node:crypto';
import { CALL_PROMPTS, CODE_PROMPTS } from './call-prompts.ts';
import { CODE_ENTRY_SECONDS, INITIAL_STATE, fill, gather, hangUpAfter, say, type CallFlow, type FlowFacts } from './call-flow.ts';

/** Entries (wrong codes or silences) before the call gives up. */
export const KEYPAD_TRIES = 3;

// The entry ends on the code's last digit (no terminating key, and the prompt asks for none).
const askForCode = (f: FlowFacts, before: string[] = []) =>
  gather([...before.map((text) => say(text, f.locale)), say(CALL_PROMPTS[f.locale].enterCode, f.locale)], { maxDigits: f.secret.length, timeoutSeconds: CODE_ENTRY_SECONDS, finishOnKey: null });

/** Equal strings, compared in constant time (the length is public: the code's length). */
export function sameDigits(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/**
 * Key in the code shown on screen: the app shows `display_code`, the caller types it on the keypad.
 * Possession of the phone is proven without the code crossing the phone network. Three wrong codes
 * fail the verification; three silences end the call and leave it pending (the app may call again).
 */
export const keypadCodeFlow: CallFlow = {
  start(f) {
    return { instruction: { prompts: [say(fill(CODE_PROMPTS[f.locale].voiceIntro, { name: f.serviceName }), f.locale)], then: askForCode(f) }, state: INITIAL_STATE };
  },
  digits(f, state, digits) {
    const p = CALL_PROMPTS[f.locale];
    if (digits !== '' && sameDigits(digits, f.secret)) return { instruction: hangUpAfter([say(p.codeAccepted, f.locale)]), state, outcome: 'approved' };
    const tries = state.tries + 1;
    const silent = digits === '';
    if (tries >= KEYPAD_TRIES) {
      // Silence proves nothing either way; wrong codes do.
      if (silent) return { instruction: hangUpAfter([say(p.noInput, f.locale), say(CODE_PROMPTS[f.locale].voiceGoodbye, f.locale)]), state: { ...state, tries }, note: 'no_input' };
      return { instruction: hangUpAfter([say(p.tooManyWrong, f.locale)]), state: { ...state, tries }, outcome: 'failed', note: 'wrong_digits' };
    }
    return { instruction: { prompts: [], then: askForCode(f, [silent ? p.noInput : p.wrongCode]) }, state: { ...state, tries }, note: silent ? 'no_input' : 'wrong_digits' };
  },
};
