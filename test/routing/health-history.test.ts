import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_HEALTH } from '../../src/config/messaging-config.ts';
import { ManualClock } from '../../src/crypto/clock.ts';
import { restoreHealth } from '../../src/messaging/routing/health-history.ts';
import { MessagingRouter } from '../../src/messaging/routing/messaging-router.ts';
import { RouteTable } from '../../src/messaging/routing/route-table.ts';
import { seededRandom } from '../../src/messaging/routing/weighted-order.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/store/database.ts';
import type { DeliveryAttemptRow } from '../../src/store/schema.ts';
import { createStores } from '../../src/store/unit-of-work.ts';

let seq = 0;
function attempt(clock: ManualClock, fields: Partial<DeliveryAttemptRow> & Pick<DeliveryAttemptRow, 'provider' | 'status'>): DeliveryAttemptRow {
  const sid = `DA${String(seq++).padStart(32, '0')}`;
  const now = clock.now();
  return {
    sid, account_sid: `AC${'0'.repeat(32)}`, service_sid: `VA${'0'.repeat(32)}`, verification_sid: `VE${'0'.repeat(32)}`, send_attempt_sid: `VL${'0'.repeat(32)}`,
    channel: 'sms', destination_country: 'GB', route_id: 'r', route_position: 0, provider_message_id: null, parts: null, status_history: [],
    error_code: null, error_message: null, price: null, price_unit: null, receipts: true, message_sealed: null, deliver_by: null, lease_until: 0,
    failover_reason: null, version: 0, date_created: now, date_updated: now, date_final: null, ...fields,
  };
}

/** A starting node rebuilds its breakers from the attempts every node recorded in the shared database. */
describe('restoreHealth', () => {
  let db: Db;
  before(async () => {
    db = openDatabase('sqlite::memory:');
    await migrateToLatest(db);
  });
  after(async () => db.close());

  it('replays the final outcomes of the last window (delivered, rejected, undelivered, failed, timed out) and skips those under way or older', async () => {
    const clock = new ManualClock();
    const stores = createStores(db);
    await stores.deliveryAttempts.insert(attempt(clock, { provider: 'a', status: 'delivered', date_final: clock.now() }));
    clock.advance(601_000); // the first falls out of the 600 s window
    const rows = [
      attempt(clock, { provider: 'a', status: 'rejected', date_final: clock.now() }),
      attempt(clock, { provider: 'a', status: 'undelivered', date_final: clock.now() + 1 }),
      attempt(clock, { provider: 'a', status: 'failed', date_final: clock.now() + 2 }),
      attempt(clock, { provider: 'a', status: 'sent', failover_reason: 'timeout', date_updated: clock.now() + 3 }),
      attempt(clock, { provider: 'a', status: 'sent' }),
      attempt(clock, { provider: 'a', status: 'delivered', destination_country: 'FR', date_final: clock.now() }),
      attempt(clock, { provider: 'b', status: 'delivered', channel: 'email', destination_country: null, date_final: clock.now() }),
    ];
    for (const row of rows) await stores.deliveryAttempts.insert(row);
    clock.advance(10);
    const router = new MessagingRouter({ table: new RouteTable([]), instances: new Map(), clock, random: seededRandom(1), health: { ...DEFAULT_HEALTH, minSamples: 4 } });
    assert.equal(await restoreHealth(router, stores.deliveryAttempts, clock, { ...DEFAULT_HEALTH, minSamples: 4 }), 6);
    const breakers = router.snapshot().breakers.map((b) => [b.instance, b.country, b.state, b.window.samples, b.window.delivered]);
    assert.deepEqual(breakers, [
      ['a', 'FR', 'closed', 1, 1],
      ['a', 'GB', 'open', 4, 0],
      ['b', '-', 'closed', 1, 1],
    ]);
  });
});
