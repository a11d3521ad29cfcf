import { CALL_PROMPTS, CODE_PROMPTS } from './call-prompts.ts';
import { INITIAL_STATE, KEYPAD_WINDOW_SECONDS, fill, gather, hangUpAfter, say, type CallFlow, type FlowFacts } from './call-flow.ts';
import { sameDigits } from './keypad-code-flow.ts';

/** Prompts without any key before the call ends as a timeout. */
const PROMPTS_WITHOUT_INPUT = 2;

function question(f: FlowFacts, numberMatch: boolean) {
  const p = CALL_PROMPTS[f.locale];
  const what = f.amount && f.payee ? fill(p.approvePayment, { amount: f.amount, payee: f.payee }) : p.approveSignIn;
  return gather([say(what, f.locale), say(numberMatch ? p.enterNumberToApprove : p.pressOneToApprove, f.locale)], {
    maxDigits: numberMatch ? 2 : 1,
    timeoutSeconds: KEYPAD_WINDOW_SECONDS,
    // Input ends on the last digit, as the prompt says; `*` (deny) is a digit like any other.
    finishOnKey: null,
  });
}

/**
 * Press 1 to approve a sign-in or a payment (amount and payee are spoken). With number matching the
 * caller enters the two digits the screen shows instead, so an approval cannot be given to a login
 * the caller is not looking at. Any other key denies; no key at all is a timeout that leaves the
 * verification pending.
 */
function pressOne(numberMatch: boolean): CallFlow {
  return {
    start(f) {
      return { instruction: { prompts: [say(fill(CODE_PROMPTS[f.locale].voiceIntro, { name: f.serviceName }), f.locale)], then: question(f, numberMatch) }, state: INITIAL_STATE };
    },
    digits(f, state, digits) {
      const p = CALL_PROMPTS[f.locale];
      if (digits === '') {
        const tries = state.tries + 1;
        if (tries >= PROMPTS_WITHOUT_INPUT) return { instruction: hangUpAfter([say(p.noInput, f.locale), say(CODE_PROMPTS[f.locale].voiceGoodbye, f.locale)]), state: { ...state, tries }, note: 'no_input' };
        return { instruction: { prompts: [say(p.noInput, f.locale)], then: question(f, numberMatch) }, state: { ...state, tries }, note: 'no_input' };
      }
      const approved = numberMatch ? sameDigits(digits, f.secret) : digits === '1';
      return approved
        ? { instruction: hangUpAfter([say(p.approved, f.locale)]), state, outcome: 'approved' }
        : { instruction: hangUpAfter([say(p.denied, f.locale)]), state, outcome: 'denied', ...(numberMatch ? { note: 'wrong_digits' as const } : {}) };
    },
  };
}

export const pressOneFlow = pressOne(false);
export const pressOneNumberFlow = pressOne(true);
