import type { AppContext } from '../../context.ts';
import type { CallRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';
import { factorCallEventsUrl } from '../../voice/factor-calls/factor-call-progress.ts';

/** A call placed for a voiceprint factor or challenge (`POST …/Factors/{YF}/Calls`, `…/Challenges/{YC}/Calls`), with its progress stream. */
export function voiceprintCallResource(ctx: Pick<AppContext, 'config' | 'keyring'>, call: CallRow): Record<string, unknown> {
  return {
    call_sid: call.sid,
    to: call.destination,
    from: call.caller_id,
    status: call.status,
    flow: call.flow,
    factor_sid: call.factor_sid,
    challenge_sid: call.challenge_sid,
    date_created: isoSeconds(call.date_created),
    links: { events: factorCallEventsUrl(ctx, call.sid) },
  };
}
