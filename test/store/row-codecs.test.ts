import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newSid } from '../../src/crypto/random.ts';
import { StoredValueError } from '../../src/store/codecs/column.ts';
import type { CallRow, ChallengeRow, FactorRow } from '../../src/store/schema.ts';
import { createStores, type Stores } from '../../src/store/unit-of-work.ts';
import { DATABASE_KINDS, insertAccountAndService, openTestDatabase, serviceRow, verificationRow, type TestDatabase } from './test-database.ts';

/**
 * Rows are decoded once, in the store: what a store writes, it reads back as the same typed record
 * on SQLite and on PostgreSQL (flags as booleans, JSON as values, times as numbers), the stored text
 * is what the callers used to write by hand, and a malformed stored value is refused by name.
 */

const T0 = Date.UTC(2026, 0, 1);

for (const kind of DATABASE_KINDS) {
  describe(`row codecs (${kind.name})`, () => {
    let t: TestDatabase;
    let stores: Stores;
    let service: Awaited<ReturnType<typeof insertAccountAndService>>;

    before(async () => {
      t = await openTestDatabase(kind);
      stores = createStores(t.db);
      service = await insertAccountAndService(t.db, T0);
    });
    after(() => t.close());

    it('reads a service back as written: booleans, channel and country lists, extras', async () => {
      const row = serviceRow(service.account_sid, T0, { psd2_enabled: true, dtmf_input_required: true, allowed_countries: ['FR', 'US'], enabled_channels: ['sms', 'flashcall'], extras: { 'Push.NumberMatching': false, 'Totp.TimeStep': 60 } });
      await stores.services.insert(row);
      assert.deepEqual(await stores.services.find(row.account_sid, row.sid), row);
      const raw = await t.db.kysely.selectFrom('services').select(['psd2_enabled', 'lookup_enabled', 'allowed_countries', 'enabled_channels', 'extras', 'date_created']).where('sid', '=', row.sid).executeTakeFirstOrThrow();
      assert.deepEqual(raw, { psd2_enabled: 1, lookup_enabled: 0, allowed_countries: '["FR","US"]', enabled_channels: '["sms","flashcall"]', extras: '{"Push.NumberMatching":false,"Totp.TimeStep":60}', date_created: T0 });
      await stores.services.update(row.account_sid, row.sid, { psd2_enabled: false, allowed_countries: null, extras: {} });
      const updated = await stores.services.find(row.account_sid, row.sid);
      assert.deepEqual([updated?.psd2_enabled, updated?.allowed_countries, updated?.extras, updated?.dtmf_input_required], [false, null, {}, true]);
    });

    it('reads a verification back as written, send attempts included, through every read path', async () => {
      const attempt = { time: '2026-01-01T00:00:00Z', channel: 'SMS', attempt_sid: newSid('VL') };
      const row = verificationRow(service, '+14155550199', T0, { send_attempts: [attempt] });
      assert.equal(await stores.verifications.insertPending(row), true);
      assert.deepEqual(await stores.verifications.find(service.sid, row.sid), row);
      assert.deepEqual(await stores.verifications.findPending(service.sid, row.destination, row.requester), row);
      await stores.verifications.update(row.sid, { send_attempts: [attempt, attempt], date_updated: T0 + 1 });
      const counted = await stores.verifications.countCheckAttempt(row.sid, T0 + 2, 5);
      assert.deepEqual(counted?.send_attempts, [attempt, attempt]);
      assert.equal(counted?.check_attempts, 1);
      const approved = await stores.verifications.completePending(row.sid, 'approved', T0 + 3, { failure_code: null });
      assert.deepEqual([approved?.status, approved?.date_updated, typeof approved?.expires_at], ['approved', T0 + 3, 'number']);
    });

    it('reads a challenge back with its details, hidden details and metadata as values', async () => {
      const entity = (await stores.entities.findOrInsert({ sid: newSid('YE'), account_sid: service.account_sid, service_sid: service.sid, identity: 'codec-user', date_created: T0, date_updated: T0 })).row;
      const factor: FactorRow = { sid: newSid('YF'), account_sid: service.account_sid, service_sid: service.sid, entity_sid: entity.sid, identity: entity.identity, friendly_name: 'f', factor_type: 'push', status: 'verified', secret_sealed: 'x', config: '{}', metadata: null, last_used_step: null, verify_attempts: 0, date_created: T0, date_updated: T0 };
      await stores.factors.insert(factor);
      const challenge: ChallengeRow = {
        sid: newSid('YC'), account_sid: service.account_sid, service_sid: service.sid, entity_sid: entity.sid, identity: entity.identity, factor_sid: factor.sid, factor_type: 'push', status: 'pending', responded_reason: 'none',
        details: { message: 'Pay?', fields: [{ label: 'Amount', value: '42 €' }] }, hidden_details: { ip: '203.0.113.9' }, metadata: null,
        expiration_date: T0 + 60_000, date_responded: null, attempts: 0, number_match: '17', date_delivered: null, denied_reason: null, notification_seq: 0, date_created: T0, date_updated: T0,
      };
      await stores.challenges.insert(challenge);
      assert.deepEqual(await stores.challenges.find(entity.sid, challenge.sid), challenge);
      const raw = await t.db.kysely.selectFrom('challenges').select(['details', 'hidden_details']).where('sid', '=', challenge.sid).executeTakeFirstOrThrow();
      assert.deepEqual(raw, { details: '{"message":"Pay?","fields":[{"label":"Amount","value":"42 €"}]}', hidden_details: '{"ip":"203.0.113.9"}' });
      const done = await stores.challenges.completePending(challenge.sid, 'approved', T0 + 5, { date_responded: T0 + 5, metadata: { os: 'Android', nested: { a: 1 } } });
      assert.deepEqual([done?.status, done?.metadata, done?.details], ['approved', { os: 'Android', nested: { a: 1 } }, challenge.details]);
    });

    it('reads a call as live (true) until it ends, stored as 1 and then NULL', async () => {
      const call: CallRow = {
        sid: newSid('CL'), account_sid: service.account_sid, service_sid: service.sid, verification_sid: null, factor_sid: null, challenge_sid: null, destination: '+14155550177', caller_id: '+14155550000',
        provider: 'simulator', provider_call_id: null, flow: 'speak_code', flow_state: '{}', secret_sealed: 'x', status: 'queued', active: true, end_reason: null, date_answered: null, date_ended: null, date_created: T0, date_updated: T0,
      };
      assert.equal(await stores.calls.insertLive(call), true);
      assert.deepEqual(await stores.calls.liveFor(call.destination), call);
      const ended = await stores.calls.end(call.sid, 'completed', null, T0 + 1);
      assert.equal(ended?.active, false);
      const raw = await t.db.kysely.selectFrom('calls').select('active').where('sid', '=', call.sid).executeTakeFirstOrThrow();
      assert.equal(raw.active, null);
    });

    it('refuses a malformed stored value, naming its column and never quoting it', async () => {
      const row = serviceRow(service.account_sid, T0);
      await stores.services.insert(row);
      await t.db.kysely.updateTable('services').set({ enabled_channels: '["sms","pigeon"]' }).where('sid', '=', row.sid).execute();
      await assert.rejects(stores.services.find(row.account_sid, row.sid), (error: unknown) => error instanceof StoredValueError && error.column === 'services.enabled_channels' && !error.message.includes('pigeon'));
    });
  });
}
