import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';

/** Parameters of a verification that change its message, proven through the official client and the simulator's inbox. */
describe('verification parameters that shape the message', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ env: { VERITY_EMAIL_FROM: 'Acme <codes@acme.example>', VERITY_EMAIL_ALLOWED_FROM: 'security@acme.example,@mail.acme.example' } });
  });
  after(async () => v.close());

  const newService = (params: Record<string, unknown>) => v.client.verify.v2.services.create({ friendlyName: 'Acme Bank', ...params });
  let n = 0;
  const newNumber = () => `+1500555${String(2000 + n++)}`;

  it('AppHash: "<#> " first and the 11-character hash last, as the hosted API formats it; the WebOTP line is left out', async () => {
    const service = await newService({});
    await v.api('POST', `/v2/Services/${service.sid}`, { WebOtpDomain: 'acme.example' });
    const to = newNumber();
    await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms', appHash: 'He42w354ol9' });
    const code = await v.lastCode(to);
    assert.equal((await v.inbox(to))[0]?.body, `<#> Your Acme Bank verification code is: ${code} He42w354ol9`);
    const bad = await restError(v.client.verify.v2.services(service.sid).verifications.create({ to: newNumber(), channel: 'sms', appHash: 'short' }));
    assert.equal(bad.code, 60200);
    assert.match(bad.message, /AppHash/);
    // Not an SMS: ignored, as on the hosted API.
    await v.client.verify.v2.services(service.sid).verifications.create({ to: 'hash@example.com', channel: 'email', appHash: 'He42w354ol9' });
    assert.doesNotMatch((await v.inbox('hash@example.com'))[0]?.body ?? '', /He42w354ol9/);
  });

  it('CustomMessage: 60243 unless the service enables it; then its text, checked like a template', async () => {
    const service = await newService({});
    const to = newNumber();
    const refused = await restError(v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms', customMessage: 'Code {{code}}' }));
    assert.equal(refused.code, 60243);
    assert.deepEqual(await v.inbox(to), []);
    assert.equal((await v.api('POST', `/v2/Services/${service.sid}`, { CustomMessageEnabled: 'true' })).body.custom_message_enabled, true);
    await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms', customMessage: '{{friendly_name}}: {{code}} is your one-time code' });
    assert.match((await v.inbox(to))[0]?.body ?? '', /^Acme Bank: \d{6} is your one-time code$/);
    for (const [text, why] of [['No code here', /\{\{code\}\}/], ['{{code}} see https://evil.example', /links/], ['{{code}} {{uuid}}', /uuid/]] as const) {
      const error = await restError(v.client.verify.v2.services(service.sid).verifications.create({ to: newNumber(), channel: 'sms', customMessage: text }));
      assert.equal(error.code, 60200, text);
      assert.match(error.message, why, text);
    }
  });

  it('ChannelConfiguration: from must be an allowed sender, from_name a safe display name', async () => {
    const service = await newService({});
    const emails = v.client.verify.v2.services(service.sid).verifications;
    await emails.create({ to: 'one@example.com', channel: 'email', channelConfiguration: { from: 'security@acme.example', from_name: 'Acme Security' } });
    assert.equal((await v.inbox('one@example.com'))[0]?.from, 'Acme Security <security@acme.example>');
    await emails.create({ to: 'two@example.com', channel: 'email', channelConfiguration: { from: 'alerts@mail.acme.example' } });
    assert.equal((await v.inbox('two@example.com'))[0]?.from, 'Acme <alerts@mail.acme.example>');
    await emails.create({ to: 'three@example.com', channel: 'email', channelConfiguration: { from_name: 'Acme Login' } });
    assert.equal((await v.inbox('three@example.com'))[0]?.from, 'Acme Login <codes@acme.example>');
    for (const [configuration, why] of [
      [{ from: 'ceo@bank.example' }, /allowed sender/],
      [{ from: 'not an address' }, /valid email/],
      [{ from_name: 'Acme\r\nBcc: victim@example.com' }, /line breaks/],
      [{ from_name: '"support@bank.example"' }, /quotes/],
      [{ from_name: 'Visit bank-login.example' }, /links/],
      [{ template_id: 'd-0123456789abcdef' }, /template_id/],
    ] as const) {
      const error = await restError(emails.create({ to: 'spoof@example.com', channel: 'email', channelConfiguration: configuration }));
      assert.equal(error.code, 60200, JSON.stringify(configuration));
      assert.match(error.message, why, JSON.stringify(configuration));
    }
    assert.deepEqual(await v.inbox('spoof@example.com'), []);
  });

  it('PSD2: the SMS, the email and the call show the amount and payee; missing ones are 60206; unsafe ones 60200', async () => {
    const service = await newService({ psd2Enabled: true });
    const verifications = v.client.verify.v2.services(service.sid).verifications;
    const to = newNumber();
    await verifications.create({ to, channel: 'sms', amount: '€39.99', payee: 'Acme Shop' });
    assert.match((await v.inbox(to))[0]?.body ?? '', /^Your Acme Bank verification code is: \d{6}\. This code approves a payment of €39\.99 to Acme Shop\.$/);
    await verifications.create({ to: 'pay@example.com', channel: 'email', amount: '€39.99', payee: 'Acme Shop' });
    assert.match((await v.inbox('pay@example.com'))[0]?.body ?? '', /This code approves a payment of €39\.99 to Acme Shop\./);

    const caller = newNumber();
    await verifications.create({ to: caller, channel: 'call', amount: '€5.00', payee: 'Café Müller' });
    const phone = v.phone(caller);
    const call = await phone.answer((await phone.latestCall()).sid);
    assert.match(phone.heard(call), /You are asked to approve a payment of €5\.00 to Café Müller\. Your verification code is/);

    const missing = await restError(verifications.create({ to: newNumber(), channel: 'sms', amount: '€1' }));
    assert.equal(missing.code, 60206);
    const unsafe = await restError(verifications.create({ to: newNumber(), channel: 'sms', amount: '€1', payee: 'https://evil.example' }));
    assert.equal(unsafe.code, 60200);
    assert.match(unsafe.message, /Payee/);
  });

  it('SkipSmsToLandlines: a certain landline is 60205; mobiles and North American numbers are sent to', async () => {
    const service = await newService({ skipSmsToLandlines: true });
    assert.equal(service.skipSmsToLandlines, true);
    const verifications = v.client.verify.v2.services(service.sid).verifications;
    const landline = await restError(verifications.create({ to: '+33142685300', channel: 'sms' }));
    assert.equal(landline.status, 403);
    assert.equal(landline.code, 60205);
    assert.deepEqual(await v.inbox('+33142685300'), []);
    await verifications.create({ to: '+33612345678', channel: 'sms' });
    assert.equal((await v.inbox('+33612345678')).length, 1);
    await verifications.create({ to: '+14155552671', channel: 'sms' });
    assert.equal((await v.inbox('+14155552671')).length, 1, 'FIXED_LINE_OR_MOBILE is sent to');
    // A landline can still be called.
    await verifications.create({ to: '+33142685300', channel: 'call' });
  });

  it('Lookup: with LookupEnabled the verification shows the offline line type; without it, {}', async () => {
    const looked = await newService({ lookupEnabled: true });
    const mobile = await v.client.verify.v2.services(looked.sid).verifications.create({ to: '+4915123456789', channel: 'sms' });
    assert.deepEqual(mobile.lookup, { carrier: { mobile_country_code: null, mobile_network_code: null, name: null, type: 'mobile', error_code: null } });
    const fetched = await v.client.verify.v2.services(looked.sid).verifications(mobile.sid).fetch();
    assert.equal((fetched.lookup as { carrier: { type: string } }).carrier.type, 'mobile');
    const nanp = await v.client.verify.v2.services(looked.sid).verifications.create({ to: '+14155550199', channel: 'sms' });
    assert.equal((nanp.lookup as { carrier: { type: string | null } }).carrier.type, null);
    const email = await v.client.verify.v2.services(looked.sid).verifications.create({ to: 'look@example.com', channel: 'email' });
    assert.deepEqual(email.lookup, {});
    const plain = await newService({});
    assert.deepEqual((await v.client.verify.v2.services(plain.sid).verifications.create({ to: '+4915123456780', channel: 'sms' })).lookup, {});
  });

  it('imports an 80-bit TOTP seed (legacy authenticators) and verifies with it; 64 bits stay refused', async () => {
    const service = await newService({});
    const entity = v.client.verify.v2.services(service.sid).entities('legacy-user-80');
    const seed = 'JBSWY3DPEHPK3PXP'; // 16 base32 characters: 80 bits
    const factor = await entity.newFactors.create({ friendlyName: 'Old phone', factorType: 'totp', 'binding.secret': seed });
    assert.equal(factor.status, 'unverified');
    const code = totp(base32Decode(seed), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    assert.equal((await entity.factors(factor.sid).update({ authPayload: code })).status, 'verified');
    const short = await restError(entity.newFactors.create({ friendlyName: 'Older', factorType: 'totp', 'binding.secret': 'JBSWY3DPEHPK3P' }));
    assert.equal(short.code, 60200);
    assert.match(short.message, /80 to 1024 bits/);
  });

  it('friendly names such as "Acme 12345" are accepted and sent; a code-length run of digits stays refused', async () => {
    const service = await newService({ friendlyName: 'Acme 12345' });
    const to = newNumber();
    await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' });
    assert.match((await v.inbox(to))[0]?.body ?? '', /^Your Acme 12345 verification code is: \d{6}$/);
    assert.equal((await restError(v.client.verify.v2.services.create({ friendlyName: 'Acme 123456' }))).code, 60200);
  });
});
