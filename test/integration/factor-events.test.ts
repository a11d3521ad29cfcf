import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { verifyWebhookSignature } from '../../src/events/webhook-signature.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/test-helpers.ts';

/** factor.* and challenge.* events reach webhooks, signed, through the same outbox as verifications. */
let v: TestVerity;
let receiver: Receiver;
before(async () => {
  v = await startVerity();
  receiver = await startReceiver();
});
after(async () => {
  await v.close();
  await receiver.close();
});

const event = (type: string, sid: string) => (r: ReceivedRequest) => {
  const body = JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
  return body.type === type && (body.data['factor_sid'] === sid || body.data['challenge_sid'] === sid);
};

it('delivers factor.created, factor.verified, challenge.approved and factor.deleted with no secret or code', { timeout: 20_000 }, async () => {
  const service = await v.client.verify.v2.services.create({ friendlyName: 'Factor Events' });
  const hook = await v.api('POST', `/v2/Services/${service.sid}/Webhooks`, {
    FriendlyName: 'factors',
    WebhookUrl: receiver.url + '/hook',
    EventTypes: ['factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved'],
  });
  assert.equal(hook.status, 201);
  const entity = v.client.verify.v2.services(service.sid).entities('user-0000-0001');
  const factor = await entity.newFactors.create({ friendlyName: 'phone app', factorType: 'totp' });
  const secret = (factor.binding as { secret: string }).secret;
  const options = { algorithm: 'sha1' as const, digits: 6, period: 30, skew: 1 };
  const now = Date.now();
  await entity.factors(factor.sid).update({ authPayload: totp(base32Decode(secret), now, options) });
  // The next step's code: the one used to verify the factor cannot be used again.
  const challenge = await entity.challenges.create({ factorSid: factor.sid, authPayload: totp(base32Decode(secret), now + 30_000, options) });
  assert.equal(challenge.status, 'approved');
  await entity.factors(factor.sid).remove();

  for (const [type, sid] of [['factor.created', factor.sid], ['factor.verified', factor.sid], ['challenge.approved', challenge.sid], ['factor.deleted', factor.sid]] as const) {
    const delivery = await receiver.waitFor(event(type, sid), 10_000);
    assert.ok(
      verifyWebhookSignature(hook.body.secret as string, String(delivery.headers['verity-signature']), delivery.body, { nowSeconds: Math.floor(Date.now() / 1000) }),
      `${type} is signed`,
    );
    assert.ok(!delivery.body.includes(secret), `${type} carries no secret`);
    const data = (JSON.parse(delivery.body) as { data: Record<string, unknown> }).data;
    assert.equal(data['entity_identity'], 'user-0000-0001');
    assert.equal(data['factor_type'], 'totp');
  }
});
