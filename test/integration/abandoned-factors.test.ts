import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pruneAbandonedFactors } from '../../src/factors/delete-factor.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

const HOUR = 3600_000;
const TOTP = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };

/** Enrolments the user abandoned (factors left unverified) are deleted after VERITY_UNVERIFIED_FACTOR_TTL_HOURS. */
for (const database of DATABASES) {
  describe(`abandoned factors (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    before(async () => {
      v = await startVerity({ manualClock: true, env: { VERITY_UNVERIFIED_FACTOR_TTL_HOURS: '24' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme' })).sid;
    });
    after(async () => v.close());

    const factorsOf = async (identity: string) => (await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`)).body.factors as Array<{ sid: string; status: string }>;
    const createTotp = async (identity: string) => {
      const created = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body as { sid: string; binding: { secret: string } };
    };
    const deletedEvents = async () =>
      (await v.ctx.db.kysely.selectFrom('events').select(['resource_sid']).where('type', '=', 'factor.deleted').execute()).map((e) => e.resource_sid);

    it('deletes factors still unverified after 24 h, with factor.deleted, and keeps verified and younger ones', async () => {
      const identity = 'user-abandon-0001';
      const abandoned = await createTotp(identity);
      const kept = await createTotp(identity);
      const now = v.ctx.clock.now();
      const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${kept.sid}`, { AuthPayload: totp(base32Decode(kept.binding.secret), now, TOTP) });
      assert.equal(verified.body.status, 'verified', JSON.stringify(verified.body));

      v.clock!.advance(23 * HOUR);
      const young = await createTotp(identity);
      assert.equal(await pruneAbandonedFactors(v.ctx), 0, 'nothing is 24 h old yet');

      v.clock!.advance(HOUR + 1);
      assert.equal(await pruneAbandonedFactors(v.ctx), 1, 'only the abandoned factor goes');
      assert.deepEqual((await factorsOf(identity)).map((f) => f.sid).sort(), [kept.sid, young.sid].sort());
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${abandoned.sid}`)).status, 404);
      assert.deepEqual(await deletedEvents(), [abandoned.sid]);
      assert.equal(await pruneAbandonedFactors(v.ctx), 0, 'a second sweep finds nothing');
    });

    it('keeps a factor verified between the sweep finding it and deleting it', async () => {
      const identity = 'user-abandon-0002';
      const late = await createTotp(identity);
      v.clock!.advance(25 * HOUR);
      const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${late.sid}`, {
        AuthPayload: totp(base32Decode(late.binding.secret), v.ctx.clock.now(), TOTP),
      });
      assert.equal(verified.body.status, 'verified');
      const { FactorsStore } = await import('../../src/store/factors-store.ts');
      assert.equal(await new FactorsStore(v.ctx.db.kysely).deleteIfUnverified(late.sid), undefined, 'a verified factor is not deleted');
      await pruneAbandonedFactors(v.ctx);
      assert.deepEqual((await factorsOf(identity)).map((f) => f.status), ['verified']);
    });

    it('keeps unverified factors forever when the TTL is 0', async () => {
      const keepAll = await startVerity({ manualClock: true, env: { VERITY_UNVERIFIED_FACTOR_TTL_HOURS: '0' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      try {
        const service = await keepAll.client.verify.v2.services.create({ friendlyName: 'Keep' });
        await keepAll.client.verify.v2.services(service.sid).entities('user-abandon-0003').newFactors.create({ friendlyName: 'app', factorType: 'totp' });
        keepAll.clock!.advance(365 * 24 * HOUR);
        assert.equal(await pruneAbandonedFactors(keepAll.ctx), 0);
        assert.equal((await keepAll.client.verify.v2.services(service.sid).entities('user-abandon-0003').factors.list()).length, 1);
      } finally {
        await keepAll.close();
      }
    });
  });
}
