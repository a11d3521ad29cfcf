import { CALL_PROMPTS } from './call-prompts.ts';
import { INITIAL_STATE, hangUpAfter, say, type CallFlow } from './call-flow.ts';

/**
 * A flash call carries its code in the caller id and is dropped while ringing. Should someone
 * answer anyway, a short message plays and the call ends.
 */
export const flashCallFlow: CallFlow = {
  start(f) {
    return { instruction: hangUpAfter([say(CALL_PROMPTS[f.locale].flashAnswered, f.locale)]), state: INITIAL_STATE };
  },
  digits(f, state) {
    return { instruction: hangUpAfter([say(CALL_PROMPTS[f.locale].flashAnswered, f.locale)]), state };
  },
};
