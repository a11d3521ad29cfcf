import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError, type RestError } from '../support/test-helpers.ts';


const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

/** Entities, TOTP factors and challenges through the official twilio client. */
for (const database of DATABASES) {
  describe(`TOTP factors and challenges (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let counter = 0;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme' })).sid;
    });
    after(async () => v.close());

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const service = () => v.client.verify.v2.services(serviceSid);
    const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;
    /** The code of `secret` at the current (manual) time, or `offsetSteps` steps away. */
    const codeOf = (secret: string, offsetSteps = 0) => totp(base32Decode(secret), clock().now() + offsetSteps * 30_000, OPTIONS);
    /** A fresh time step, so a code is not a replay of one already used. */
    const nextStep = () => clock().advance(30_000);

    async function verifiedFactor(identity = newIdentity()) {
      const factor = await service().entities(identity).newFactors.create({ friendlyName: 'Phone', factorType: 'totp' });
      const secret = (factor.binding as { secret: string }).secret;
      const verified = await service().entities(identity).factors(factor.sid).update({ authPayload: codeOf(secret) });
      assert.equal(verified.status, 'verified');
      nextStep();
      return { identity, sid: factor.sid, secret };
    }

    it('creates a TOTP factor (and its entity), returns the binding once, and verifies it', async () => {
      const identity = newIdentity();
      const factor = await service().entities(identity).newFactors.create({ friendlyName: 'Pixel 9', factorType: 'totp' });
      assert.match(factor.sid, /^YF[0-9a-f]{32}$/);
      assert.equal(factor.status, 'unverified');
      assert.equal(factor.factorType, 'totp');
      assert.equal(factor.identity, identity);
      assert.deepEqual(factor.config, { alg: 'sha1', skew: 1, code_length: 6, time_step: 30 });
      const binding = factor.binding as { secret: string; uri: string };
      assert.equal(base32Decode(binding.secret).length, 20);
      assert.match(binding.uri, /^otpauth:\/\/totp\/Acme:Pixel%209\?/);
      assert.match(binding.uri, new RegExp(`secret=${binding.secret}`));
      assert.equal(factor.url, `${v.url}/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.sid}`);

      const entity = await service().entities(identity).fetch();
      assert.match(entity.sid, /^YE[0-9a-f]{32}$/);
      assert.equal(entity.identity, identity);
      assert.equal(entity.links.factors, `${v.url}/v2/Services/${serviceSid}/Entities/${identity}/Factors`);

      // The client's FactorInstance has no binding; the wire body carries it as null after create.
      const fetched = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.sid}`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.binding, null);
      assert.equal(fetched.body.status, 'unverified');

      const wrong = await service().entities(identity).factors(factor.sid).update({ authPayload: codeOf(binding.secret, 10) });
      assert.equal(wrong.status, 'unverified');
      const right = await service().entities(identity).factors(factor.sid).update({ authPayload: codeOf(binding.secret) });
      assert.equal(right.status, 'verified');
      const list = await service().entities(identity).factors.list();
      assert.deepEqual(list.map((f) => f.sid), [factor.sid]);
    });

    it('takes Binding.Secret and Config, and refuses bad parameters, passkeys factors and bad identities', async () => {
      const identity = newIdentity();
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      const factor = await service().entities(identity).newFactors.create({
        friendlyName: 'Token',
        factorType: 'totp',
        'binding.secret': secret,
        'config.timeStep': 60,
        'config.codeLength': 8,
        'config.alg': 'sha256',
        'config.skew': 0,
      });
      assert.equal((factor.binding as { secret: string }).secret, secret);
      assert.deepEqual(factor.config, { alg: 'sha256', skew: 0, code_length: 8, time_step: 60 });
      const code = totp(base32Decode(secret), clock().now(), { algorithm: 'sha256', digits: 8, period: 60, skew: 0 });
      assert.equal((await service().entities(identity).factors(factor.sid).update({ authPayload: code })).status, 'verified');

      const passkeys = await restError(service().entities(identity).newFactors.create({ friendlyName: 'Key', factorType: 'passkeys' }));
      assert.equal(passkeys.status, 400);
      assert.equal(passkeys.code, 60300);
      assert.match(passkeys.message, /Passkeys\.RelyingParty\.Id/);
      const badStep = await restError(service().entities(identity).newFactors.create({ friendlyName: 'T', factorType: 'totp', 'config.timeStep': 10 }));
      assert.equal(badStep.code, 60200);
      const badSecret = await restError(service().entities(identity).newFactors.create({ friendlyName: 'T', factorType: 'totp', 'binding.secret': 'short!' }));
      assert.equal(badSecret.code, 60200);
      const badIdentity = await restError(service().entities('short').newFactors.create({ friendlyName: 'T', factorType: 'totp' }));
      assert.equal(badIdentity.code, 60200);
      assert.match(badIdentity.message, /Identity/);
      const unknown = await restError(service().entities('nobody-here-1').fetch());
      assert.equal(unknown.code, 20404);
    });

    it('refuses the sixth factor verification after five wrong codes (60310)', async () => {
      const identity = newIdentity();
      const factor = await service().entities(identity).newFactors.create({ friendlyName: 'Phone', factorType: 'totp' });
      const secret = (factor.binding as { secret: string }).secret;
      for (let i = 0; i < 5; i++) {
        assert.equal((await service().entities(identity).factors(factor.sid).update({ authPayload: '000000' === codeOf(secret) ? '111111' : '000000' })).status, 'unverified');
      }
      const limited = await restError(service().entities(identity).factors(factor.sid).update({ authPayload: codeOf(secret) }));
      assert.equal(limited.status, 429);
      assert.equal(limited.code, 60310);
      assert.equal((await service().entities(identity).factors(factor.sid).fetch()).status, 'unverified');
    });

    it('approves challenges created or answered with the right code, once per time step', async () => {
      const { identity, sid, secret } = await verifiedFactor();
      const approved = await service().entities(identity).challenges.create({ factorSid: sid, authPayload: codeOf(secret) });
      assert.match(approved.sid, /^YC[0-9a-f]{32}$/);
      assert.equal(approved.status, 'approved');
      assert.equal(approved.factorType, 'totp');
      assert.ok(approved.dateResponded, 'expected approved.dateResponded');

      // The same code again is a replay: the challenge stays pending.
      const replay = await service().entities(identity).challenges.create({ factorSid: sid, authPayload: codeOf(secret) });
      assert.equal(replay.status, 'pending');

      const pending = await service().entities(identity).challenges.create({
        factorSid: sid,
        'details.message': 'Log in to Acme?',
        'details.fields': [{ label: 'Browser', value: 'Firefox' }, { label: 'City', value: 'Lyon' }],
        hiddenDetails: { ip: '203.0.113.7' },
      });
      assert.equal(pending.status, 'pending');
      assert.equal(pending.details.message, 'Log in to Acme?');
      assert.deepEqual(pending.details.fields, [{ label: 'Browser', value: 'Firefox' }, { label: 'City', value: 'Lyon' }]);
      assert.deepEqual(pending.hiddenDetails, { ip: '203.0.113.7' });
      assert.equal(pending.expirationDate.getTime() - pending.dateCreated.getTime(), 5 * 60_000);
      assert.equal(pending.url, `${v.url}/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${pending.sid}`);

      const wrong = await service().entities(identity).challenges(pending.sid).update({ authPayload: codeOf(secret, 20) });
      assert.equal(wrong.status, 'pending');
      nextStep();
      const right = await service().entities(identity).challenges(pending.sid).update({ authPayload: codeOf(secret) });
      assert.equal(right.status, 'approved');
      const again = await restError(service().entities(identity).challenges(pending.sid).update({ authPayload: codeOf(secret) }));
      assert.equal(again.code, 60306);

      const fetched = await service().entities(identity).challenges(pending.sid).fetch();
      assert.equal(fetched.status, 'approved');
      const all = await service().entities(identity).challenges.list();
      assert.equal(all.length, 3);
      const stillPending = await service().entities(identity).challenges.list({ status: 'pending' });
      assert.deepEqual(stillPending.map((c) => c.sid), [replay.sid]);
      const byFactor = await service().entities(identity).challenges.list({ factorSid: sid, status: 'approved' });
      assert.equal(byFactor.length, 2);
    });

    it('refuses challenges for unknown or unverified factors', async () => {
      const identity = newIdentity();
      const factor = await service().entities(identity).newFactors.create({ friendlyName: 'Phone', factorType: 'totp' });
      const unverified = await restError(service().entities(identity).challenges.create({ factorSid: factor.sid }));
      assert.equal(unverified.code, 60300);
      const unknown = await restError(service().entities(identity).challenges.create({ factorSid: 'YF' + '0'.repeat(32) }));
      assert.equal(unknown.code, 20404);
      const tooLate = await restError(service().entities(identity).challenges.create({ factorSid: factor.sid, expirationDate: new Date(clock().now() + 61 * 60_000) }));
      assert.equal(tooLate.code, 60200);
    });

    it('refuses the sixth response to a challenge after five wrong codes (60308)', async () => {
      const { identity, sid, secret } = await verifiedFactor();
      const challenge = await service().entities(identity).challenges.create({ factorSid: sid });
      for (let i = 0; i < 5; i++) {
        assert.equal((await service().entities(identity).challenges(challenge.sid).update({ authPayload: codeOf(secret, 20) })).status, 'pending');
      }
      const limited = await restError(service().entities(identity).challenges(challenge.sid).update({ authPayload: codeOf(secret) }));
      assert.equal(limited.status, 429);
      assert.equal(limited.code, 60308);
      assert.equal((await service().entities(identity).challenges(challenge.sid).fetch()).status, 'pending');
    });

    it('expires challenges (default 5 minutes, ExpirationDate up to 60) and refuses answers to them (60306)', async () => {
      const { identity, sid, secret } = await verifiedFactor();
      const short = await service().entities(identity).challenges.create({ factorSid: sid });
      const long = await service().entities(identity).challenges.create({ factorSid: sid, expirationDate: new Date(clock().now() + 30 * 60_000) });
      clock().advance(5 * 60_000 + 1000);
      assert.equal((await service().entities(identity).challenges(short.sid).fetch()).status, 'expired');
      const late = await restError(service().entities(identity).challenges(short.sid).update({ authPayload: codeOf(secret) }));
      assert.equal(late.code, 60306);
      assert.match(late.message, /expired/);
      assert.equal((await service().entities(identity).challenges(long.sid).update({ authPayload: codeOf(secret) })).status, 'approved');
    });

    it('locks the entity out after repeated wrong codes across challenges, until the lock ends (60308, Retry-After)', async () => {
      const { identity, sid, secret } = await verifiedFactor();
      for (let round = 0; round < 2; round++) {
        const challenge = await service().entities(identity).challenges.create({ factorSid: sid });
        for (let i = 0; i < 5; i++) await service().entities(identity).challenges(challenge.sid).update({ authPayload: codeOf(secret, 20) });
      }
      // A new challenge does not reset the count: the right code is refused while locked.
      const fresh = await service().entities(identity).challenges.create({ factorSid: sid });
      const path = `/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${fresh.sid}`;
      const locked = await v.api('POST', path, { AuthPayload: codeOf(secret) });
      assert.equal(locked.status, 429);
      assert.equal(locked.body.code, 60308);
      assert.equal(locked.headers.get('retry-after'), '30');
      clock().advance(31_000);
      const approved = await v.api('POST', path, { AuthPayload: codeOf(secret) });
      assert.equal(approved.body.status, 'approved');
      // Success cleared the counter: one wrong code no longer locks.
      nextStep();
      const next = await service().entities(identity).challenges.create({ factorSid: sid, authPayload: codeOf(secret, 20) });
      assert.equal(next.status, 'pending');
      assert.equal((await service().entities(identity).challenges(next.sid).update({ authPayload: codeOf(secret) })).status, 'approved');
    });

    it('keeps a used step used when Config.TimeStep changes', async () => {
      const { identity, sid, secret } = await verifiedFactor();
      const used = codeOf(secret);
      assert.equal((await service().entities(identity).challenges.create({ factorSid: sid, authPayload: used })).status, 'approved');
      const factor = await service().entities(identity).factors(sid).update({ 'config.timeStep': 60 });
      assert.deepEqual(factor.config, { alg: 'sha1', skew: 1, code_length: 6, time_step: 60 });
      // The 60 s step holding the used 30 s step is spent; the next one is accepted.
      const sameWindow = totp(base32Decode(secret), clock().now(), { ...OPTIONS, period: 60 });
      assert.equal((await service().entities(identity).challenges.create({ factorSid: sid, authPayload: sameWindow })).status, 'pending');
      clock().advance(60_000);
      const next = totp(base32Decode(secret), clock().now(), { ...OPTIONS, period: 60 });
      assert.equal((await service().entities(identity).challenges.create({ factorSid: sid, authPayload: next })).status, 'approved');
    });

    it('stores the secret sealed, never in plaintext', async () => {
      const { sid, secret } = await verifiedFactor();
      const row = await v.ctx.db.kysely.selectFrom('factors').selectAll().where('sid', '=', sid).executeTakeFirstOrThrow();
      assert.match(row.secret_sealed, /^v1\./);
      assert.ok(!JSON.stringify(row).includes(secret), 'expected !JSON.stringify(row).includes(secret)');
      assert.ok(!JSON.stringify(row).toLowerCase().includes(secret.toLowerCase()), 'expected !JSON.stringify(row).toLowerCase().includes(secret.toLowerCase())');
    });

    it('approves exactly one of 20 simultaneous answers with the same code, on one challenge or on many', async () => {
      const { identity, sid, secret } = await verifiedFactor();
      const one = await service().entities(identity).challenges.create({ factorSid: sid });
      const code = codeOf(secret);
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => service().entities(identity).challenges(one.sid).update({ authPayload: code })));
      const approved = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'approved');
      assert.equal(approved.length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok([60306, 60308].includes((r.reason as RestError).code), 'expected [60306, 60308].includes((r.reason as RestError).code)');

      nextStep();
      const many = await Promise.all(Array.from({ length: 20 }, () => service().entities(identity).challenges.create({ factorSid: sid })));
      const code2 = codeOf(secret);
      const answers = await Promise.allSettled(many.map((c) => service().entities(identity).challenges(c.sid).update({ authPayload: code2 })));
      assert.equal(answers.filter((r) => r.status === 'fulfilled' && r.value.status === 'approved').length, 1);
      const listed = await service().entities(identity).challenges.list({ status: 'approved' });
      assert.equal(listed.length, 2);
    });

    it('deletes factors and entities, with their challenges', async () => {
      const { identity, sid, secret } = await verifiedFactor();
      const challenge = await service().entities(identity).challenges.create({ factorSid: sid, authPayload: codeOf(secret) });
      assert.equal(await service().entities(identity).factors(sid).remove(), true);
      assert.equal((await restError(service().entities(identity).factors(sid).fetch())).code, 20404);
      assert.equal((await restError(service().entities(identity).challenges(challenge.sid).fetch())).code, 20404);
      const entities = await service().entities.list();
      assert.ok(entities.some((e) => e.identity === identity), 'expected entities.some((e) => e.identity === identity)');
      assert.equal(await service().entities(identity).remove(), true);
      assert.equal((await restError(service().entities(identity).fetch())).code, 20404);

      const created = await service().entities.create({ identity });
      assert.equal(created.identity, identity);
      assert.equal((await restError(service().entities.create({ identity }))).code, 60306);
    });
  });
}
