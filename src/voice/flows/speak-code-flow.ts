import { spellDigits } from '../../channels/render-message.ts';
import { CALL_PROMPTS, CODE_PROMPTS } from './call-prompts.ts';
import { INITIAL_STATE, KEYPAD_WINDOW_SECONDS, fill, gather, hangUpAfter, say, type CallFlow, type FlowFacts, type FlowState, type FlowTurn } from './call-flow.ts';

/** How often a caller may ask to hear the code again. */
const MAX_REPEATS = 3;

const offerRepeat = (f: FlowFacts) => gather([say(CALL_PROMPTS[f.locale].pressOneToRepeat, f.locale)], { maxDigits: 1, timeoutSeconds: KEYPAD_WINDOW_SECONDS, finishOnKey: null });

/**
 * Channel=call (the hosted API's voice code): greets with the service name, reads the code digit
 * by digit twice and offers to repeat it. The caller types the code into the app; the call itself
 * decides nothing.
 */
export const speakCodeFlow: CallFlow = {
  start(f) {
    const t = CODE_PROMPTS[f.locale];
    const spoken = spellDigits(f.secret);
    // PSD2 dynamic linking: a payment's code is read out with what it approves (its amount and payee).
    const payment = f.amount && f.payee ? [say(fill(CALL_PROMPTS[f.locale].approvePayment, { amount: f.amount, payee: f.payee }), f.locale)] : [];
    return {
      instruction: { prompts: [say(fill(t.voiceIntro, { name: f.serviceName }), f.locale), ...payment, say(fill(t.voiceCode, { code: spoken }), f.locale), say(fill(t.voiceRepeat, { code: spoken }), f.locale)], then: offerRepeat(f) },
      state: INITIAL_STATE,
    };
  },
  digits(f, state: FlowState, digits): FlowTurn {
    if (digits === '1' && state.repeats < MAX_REPEATS) {
      const t = CODE_PROMPTS[f.locale];
      return {
        instruction: { prompts: [say(fill(t.voiceCode, { code: spellDigits(f.secret) }), f.locale)], then: offerRepeat(f) },
        state: { ...state, repeats: state.repeats + 1 },
        note: 'repeat',
      };
    }
    return { instruction: hangUpAfter([say(CODE_PROMPTS[f.locale].voiceGoodbye, f.locale)]), state };
  },
};
