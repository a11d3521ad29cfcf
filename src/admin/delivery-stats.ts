import type { AttemptOutcomeRow } from '../store/admin-queries.ts';

/** How the attempts through one provider instance (to one country) ended, over the page's window. */
export interface DeliveryStat {
  provider: string;
  /** ISO 3166 alpha-2, or null for the provider's total (and for e-mail, whose attempts have no country: `—`). */
  country: string | null;
  attempts: number;
  delivered: number;
  /** Reported undelivered or failed by the carrier. */
  notDelivered: number;
  /** Refused at send (nothing accepted). */
  rejected: number;
  /** No final status before the route's delivery time-out (and none since). */
  timedOut: number;
  /** Still waiting for a final status, within the time-out. */
  pending: number;
  /** Attempts that handed the message to the next route. */
  failovers: number;
  /** delivered / (delivered + notDelivered + rejected + timedOut); null with no outcome yet. */
  deliveryRate: number | null;
  /** Time from the attempt to `delivered` (ms), median and 90th percentile (nearest rank); null without deliveries. */
  p50Ms: number | null;
  p90Ms: number | null;
}

const FINAL_NOT_DELIVERED = new Set(['undelivered', 'failed']);

/** The nearest-rank percentile `p` (0–100) of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

function summarise(provider: string, country: string | null, rows: readonly AttemptOutcomeRow[]): DeliveryStat {
  const stat = { provider, country, attempts: rows.length, delivered: 0, notDelivered: 0, rejected: 0, timedOut: 0, pending: 0, failovers: 0 };
  const latencies: number[] = [];
  for (const row of rows) {
    if (row.failover_reason !== null) stat.failovers++;
    if (row.status === 'delivered') {
      stat.delivered++;
      if (row.date_final !== null) latencies.push(Math.max(0, row.date_final - row.date_created));
    } else if (FINAL_NOT_DELIVERED.has(row.status)) stat.notDelivered++;
    else if (row.status === 'rejected') stat.rejected++;
    else if (row.failover_reason === 'timeout') stat.timedOut++;
    else stat.pending++;
  }
  latencies.sort((a, b) => a - b);
  const outcomes = stat.delivered + stat.notDelivered + stat.rejected + stat.timedOut;
  return { ...stat, deliveryRate: outcomes === 0 ? null : stat.delivered / outcomes, p50Ms: percentile(latencies, 50), p90Ms: percentile(latencies, 90) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Delivery rate and latency to delivered per provider instance (its total first, `country: null`),
 * then per destination country, from the attempts of the window. A late `delivered` after a
 * time-out counts as delivered (the phone got it), the failover is still counted.
 */
export function deliveryStats(rows: readonly AttemptOutcomeRow[]): DeliveryStat[] {
  const byProvider = groupBy(rows, (row) => row.provider);
  const stats: DeliveryStat[] = [];
  for (const provider of [...byProvider.keys()].sort()) {
    const providerRows = byProvider.get(provider) ?? [];
    stats.push(summarise(provider, null, providerRows));
    const byCountry = groupBy(providerRows, (row) => row.destination_country ?? '—');
    for (const country of [...byCountry.keys()].sort()) stats.push(summarise(provider, country, byCountry.get(country) ?? []));
  }
  return stats;
}

/** Delivery rate and latency per destination country, every provider together (the charts' per-country view). */
export function deliveryStatsByCountry(rows: readonly AttemptOutcomeRow[]): DeliveryStat[] {
  const byCountry = groupBy(rows, (row) => row.destination_country ?? '—');
  return [...byCountry.keys()].sort().map((country) => summarise('all', country, byCountry.get(country) ?? []));
}
