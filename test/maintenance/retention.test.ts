import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { planIndexes } from '../../src/store/migrations/0026-plan-indexes.ts';
import { retention } from '../../src/store/migrations/0027-retention.ts';
import { newSid } from '../../src/crypto/random.ts';
import { MaintenanceStore, RETENTION_ORDER } from '../../src/store/maintenance-store.ts';
import { SpentTokensStore } from '../../src/store/spent-tokens-store.ts';
import { DATABASE_KINDS, accountRow, openTestDatabase, serviceRow, verificationRow, type TestDatabase } from '../store/test-database.ts';
import { AccountsStore } from '../../src/store/accounts-store.ts';
import { ServicesStore } from '../../src/store/services-store.ts';
import { VerificationsStore } from '../../src/store/verifications-store.ts';

/**
 * Retention (src/store/maintenance-store.ts pruneBatch, in RETENTION_ORDER): every table loses exactly
 * its rows created before the cut-off that may go, and keeps a pending verification with all its
 * children, an event with an undelivered delivery, a live call, an awaiting Authy request, a pending
 * challenge, and everything newer than the cut-off. Batches are small (3 rows here) so the loop
 * over batches is exercised too.
 */
const DAY = 86_400_000;
const NOW = 1_900_000_000_000;
const CUTOFF = NOW - 30 * DAY;
const OLD = CUTOFF - DAY;
const NEW = CUTOFF + DAY;

