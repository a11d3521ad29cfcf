import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { isChallengeEventsToken, progressEvents } from '../../factors/challenge-progress.ts';
import { lastEventId, openEventStream, refreshWhileOpen } from '../event-stream.ts';
import { streamChallengeEventsSchema } from './event-streams-schema.ts';
import { challengeCallRelay } from './challenge-call-relay.ts';

type EventsPath = { Params: { challengeSid: string; token: string } };

/**
 * A challenge's live progress for the waiting login page (docs/push.md §5). No account credentials:
 * the URL's token grants reading this challenge's progress and nothing else.
 */
export function challengeEventsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<EventsPath>('/events/v1/Challenges/:challengeSid/:token', { schema: streamChallengeEventsSchema, config: { eventStream: true } }, async (request, reply) => {
    const { challengeSid: sid, token } = request.params;
    const path = `/events/v1/Challenges/${sid}`;
    if (!/^YC[0-9a-f]{32}$/.test(sid) || !isChallengeEventsToken(ctx, sid, token)) throw notFound(path);
    const store = ctx.stores.challenges;
    if (!(await store.findBySid(sid))) throw notFound(path);

    const stream = openEventStream(ctx, request, reply);
    let sentUpTo = lastEventId(request);
    // Re-read on every `challenge:{YC}` message from any node, and once at the challenge's expiry
    // (nothing is announced then: `expired` is computed from the clock).
    let expiryTimer: NodeJS.Timeout | undefined;
    const relayCalls = challengeCallRelay(ctx, stream, sid);
    stream.onClose(() => clearTimeout(expiryTimer));
    // The timer fires after refreshWhileOpen has returned `wake` (a macrotask after the first refresh).
    const wake = await refreshWhileOpen(ctx, stream, { topic: `challenge:${sid}`, logContext: { challengeSid: sid } }, async () => {
      const row = await store.findBySid(sid);
      if (!row) return stream.close();
      const now = ctx.clock.now();
      // The progress of the challenge's voiceprint calls first (relayed without ids), then its own events.
      if (row.factor_type === 'voiceprint') await relayCalls();
      for (const event of progressEvents(row, now)) {
        if (event.sequence <= sentUpTo) continue;
        stream.send(event.event, event, event.sequence);
        sentUpTo = event.sequence;
      }
      if (sentUpTo >= 3) stream.close();
      else if (!expiryTimer) {
        expiryTimer = setTimeout(() => wake(), Math.min(2 ** 31 - 1, Math.max(0, row.expiration_date - now) + 10));
        expiryTimer.unref();
      }
    });
  });
}
