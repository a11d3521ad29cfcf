import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { createKeyring } from '../../src/crypto/keyring.ts';
import { resealSecrets } from '../../src/crypto/reseal-secrets.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice } from '../support/push-device.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** `verity keys rotate`: factor bindings (TOTP secrets, push keys) keep working under the new master key alone. */
const oldKey = randomBytes(32);
let v: TestVerity;
before(async () => {
  v = await startVerity({ env: { VERITY_MASTER_KEY: oldKey.toString('hex') } });
});
after(async () => v.close());

it('re-seals TOTP secrets and push keys, after which the retired key is not needed', async () => {
  const serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Rotation' })).sid;
  const entity = v.client.verify.v2.services(serviceSid).entities('user-rotate-1');
  const options = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };
  const factor = await entity.newFactors.create({ friendlyName: 'app', factorType: 'totp' });
  const secret = base32Decode((factor.binding as { secret: string }).secret);
  const now = Date.now();
  assert.equal((await entity.factors(factor.sid).update({ authPayload: totp(secret, now, options) })).status, 'verified');
  const device = await enrollDevice(v, serviceSid, 'user-rotate-1');

  const newKey = randomBytes(32);
  const reports = await resealSecrets(v.ctx.stores, createKeyring(newKey, [oldKey]));
  assert.deepEqual(reports.find((r) => r.table === 'factors'), { table: 'factors', resealed: 2, alreadyCurrent: 0 });
  // From now on the server knows only the new key.
  v.ctx.keyring = createKeyring(newKey);

  const challenge = await entity.challenges.create({ factorSid: factor.sid, authPayload: totp(secret, now + 30_000, options) });
  assert.equal(challenge.status, 'approved', 'the TOTP secret opens under the new key');
  const pushChallenge = await v.api('POST', `/v2/Services/${serviceSid}/Entities/user-rotate-1/Challenges`, { FactorSid: device.factorSid, 'Details.Message': 'Log in?' });
  assert.equal(pushChallenge.status, 201);
  const seen = (await device.pending())[0];
  assert.ok(seen, 'the device key opens under the new key');
  assert.equal((await device.answer(seen, 'approved', String(pushChallenge.body.number_match))).body.status, 'approved');
});
