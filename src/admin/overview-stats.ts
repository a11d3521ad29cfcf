import type { AdminQueries } from '../store/admin-queries.ts';
import { DAY_MS } from '../store/admin-queries.ts';
import type { ServiceRow } from '../store/schema.ts';
import { deliveryStats } from './delivery-stats.ts';

/** Today's numbers of one service, for its row on the overview. */
export interface ServiceToday {
  started: number;
  approved: number;
}

/** The overview's headline numbers, for today (UTC) across the services listed. */
export interface OverviewStats {
  started: number;
  approved: number;
  /** Delivery attempts with an outcome today, and how many were delivered. */
  deliveryOutcomes: number;
  delivered: number;
  /** Number ranges whose SMS-pumping cap (the prefix bucket) is exhausted now: sends to them are refused. */
  blockedRanges: number;
  perService: Map<string, ServiceToday>;
}

/**
 * Reads the overview's numbers with the console's existing queries: today's verifications per
 * service (dailyCounts), today's delivery outcomes (attemptOutcomes → deliveryStats), and the prefix
 * buckets under one token (lowBuckets): the fraud guard refusing a number range right now.
 */
export async function overviewStats(queries: AdminQueries, accountSid: string, services: readonly ServiceRow[], now: number): Promise<OverviewStats> {
  const today = Math.floor(now / DAY_MS);
  const perService = new Map<string, ServiceToday>();
  let blockedRanges = 0;
  await Promise.all(
    services.map(async (service) => {
      const [daily, buckets] = await Promise.all([queries.dailyCounts(accountSid, service.sid, today), queries.lowBuckets(service.sid, 1)]);
      perService.set(service.sid, { started: daily.reduce((n, d) => n + d.count, 0), approved: daily.reduce((n, d) => n + d.approved, 0) });
      blockedRanges += buckets.filter((b) => b.key.startsWith('prefix:')).length;
    }),
  );
  const outcomes = await queries.attemptOutcomes(accountSid, today * DAY_MS);
  const totals = deliveryStats(outcomes.rows).filter((s) => s.country === null);
  let started = 0;
  let approved = 0;
  for (const s of perService.values()) {
    started += s.started;
    approved += s.approved;
  }
  return {
    started,
    approved,
    deliveryOutcomes: totals.reduce((n, s) => n + s.delivered + s.notDelivered + s.rejected + s.timedOut, 0),
    delivered: totals.reduce((n, s) => n + s.delivered, 0),
    blockedRanges,
    perService,
  };
}
