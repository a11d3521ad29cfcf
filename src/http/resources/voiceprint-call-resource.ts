import type { CallRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';

/** A call placed for a voiceprint factor or challenge (`POST …/Factors/{YF}/Calls`, `…/Challenges/{YC}/Calls`). */
export function voiceprintCallResource(call: CallRow): Record<string, unknown> {
  return { call_sid: call.sid, to: call.destination, from: call.caller_id, status: call.status, flow: call.flow, factor_sid: call.factor_sid, challenge_sid: call.challenge_sid, date_created: isoSeconds(call.date_created) };
}
