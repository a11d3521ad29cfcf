import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newSid } from '../../src/crypto/random.ts';
import type { Db } from '../../src/store/database.ts';
import { ChallengesStore } from '../../src/store/challenges-store.ts';
import { EntitiesStore } from '../../src/store/entities-store.ts';
import { FactorsStore } from '../../src/store/factors-store.ts';
import type { ChallengeRow, EntityRow, FactorRow, ServiceRow } from '../../src/store/schema.ts';
import { DATABASE_KINDS, openServedDatabase, type TestDatabase } from './test-database.ts';

const T0 = Date.UTC(2026, 0, 1);
const PARALLEL = 50;
const parallel = <T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

/**
 * The single-use statements of Entities/Factors/Challenges, on SQLite always and PostgreSQL when
 * VERITY_TEST_POSTGRES_URL is set; parallel calls alternate between two handles (two processes).
 */
for (const kind of DATABASE_KINDS) {
  describe(`factor stores (${kind.name})`, () => {
    let t: TestDatabase;
    let other: Db;
    let service: ServiceRow;
    before(async () => ({ t, other, service } = await openServedDatabase(kind, T0)));
    after(async () => t.close());

    const handle = (i: number): Db => (i % 2 === 0 ? t.db : other);
    let seq = 0;

    async function fixture(): Promise<{ entity: EntityRow; factor: FactorRow; challenge: ChallengeRow }> {
      const identity = `user-${++seq}-${Date.now()}`;
      const entity: EntityRow = { sid: newSid('YE'), account_sid: service.account_sid, service_sid: service.sid, identity, date_created: T0, date_updated: T0 };
      const { row } = await new EntitiesStore(t.db.kysely).findOrInsert(entity);
      const factor: FactorRow = {
        sid: newSid('YF'),
        account_sid: service.account_sid,
        service_sid: service.sid,
        entity_sid: row.sid,
        identity,
        friendly_name: 'Phone',
        factor_type: 'totp',
        status: 'unverified',
        secret_sealed: 'v1.sealed',
        config: '{}',
        metadata: null,
        last_used_step: null,
        verify_attempts: 0,
        date_created: T0,
        date_updated: T0,
      };
      await new FactorsStore(t.db.kysely).insert(factor);
      const challenge: ChallengeRow = {
        sid: newSid('YC'),
        account_sid: service.account_sid,
        service_sid: service.sid,
        entity_sid: row.sid,
        identity,
        factor_sid: factor.sid,
        factor_type: 'totp',
        status: 'pending',
        responded_reason: 'none',
        details: { message: null, fields: [] },
        hidden_details: null,
        metadata: null,
        expiration_date: T0 + 300_000,
        date_responded: null,
        attempts: 0,
        number_match: null,
        date_delivered: null,
        denied_reason: null,
        notification_seq: 0,
        date_created: T0,
        date_updated: T0,
      };
      await new ChallengesStore(t.db.kysely).insert(challenge);
      return { entity: row, factor, challenge };
    }

    it('findOrInsert keeps one entity per service and identity', async () => {
      const { entity } = await fixture();
      const again = await new EntitiesStore(other.kysely).findOrInsert({ ...entity, sid: newSid('YE') });
      assert.equal(again.created, false);
      assert.equal(again.row.sid, entity.sid);
    });

    it('consumes each TOTP step once and never an older one', async () => {
      const { factor } = await fixture();
      const factors = new FactorsStore(t.db.kysely);
      assert.equal((await factors.consumeStep(factor.sid, 100, T0))?.last_used_step, 100);
      assert.equal(await factors.consumeStep(factor.sid, 100, T0), undefined);
      assert.equal(await factors.consumeStep(factor.sid, 99, T0), undefined);
      assert.equal((await factors.consumeStep(factor.sid, 101, T0))?.last_used_step, 101);
    });

    it(`lets exactly one of ${PARALLEL} concurrent uses of one step succeed`, async () => {
      const { factor } = await fixture();
      const results = await parallel(PARALLEL, (i) => new FactorsStore(handle(i).kysely).consumeStep(factor.sid, 7, T0 + i, { status: 'verified' }));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it(`counts at most 5 of ${PARALLEL} concurrent factor verifications and challenge answers`, async () => {
      const { factor, challenge } = await fixture();
      const verifies = await parallel(PARALLEL, (i) => new FactorsStore(handle(i).kysely).countVerifyAttempt(factor.sid, T0, 5));
      assert.equal(verifies.filter(Boolean).length, 5);
      const answers = await parallel(PARALLEL, (i) => new ChallengesStore(handle(i).kysely).countAttempt(challenge.sid, T0, 5));
      assert.equal(answers.filter(Boolean).length, 5);
      // An expired challenge counts nothing.
      const { challenge: late } = await fixture();
      assert.equal(await new ChallengesStore(t.db.kysely).countAttempt(late.sid, late.expiration_date, 5), undefined);
    });

    it(`approves a challenge exactly once under ${PARALLEL} concurrent approvals`, async () => {
      const { challenge } = await fixture();
      const results = await parallel(PARALLEL, (i) => new ChallengesStore(handle(i).kysely).completePending(challenge.sid, 'approved', T0 + i, { date_responded: T0 + i }));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('deleting an entity deletes its factors and challenges', async () => {
      const { entity, factor, challenge } = await fixture();
      await new EntitiesStore(t.db.kysely).delete(entity.sid);
      assert.equal(await new FactorsStore(t.db.kysely).find(entity.sid, factor.sid), undefined);
      assert.equal(await new ChallengesStore(t.db.kysely).find(entity.sid, challenge.sid), undefined);
    });
  });
}