for (const kind of DATABASE_KINDS) {
  describe(`retention prunes by age, children first, never pending (${kind.name})`, () => {
    let t: TestDatabase;
    let store: MaintenanceStore;
    const keep = new Map<string, Set<string>>();
    const gone = new Map<string, Set<string>>();
    const note = (map: Map<string, Set<string>>, table: string, id: string) => map.set(table, (map.get(table) ?? new Set()).add(id));

    before(async () => {
      t = await openTestDatabase(kind);
      const k = t.db.kysely;
      store = new MaintenanceStore(k);
      const account = accountRow(OLD);
      await new AccountsStore(k).insert(account);
      const service = serviceRow(account.sid, OLD);
      await new ServicesStore(k).insert(service);
      const insert = (table: string, row: Record<string, unknown>) => k.insertInto(table as never).values(row as never).execute();

      // Verifications: old decided (goes), old still pending (stays: the expiry sweep decides it first), new decided (stays).
      const verifications = new VerificationsStore(k);
      const oldDecided = verificationRow(service, '+15550000001', OLD, { status: 'approved', date_created: OLD });
      const oldPending = verificationRow(service, '+15550000002', OLD, { status: 'pending', date_created: OLD });
      const newDecided = verificationRow(service, '+15550000003', NEW, { status: 'expired', date_created: NEW });
      for (const v of [oldDecided, oldPending, newDecided]) assert.equal(await verifications.insertPending(v), true);
      note(gone, 'verifications', oldDecided.sid);
      note(keep, 'verifications', oldPending.sid);
      note(keep, 'verifications', newDecided.sid);

      let n = 0;
      for (const [v, created, fate] of [
        [oldDecided, OLD, gone],
        [oldPending, OLD, keep],
        [newDecided, NEW, keep],
        [oldDecided, NEW, keep],
      ] as const) {
        n++;
        await insert('verification_events', { verification_sid: v.sid, sequence: n, event: 'call-started', call_sid: null, data: '{}', date_created: created });
        note(fate, 'verification_events', `${v.sid}:${n}`);
        const attempt = newSid('VL');
        await insert('verification_attempts', { sid: attempt, account_sid: account.sid, service_sid: service.sid, verification_sid: v.sid, channel: 'sms', destination: v.destination, conversion_status: 'unconverted', date_created: created, date_updated: created });
        note(fate, 'verification_attempts', attempt);
        const delivery = newSid('DA');
        await insert('delivery_attempts', {
          sid: delivery, account_sid: account.sid, service_sid: service.sid, verification_sid: v.sid, send_attempt_sid: attempt, channel: 'sms', provider: 'simulator', route_id: 'r', route_position: 0,
          status: 'sent', status_history: '[]', receipts: 1, date_created: created, date_updated: created,
        });
        note(fate, 'delivery_attempts', delivery);
        await insert('delivery_message_ids', { provider: 'simulator', message_id: `m-${delivery}`, attempt_sid: delivery });
        note(fate, 'delivery_message_ids', `m-${delivery}`);
      }

      // Calls: an old ended one goes, an old live one stays.
      for (const [active, fate] of [[null, gone], [1, keep]] as const) {
        const call = newSid('CL');
        await insert('calls', {
          sid: call, account_sid: account.sid, service_sid: service.sid, verification_sid: oldDecided.sid, destination: `+1555000010${active ?? 0}`, caller_id: '+15550009999', provider: 'sim',
          flow: 'code', flow_state: '{}', secret_sealed: 's', status: active ? 'in-progress' : 'completed', active, date_created: OLD, date_updated: OLD,
        });
        note(fate, 'calls', call);
        // A factor call's progress goes with its ended call, and stays while the call is live.
        await insert('factor_call_events', { call_sid: call, sequence: 1, event: 'queued', data: '{}', date_created: OLD });
        note(fate, 'factor_call_events', `${call}:1`);
      }

      // Events and webhook deliveries: delivered/failed old ones go; an old event with a pending delivery stays with it.
      const webhook = newSid('YW');
      await insert('webhooks', { sid: webhook, account_sid: account.sid, service_sid: service.sid, friendly_name: 'w', event_types: '["*"]', webhook_url: 'https://example.com/', webhook_method: 'POST', status: 'enabled', version: 'v2', secret_sealed: 's', date_created: OLD, date_updated: OLD });
      for (const [created, status, eventFate, deliveryFate] of [
        [OLD, 'delivered', gone, gone],
        [OLD, 'failed', gone, gone],
        [OLD, 'pending', keep, keep],
        [NEW, 'delivered', keep, keep],
      ] as const) {
        const event = newSid('EV');
        await insert('events', { sid: event, account_sid: account.sid, service_sid: service.sid, type: 'verification.approved', resource_sid: oldDecided.sid, payload: '{}', date_created: created });
        note(eventFate, 'events', event);
        const delivery = newSid('WD');
        await insert('webhook_deliveries', { sid: delivery, event_sid: event, webhook_sid: webhook, status, attempts: 1, next_attempt_at: created, lease_until: 0, date_created: created, date_updated: created });
        note(deliveryFate, 'webhook_deliveries', delivery);
      }
      const bareEvent = newSid('EV');
      await insert('events', { sid: bareEvent, account_sid: account.sid, service_sid: service.sid, type: 'factor.deleted', resource_sid: 'YF1', payload: '{}', date_created: OLD });
      note(gone, 'events', bareEvent);

      // Challenges (decided go, pending stay) and Authy approval requests (settled go, awaiting stay).
      const entity = newSid('YE');
      await insert('entities', { sid: entity, account_sid: account.sid, service_sid: service.sid, identity: 'alice', date_created: OLD, date_updated: OLD });
      const factor = newSid('YF');
      await insert('factors', {
        sid: factor, account_sid: account.sid, service_sid: service.sid, entity_sid: entity, identity: 'alice', friendly_name: 'f', factor_type: 'push', status: 'verified', secret_sealed: 's', config: '{}', verify_attempts: 0, date_created: OLD, date_updated: OLD,
      });
      for (const [status, callbackState, fate] of [['approved', 'sent', gone], ['pending', 'awaiting', keep]] as const) {
        const challenge = newSid('YC');
        await insert('challenges', {
          sid: challenge, account_sid: account.sid, service_sid: service.sid, entity_sid: entity, identity: 'alice', factor_sid: factor, factor_type: 'push', status, responded_reason: 'none', details: '{}', expiration_date: OLD + 600_000, attempts: 0,
          date_created: OLD, date_updated: OLD,
        });
        note(fate, 'challenges', challenge);
        const uuid = newSid('AR');
        await insert('authy_approval_requests', {
          uuid, service_sid: service.sid, authy_id: 1, challenge_sid: challenge, entity_sid: entity, seconds_to_expire: 600, callback_state: callbackState, callback_attempts: 0, callback_next_at: OLD, callback_lease_until: 0, date_created: OLD,
        });
        note(fate, 'authy_approval_requests', uuid);
      }

      // Simulator messages: 7 old (several batches of 3) go, 2 new stay.
      for (let i = 0; i < 9; i++) await insert('sim_messages', { channel: 'sms', to_address: '+1555', from_address: 'Verity', subject: null, body: `m${i}`, date_created: i < 7 ? OLD : NEW });
    });
    after(() => t?.close());

    it('deletes exactly the aged rows that may go, table by table in RETENTION_ORDER', async () => {
      for (const table of RETENTION_ORDER) {
        for (let batches = 0; ; batches++) {
          assert.ok(batches < 20, `${table} keeps finding rows to delete`);
          if ((await store.pruneBatch(table, CUTOFF, 3)) < 3) break;
        }
      }
      const k = t.db.kysely;
      const ids: Record<string, (r: Record<string, unknown>) => string> = {
        verification_events: (r) => `${r.verification_sid}:${r.sequence}`,
        factor_call_events: (r) => `${r.call_sid}:${r.sequence}`,
        delivery_message_ids: (r) => String(r.message_id),
        authy_approval_requests: (r) => String(r.uuid),
      };
      for (const table of new Set([...keep.keys(), ...gone.keys()])) {
        const rows = (await k.selectFrom(table as never).selectAll().execute()) as Record<string, unknown>[];
        const present = new Set(rows.map(ids[table] ?? ((r) => String(r.sid))));
        for (const id of keep.get(table) ?? []) assert.ok(present.has(id), `${table} ${id} must stay`);
        for (const id of gone.get(table) ?? []) assert.ok(!present.has(id), `${table} ${id} must be deleted`);
      }
      const sims = await k.selectFrom('sim_messages').select('date_created').execute();
      assert.deepEqual(sims.map((r) => Number(r.date_created)), [NEW, NEW]);
    });

    it('purges spent tokens past their expiry in batches, never an unexpired one', async () => {
      const tokens = new SpentTokensStore(t.db.kysely);
      for (let i = 0; i < 5; i++) assert.equal(await tokens.spend(`old-${i}`, NOW - 1 - i), true);
      assert.equal(await tokens.spend('live', NOW + 60_000), true);
      assert.equal(await tokens.purgeExpired(NOW, 3), 3);
      assert.equal(await tokens.purgeExpired(NOW, 3), 2);
      assert.equal(await tokens.purgeExpired(NOW, 3), 0);
      assert.equal(await tokens.isSpent('live'), true);
      assert.equal(await tokens.isSpent('old-0'), false);
    });

    it('walks rate buckets and check failures by key slices, deleting only idle rows', async () => {
      const k = t.db.kysely;
      const idleBefore = NOW - DAY;
      for (let i = 0; i < 7; i++) await k.insertInto('rate_buckets').values({ key: `send:VA${i}:+1555`, tokens: 1, updated_at: i % 2 === 0 ? idleBefore - 1 : NOW }).execute();
      let after = '';
      let deleted = 0;
      for (let slices = 0; ; slices++) {
        assert.ok(slices < 10, 'the walk ends');
        const step = await store.pruneIdleBuckets(after, idleBefore, 3);
        deleted += step.deleted;
        if (step.last === undefined) break;
        after = step.last;
      }
      assert.equal(deleted, 4);
      assert.deepEqual((await k.selectFrom('rate_buckets').select('key').orderBy('key').execute()).map((r) => r.key), ['send:VA1:+1555', 'send:VA3:+1555', 'send:VA5:+1555']);

      // Idle but still locked out: stays. Idle and unlocked: goes. Recently updated: stays.
      await k.insertInto('check_failures').values([
        { key: 'VA1:+1555:a', consecutive: 100, locked_until: NOW + DAY, date_updated: idleBefore - 1 },
        { key: 'VA1:+1555:b', consecutive: 3, locked_until: 0, date_updated: idleBefore - 1 },
        { key: 'VA1:+1555:c', consecutive: 3, locked_until: 0, date_updated: NOW },
      ]).execute();
      const step = await store.pruneIdleCheckFailures('', idleBefore, NOW, 10);
      assert.deepEqual(step, { deleted: 1, last: undefined });
      assert.deepEqual((await k.selectFrom('check_failures').select('key').orderBy('key').execute()).map((r) => r.key), ['VA1:+1555:a', 'VA1:+1555:c']);
    });
  });
}

for (const kind of DATABASE_KINDS) {
  it(`migrations 0027-retention and 0026-plan-indexes go down and up again (${kind.name})`, async () => {
    const t = await openTestDatabase(kind);
    try {
      const k = t.db.kysely as unknown as Kysely<unknown>;
      await retention(kind.name).down(k);
      await planIndexes(kind.name).down(k);
      const indexes = async () => {
        const rows =
          kind.name === 'postgres'
            ? (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`.execute(k)).rows
            : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index'`.execute(k)).rows;
        return new Set(rows.map((r) => r.name));
      };
      const down = await indexes();
      assert.ok(down.has('verifications_pending_expiry') && !down.has('verifications_pending_by_expiry') && !down.has('events_by_created'), 'down restores the old indexes');
      await planIndexes(kind.name).up(k);
      await retention(kind.name).up(k);
      const up = await indexes();
      for (const name of ['verifications_by_service_created', 'verifications_pending_by_expiry', 'calls_live_by_update', 'verifications_by_created', 'events_by_created', 'challenges_by_created']) assert.ok(up.has(name), `${name} exists`);
      assert.ok(!up.has('verifications_pending_expiry'), 'the old expiry index is gone');
    } finally {
      await t.close();
    }
  });
}
