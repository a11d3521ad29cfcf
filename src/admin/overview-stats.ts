import type { AdminQueries } from '../store/admin-queries.ts';
import { DAY_MS } from '../store/admin-queries.ts';
import type { ServiceRow } from '../store/schema.ts';
import type { SendRefusalsStore } from '../store/send-refusals-store.ts';
import { deliveryStats } from './delivery-stats.ts';

/** Today's numbers of one service, for its row on the overview. */
interface ServiceToday {
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
  /** Sends the fraud guard (the send gate) refused today: SMS-pumping cap, countries, send limits. */
  refusedToday: number;
  perService: Map<string, ServiceToday>;
}

/**
 * Reads the overview's numbers with the console's existing queries: today's verifications per
 * service (dailyCounts), today's delivery outcomes (attemptOutcomes → deliveryStats), and today's
 * refusals of the send gate (send_refusals, every reason).
 */
export async function overviewStats(stores: { adminQueries: AdminQueries; sendRefusals: Pick<SendRefusalsStore, 'perDay'> }, accountSid: string, services: readonly ServiceRow[], now: number): Promise<OverviewStats> {
  const queries = stores.adminQueries;
  const today = Math.floor(now / DAY_MS);
  const perService = new Map<string, ServiceToday>();
  await Promise.all(
    services.map(async (service) => {
      const daily = await queries.dailyCounts(accountSid, service.sid, today);
      perService.set(service.sid, { started: daily.reduce((n, d) => n + d.count, 0), approved: daily.reduce((n, d) => n + d.approved, 0) });
    }),
  );
  const [outcomes, refusals] = await Promise.all([queries.attemptOutcomes(accountSid, today * DAY_MS), stores.sendRefusals.perDay(accountSid, today)]);
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
    refusedToday: refusals.reduce((n, r) => n + r.count, 0),
    perService,
  };
}
