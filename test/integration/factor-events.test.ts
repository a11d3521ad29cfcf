import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { verifyWebhookSignature } from '../../src/events/webhook-signature.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice } from '../support/push-device.ts';
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
    // Verity's JSON envelope (Twilio's form format is the default: test/integration/twilio-webhooks.test.ts).
    Format: 'verity',
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

it('delivers challenge.denied for a push challenge, with its details and never the number to match', { timeout: 20_000 }, async () => {
  const service = await v.client.verify.v2.services.create({ friendlyName: 'Push Events' });
  const hook = await v.api('POST', `/v2/Services/${service.sid}/Webhooks`, { FriendlyName: 'push', WebhookUrl: receiver.url + '/push', EventTypes: ['challenge.denied'], Format: 'verity' });
  assert.equal(hook.status, 201);
  const device = await enrollDevice(v, service.sid, 'user-0000-0002');
  const created = await v.api('POST', `/v2/Services/${service.sid}/Entities/user-0000-0002/Challenges`, {
    FactorSid: device.factorSid,
    'Details.Message': 'Send money?',
    'Details.Fields': [JSON.stringify({ label: 'Amount', value: '$90.00' })],
  });
  const seen = (await device.pending()).find((c) => c.sid === created.body.sid);
  assert.ok(seen, 'expected seen');
  assert.equal((await device.answer(seen, 'denied')).body.status, 'denied');
  const delivery = await receiver.waitFor(event('challenge.denied', created.body.sid as string), 10_000);
  assert.ok(verifyWebhookSignature(hook.body.secret as string, String(delivery.headers['verity-signature']), delivery.body, { nowSeconds: Math.floor(Date.now() / 1000) }), 'the webhook signature verifies');
  const data = (JSON.parse(delivery.body) as { data: Record<string, any> }).data;
  assert.equal(data['factor_type'], 'push');
  assert.equal(data['challenge_status'], 'denied');
  assert.deepEqual(data['challenge_details'].fields, [{ label: 'Amount', value: '$90.00' }]);
  assert.ok(!delivery.body.includes(`"number_match"`), 'no number to match in the event');
});

it('delivers recovery_code.used with the amr value and never the code', { timeout: 20_000 }, async () => {
  const service = await v.client.verify.v2.services.create({ friendlyName: 'Recovery Events' });
  const hook = await v.api('POST', `/v2/Services/${service.sid}/Webhooks`, { FriendlyName: 'recovery', WebhookUrl: receiver.url + '/recovery', EventTypes: ['recovery_code.used'], Format: 'verity' });
  assert.equal(hook.status, 201);
  const issued = await v.api('POST', `/v2/Services/${service.sid}/Entities/user-0000-0003/RecoveryCodes`);
  const code = (issued.body.codes as string[])[0] as string;
  assert.equal((await v.api('POST', `/v2/Services/${service.sid}/Entities/user-0000-0003/RecoveryCodes/Check`, { Code: code })).body.valid, true);
  const delivery = await receiver.waitFor((r) => (JSON.parse(r.body) as { type: string }).type === 'recovery_code.used', 10_000);
  const data = (JSON.parse(delivery.body) as { data: Record<string, unknown> }).data;
  assert.deepEqual(data['amr'], ['otp']);
  assert.equal(data['entity_identity'], 'user-0000-0003');
  assert.equal(data['remaining'], 9);
  assert.ok(!delivery.body.includes(code) && !delivery.body.includes(code.replace(/-/g, '')), 'no code in the event');
});
