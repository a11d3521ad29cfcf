import type { AppContext } from '../../context.ts';
import type { EventStream } from '../event-stream.ts';
import { factorCallProgressResource } from '../../voice/factor-calls/factor-call-progress.ts';

/**
 * A challenge's stream relays the progress of the calls placed for it (voiceprint checks by phone),
 * as `call_progress` events whose data is the call's event (`call_sid`, `sequence`, `event`, …).
 * They carry no SSE `id`: the challenge's own ids (1 created, 2 delivered, 3 outcome) stay as they
 * are, so a reconnecting client may get a call's events again and drops those it has seen
 * (same `call_sid` and `sequence`). Returns the relay to run on each refresh of the stream.
 */
export function challengeCallRelay(ctx: Pick<AppContext, 'stores'>, stream: EventStream, challengeSid: string): () => Promise<void> {
  const sent = new Map<string, number>();
  return async () => {
    for (const call of await ctx.stores.factorCallEvents.callsOfChallenge(challengeSid)) {
      for (const row of await ctx.stores.factorCallEvents.listAfter(call.sid, sent.get(call.sid) ?? 0)) {
        stream.send('call_progress', factorCallProgressResource(call, row));
        sent.set(call.sid, row.sequence);
      }
    }
  };
}
