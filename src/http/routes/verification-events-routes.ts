import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { progressResource } from '../../verify/lifecycle/verification-progress.ts';
import { isVerificationEventsToken } from '../../voice/verification-events-token.ts';
import { lastEventId, openEventStream, refreshWhileOpen } from '../event-stream.ts';
import { streamVerificationEventsSchema } from './event-streams-schema.ts';

type EventsPath = { Params: { verificationSid: string; token: string } };

/**
 * A call verification's live progress (the login page's view): every event in sequence order, each
 * with `id:` = its sequence number, resuming after Last-Event-ID. The stream ends once the
 * verification is decided and no call of it is live. No account credentials: the URL's token grants
 * reading this verification's progress only. Re-read on every `verification:{VE}` message, from
 * whichever node changed it (src/events/cluster-bus.ts): no polling.
 */
export function verificationEventsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<EventsPath>('/events/v1/Verifications/:verificationSid/:token', { schema: streamVerificationEventsSchema, config: { eventStream: true } }, async (request, reply) => {
    const { verificationSid: sid, token } = request.params;
    const path = `/events/v1/Verifications/${sid}`;
    if (!/^VE[0-9a-f]{32}$/.test(sid) || !isVerificationEventsToken(ctx, sid, token)) throw notFound(path);
    const serviceSid = await ctx.stores.verifications.serviceSidOf(sid);
    if (serviceSid === undefined) throw notFound(path);

    const stream = openEventStream(ctx, request, reply);
    const events = ctx.stores.verificationEvents;
    let sentUpTo = lastEventId(request);
    await refreshWhileOpen(ctx, stream, { topic: `verification:${sid}`, logContext: { verificationSid: sid } }, async () => {
      // State first, events second: every event committed before the state was read is sent
      // before the stream decides it is over.
      const verification = await ctx.stores.verifications.find(serviceSid, sid);
      const live = (await ctx.stores.calls.listForVerification(sid)).some((c) => c.active);
      for (const row of await events.listAfter(sid, sentUpTo)) {
        stream.send(row.event, progressResource(row), row.sequence);
        sentUpTo = row.sequence;
      }
      // Expiry is recorded by the sweeper within seconds; the stream waits for that last event.
      const decided = !verification || verification.status !== 'pending';
      if (decided && !live) stream.close();
    });
  });
}
