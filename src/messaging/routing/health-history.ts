import type { HealthSettings } from '../../config/messaging-config.ts';
import type { Clock } from '../../crypto/clock.ts';
import type { DeliveryAttemptsStore } from '../../store/delivery-attempts-store.ts';
import type { AttemptOutcome } from '../route-plan.ts';
import type { MessagingRouter, RecordedOutcome } from './messaging-router.ts';

type AttemptEnd = Awaited<ReturnType<DeliveryAttemptsStore['recentOutcomes']>>[number];

/** Attempts read per start: a few minutes of a busy node's traffic. */
const MOST_ATTEMPTS = 20_000;

/** How an attempt ended as its target's health sees it; undefined while it is still under way. */
function outcomeOf(attempt: AttemptEnd): AttemptOutcome | undefined {
  switch (attempt.status) {
    case 'delivered':
      return 'delivered';
    case 'rejected':
      return 'rejected';
    case 'undelivered':
    case 'failed':
      return 'undelivered';
    default:
      // Handed to the next target for want of a final status in time: a timeout; else still under way.
      return attempt.failover_reason === 'timeout' ? 'timeout' : undefined;
  }
}

/**
 * Rebuilds a starting node's circuit breakers from the attempts of the last window (every node's:
 * they share the database), so a restart neither forgets an unhealthy provider nor waits for a
 * fresh window of failures to take it out of rotation again.
 */
export async function restoreHealth(router: MessagingRouter, store: Pick<DeliveryAttemptsStore, 'recentOutcomes'>, clock: Clock, health: HealthSettings): Promise<number> {
  const attempts = await store.recentOutcomes(clock.now() - health.windowSeconds * 1000, MOST_ATTEMPTS);
  const outcomes = attempts.flatMap((attempt): RecordedOutcome[] => {
    const outcome = outcomeOf(attempt);
    if (!outcome) return [];
    const country = attempt.destination_country ?? (attempt.channel === 'email' ? '-' : 'ZZ');
    return [{ instance: attempt.provider, country, outcome, at: attempt.date_final ?? attempt.date_updated }];
  });
  router.restore(outcomes.sort((a, b) => a.at - b.at));
  return outcomes.length;
}
