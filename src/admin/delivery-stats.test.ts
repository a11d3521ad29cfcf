import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptOutcomeRow } from '../store/admin-queries.ts';
import { deliveryStats } from './delivery-stats.ts';
import { duration } from './delivery-pages.ts';

const row = (provider: string, country: string | null, status: string, latency: number | null, failover: string | null = null): AttemptOutcomeRow => ({
  provider,
  destination_country: country,
  channel: country ? 'sms' : 'email',
  status,
  failover_reason: failover,
  date_created: 1_000_000,
  date_final: latency === null ? null : 1_000_000 + latency,
});

test('per provider (total first) and per country: outcomes, failovers, rate and latency percentiles', () => {
  const stats = deliveryStats([
    ...[100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((ms) => row('sim-b', 'GB', 'delivered', ms)),
    row('sim-a', 'GB', 'undelivered', 50, 'undelivered'),
    row('sim-a', 'GB', 'sent', null, 'timeout'),
    row('sim-a', 'GB', 'rejected', 0, 'rejected'),
    row('sim-a', 'US', 'delivered', 2500),
    row('sim-a', 'US', 'queued', null),
    row('sim-a', null, 'failed', 10),
  ]);
  assert.deepEqual(
    stats.map((s) => [s.provider, s.country, s.attempts, s.delivered, s.notDelivered, s.rejected, s.timedOut, s.pending, s.failovers, s.deliveryRate, s.p50Ms, s.p90Ms]),
    [
      ['sim-a', null, 6, 1, 2, 1, 1, 1, 3, 1 / 5, 2500, 2500],
      ['sim-a', 'GB', 3, 0, 1, 1, 1, 0, 3, 0, null, null],
      ['sim-a', 'US', 2, 1, 0, 0, 0, 1, 0, 1, 2500, 2500],
      ['sim-a', '—', 1, 0, 1, 0, 0, 0, 0, 0, null, null],
      ['sim-b', null, 10, 10, 0, 0, 0, 0, 0, 1, 500, 900],
      ['sim-b', 'GB', 10, 10, 0, 0, 0, 0, 0, 1, 500, 900],
    ],
  );
});

test('a late delivered after a time-out counts as delivered and as a failover; no outcome yet has no rate', () => {
  const [total] = deliveryStats([row('sim-a', 'FR', 'delivered', 30_000, 'timeout')]);
  assert.deepEqual([total?.delivered, total?.timedOut, total?.failovers, total?.deliveryRate], [1, 0, 1, 1]);
  const [pending] = deliveryStats([row('sim-a', 'FR', 'queued', null)]);
  assert.equal(pending?.deliveryRate, null);
  assert.deepEqual(deliveryStats([]), []);
});

test('durations read as ms, seconds or minutes', () => {
  assert.deepEqual([duration(null), duration(850), duration(1234), duration(119_000), duration(600_000)], ['—', '850 ms', '1.2 s', '119.0 s', '10 min']);
});
