import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { rotateAuthToken } from '../../src/accounts/account-credentials.ts';
import { createKeyring, type Keyring } from '../../src/crypto/keyring.ts';
import { resealSecrets } from '../../src/crypto/reseal-secrets.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice } from '../support/push-device.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** `verity keys rotate`: factor bindings (TOTP secrets, push keys) keep working under the new master key alone. */
const oldKey = randomBytes(32);

/**
 * The context is frozen, so the test does not swap `ctx.keyring`: it gives the server a keyring that
 * delegates to one it can replace, which every part of the server (API authenticator, call engines,
 * factor bindings) reads through. That stands for restarting with only the new VERITY_MASTER_KEY.
 */
function rotatableKeyring(initial: Keyring): Keyring & { rotate(next: Keyring): void } {
  let current = initial;
  return {
    get keyId() {
      return current.keyId;
    },
    derive: (purpose) => current.derive(purpose),
    deriveFor: (id, purpose) => current.deriveFor(id, purpose),
    rotate: (next) => {
      current = next;
    },
  };
}

const keyring = rotatableKeyring(createKeyring(oldKey));
let v: TestVerity;
before(async () => {
  v = await startVerity({ env: { VERITY_MASTER_KEY: oldKey.toString('hex') }, keyring, manualClock: true });
});
after(async () => v.close());

it('re-seals TOTP secrets and push keys, after which the retired key is not needed', async () => {
  const serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Rotation' })).sid;
  const entity = v.client.verify.v2.services(serviceSid).entities('user-rotate-1');
  const options = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };
  const factor = await entity.newFactors.create({ friendlyName: 'app', factorType: 'totp' });
  const secret = base32Decode((factor.binding as { secret: string }).secret);
  const now = v.ctx.clock.now();
  assert.equal((await entity.factors(factor.sid).update({ authPayload: totp(secret, now, options) })).status, 'verified');
  const device = await enrollDevice(v, serviceSid, 'user-rotate-1');

  const newKey = randomBytes(32);
  const reports = await resealSecrets(v.ctx.stores, createKeyring(newKey, [oldKey]));
  assert.deepEqual(reports.find((r) => r.table === 'factors'), { table: 'factors', resealed: 2, alreadyCurrent: 0 });
  // From now on the server knows only the new key. Account token digests are keyed under the master
  // key, so the account's token is rotated too (docs/security.md: rotate account tokens before dropping the old key).
  keyring.rotate(createKeyring(newKey));
  assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).status, 401, 'the old token was digested under the retired key');
  const auth = { user: v.accountSid, password: (await rotateAuthToken(v.ctx.stores, v.ctx.keyring, v.accountSid, v.ctx.clock.now())) as string };
  v.clock?.advance(10_001); // the API authenticator caches an account row for 10 s
  const challenges = `/v2/Services/${serviceSid}/Entities/user-rotate-1/Challenges`;

  const challenge = await v.api('POST', challenges, { FactorSid: factor.sid, AuthPayload: totp(secret, now + 30_000, options) }, auth);
  assert.equal(challenge.status, 201);
  assert.equal(challenge.body.status, 'approved', 'the TOTP secret opens under the new key');
  const pushChallenge = await v.api('POST', challenges, { FactorSid: device.factorSid, 'Details.Message': 'Log in?' }, auth);
  assert.equal(pushChallenge.status, 201);
  const seen = (await device.pending())[0];
  assert.ok(seen, 'the device key opens under the new key');
  assert.equal((await device.answer(seen, 'approved', String(pushChallenge.body.number_match))).body.status, 'approved');
});
