import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { lastEventId, openEventStream, refreshWhileOpen } from '../event-stream.ts';
import { factorCallProgressResource, factorCallTopic, isFactorCallEventsToken } from '../../voice/factor-calls/factor-call-progress.ts';
import { streamFactorCallEventsSchema } from './factor-call-events-schema.ts';

type EventsPath = { Params: { callSid: string; token: string } };

/**
 * A voiceprint call's live progress (the hosted page's view, and `links.events` of the API's calls):
 * every event in sequence order, each with `id:` = its sequence number, resuming after Last-Event-ID.
 * The stream ends once the call has ended and its events are sent. No account credentials: the URL's
 * token grants reading this call's progress only. Re-read on every `factor:call:{CL}` message, from
 * whichever node recorded it (src/events/cluster-bus.ts).
 */
export function factorCallEventsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<EventsPath>('/events/v1/Calls/:callSid/:token', { schema: streamFactorCallEventsSchema, config: { eventStream: true } }, async (request, reply) => {
    const { callSid: sid, token } = request.params;
    const path = `/events/v1/Calls/${sid}`;
    if (!/^CL[0-9a-f]{32}$/.test(sid) || !isFactorCallEventsToken(ctx, sid, token)) throw notFound(path);
    const known = await ctx.stores.calls.find(sid);
    // Verification calls have their verification's stream; this one is for factor calls only.
    if (!known || known.verification_sid !== null) throw notFound(path);

    const stream = openEventStream(ctx, request, reply);
    let sentUpTo = lastEventId(request);
    await refreshWhileOpen(ctx, stream, { topic: factorCallTopic(sid), logContext: { callSid: sid } }, async () => {
      // State first, events second: every event committed before the state was read is sent before the stream ends.
      const call = await ctx.stores.calls.find(sid);
      for (const row of await ctx.stores.factorCallEvents.listAfter(sid, sentUpTo)) {
        stream.send(row.event, factorCallProgressResource(known, row), row.sequence);
        sentUpTo = row.sequence;
      }
      if (!call || !call.active) stream.close();
    });
  });
}
