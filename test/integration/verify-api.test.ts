import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** Drives Verity with the official `twilio` client, unchanged except for its base URL. */
describe('Verify v2 through the official twilio client', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true });
  });
  after(async () => v.close());

  const restError = async (promise: Promise<unknown>): Promise<{ code: number; status: number; message: string; moreInfo: string }> => {
    try {
      await promise;
    } catch (error) {
      return error as { code: number; status: number; message: string; moreInfo: string };
    }
    assert.fail('expected a RestException');
  };

  it('creates, fetches, updates, lists and deletes services', async () => {
    const created = await v.client.verify.v2.services.create({ friendlyName: 'Acme Login' });
    assert.match(created.sid, /^VA[0-9a-f]{32}$/);
    assert.equal(created.accountSid, v.accountSid);
    assert.equal(created.codeLength, 6);
    assert.equal(created.customCodeEnabled, false);
    assert.equal(created.dtmfInputRequired, true);
    assert.equal(created.url, `${v.url}/v2/Services/${created.sid}`);

    const fetched = await v.client.verify.v2.services(created.sid).fetch();
    assert.equal(fetched.friendlyName, 'Acme Login');

    const updated = await v.client.verify.v2.services(created.sid).update({ codeLength: 8, doNotShareWarningEnabled: true });
    assert.equal(updated.codeLength, 8);
    assert.equal(updated.doNotShareWarningEnabled, true);

    await v.client.verify.v2.services.create({ friendlyName: 'Second' });
    await v.client.verify.v2.services.create({ friendlyName: 'Third' });
    // pageSize 2 forces the client to follow meta.next_page_url.
    const all = await v.client.verify.v2.services.list({ pageSize: 2 });
    assert.ok(all.length >= 3, 'expected all.length >= 3');
    assert.ok(all.some((s) => s.sid === created.sid), 'expected all.some((s) => s.sid === created.sid)');

    assert.equal(await v.client.verify.v2.services(created.sid).remove(), true);
    const gone = await restError(v.client.verify.v2.services(created.sid).fetch());
    assert.equal(gone.status, 404);
    assert.equal(gone.code, 20404);
    assert.equal(gone.moreInfo, 'https://www.twilio.com/docs/errors/20404');
  });

  it('refuses a too-long FriendlyName and bad CodeLength with 60200', async () => {
    const long = await restError(v.client.verify.v2.services.create({ friendlyName: 'x'.repeat(40) }));
    assert.equal(long.code, 60200);
    assert.equal(long.status, 400);
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Length' });
    const bad = await restError(v.client.verify.v2.services(service.sid).update({ codeLength: 11 }));
    assert.equal(bad.code, 60200);
    assert.match(bad.message, /CodeLength/);
  });

  it('sends an SMS code and approves it once, by To', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Acme' });
    const verification = await v.client.verify.v2.services(service.sid).verifications.create({ to: '+1 415 555 2671', channel: 'sms' });
    assert.match(verification.sid, /^VE[0-9a-f]{32}$/);
    assert.equal(verification.to, '+14155552671');
    assert.equal(verification.status, 'pending');
    assert.equal(verification.valid, false);
    assert.equal(verification.channel, 'sms');
    assert.equal(verification.sendCodeAttempts.length, 1);

    const [message] = await v.inbox('+14155552671');
    assert.ok(message, 'expected message');
    assert.equal(message.channel, 'sms');
    assert.match(message.body, /^Your Acme verification code is: \d{6}$/);
    const code = await v.lastCode('+14155552671');

    const wrong = await v.client.verify.v2.services(service.sid).verificationChecks.create({ to: '+14155552671', code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 'pending');
    assert.equal(wrong.valid, false);

    const right = await v.client.verify.v2.services(service.sid).verificationChecks.create({ to: '+14155552671', code });
    assert.equal(right.status, 'approved');
    assert.equal(right.valid, true);
    assert.equal(right.sid, verification.sid);

    // Each code is accepted once; approved verifications are gone, as on the hosted API.
    const again = await restError(v.client.verify.v2.services(service.sid).verificationChecks.create({ to: '+14155552671', code }));
    assert.equal(again.code, 20404);
    assert.equal(again.message, `The requested resource /Services/${service.sid}/VerificationCheck was not found`);
    const fetched = await restError(v.client.verify.v2.services(service.sid).verifications(verification.sid).fetch());
    assert.equal(fetched.code, 20404);
  });

  it('checks by VerificationSid and speaks the code digit by digit on a call', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Voice Co' });
    const verification = await v.client.verify.v2.services(service.sid).verifications.create({ to: '+14155550101', channel: 'call' });
    assert.equal(verification.channel, 'call');
    const phone = v.phone('+14155550101');
    const ringing = await phone.latestCall();
    assert.equal(ringing.status, 'ringing');
    const heard = phone.heard(await phone.answer(ringing.sid));
    assert.match(heard, /^Hello\. This is Voice Co\./);
    const spoken = /code is ((?:\d, ){5}\d)\./.exec(heard);
    assert.ok(spoken, heard);
    // The code is said twice.
    assert.equal(heard.split(spoken[1] as string).length, 3);
    const code = (spoken[1] as string).replace(/\D/g, '');
    const check = await v.client.verify.v2.services(service.sid).verificationChecks.create({ verificationSid: verification.sid, code });
    assert.equal(check.status, 'approved');
  });

  it('sends email codes', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Mailer' });
    const verification = await v.client.verify.v2.services(service.sid).verifications.create({ to: 'Alice@Example.com', channel: 'email' });
    assert.equal(verification.to, 'alice@example.com');
    const [mail] = await v.inbox('alice@example.com');
    assert.equal(mail?.channel, 'email');
    const code = await v.lastCode('alice@example.com');
    const check = await v.client.verify.v2.services(service.sid).verificationChecks.create({ to: 'alice@example.com', code });
    assert.equal(check.status, 'approved');
  });

  it('resends the same code on the same verification, and counts sends', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Resend' });
    const to = '+14155550102';
    const first = await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' });
    const code = await v.lastCode(to);
    const second = await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'call' });
    assert.equal(second.sid, first.sid);
    assert.equal(second.sendCodeAttempts.length, 2);
    assert.equal(second.channel, 'call');
    assert.equal(await v.lastCode(to), code);
    for (let i = 0; i < 3; i++) await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' });
    const sixth = await restError(v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' }));
    assert.equal(sixth.code, 60203);
    assert.equal(sixth.status, 429);
    // Completing the verification lifts the send limit.
    await v.client.verify.v2.services(service.sid).verificationChecks.create({ to, code });
    const fresh = await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' });
    assert.notEqual(fresh.sid, first.sid);
  });

  it('ends a verification after 5 wrong checks with 60202', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Attempts' });
    const to = '+14155550103';
    const verification = await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' });
    const code = await v.lastCode(to);
    const wrong = code === '123456' ? '654321' : '123456';
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await v.client.verify.v2.services(service.sid).verificationChecks.create({ verificationSid: verification.sid, code: wrong });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, ['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);
    const sixth = await restError(v.client.verify.v2.services(service.sid).verificationChecks.create({ verificationSid: verification.sid, code }));
    assert.equal(sixth.code, 60202);
    assert.equal(sixth.status, 429);
    const fetched = await v.client.verify.v2.services(service.sid).verifications(verification.sid).fetch();
    assert.equal(fetched.status, 'max_attempts_reached');
  });

  it('cancels and approves through update; canceled stays fetchable', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Update' });
    const a = await v.client.verify.v2.services(service.sid).verifications.create({ to: '+14155550104', channel: 'sms' });
    const canceled = await v.client.verify.v2.services(service.sid).verifications(a.sid).update({ status: 'canceled' });
    assert.equal(canceled.status, 'canceled');
    assert.equal((await v.client.verify.v2.services(service.sid).verifications(a.sid).fetch()).status, 'canceled');
    const check = await restError(v.client.verify.v2.services(service.sid).verificationChecks.create({ verificationSid: a.sid, code: '123456' }));
    assert.equal(check.code, 20404);

    const b = await v.client.verify.v2.services(service.sid).verifications.create({ to: '+14155550105', channel: 'sms' });
    const approved = await v.client.verify.v2.services(service.sid).verifications(b.sid).update({ status: 'approved' });
    assert.equal(approved.status, 'approved');
    const bad = await restError(v.client.verify.v2.services(service.sid).verifications(b.sid).update({ status: 'canceled' }));
    assert.equal(bad.code, 20404);
  });

  it('expires codes after the service TTL (10 minutes by default)', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Expiry' });
    const to = '+14155550106';
    const verification = await v.client.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' });
    const code = await v.lastCode(to);
    v.clock?.advance(9 * 60_000);
    assert.equal((await v.client.verify.v2.services(service.sid).verifications(verification.sid).fetch()).status, 'pending');
    v.clock?.advance(61_000);
    const check = await restError(v.client.verify.v2.services(service.sid).verificationChecks.create({ to, code }));
    assert.equal(check.code, 20404);
    const fetched = await restError(v.client.verify.v2.services(service.sid).verifications(verification.sid).fetch());
    assert.equal(fetched.code, 20404);
  });

  it('honours a shorter per-service TTL (CodeExpirySeconds)', async () => {
    const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Short', CodeExpirySeconds: '120' });
    assert.equal(created.status, 201);
    assert.equal(created.body.code_expiry_seconds, 120);
    const to = '+14155550107';
    await v.client.verify.v2.services(created.body.sid).verifications.create({ to, channel: 'sms' });
    const code = await v.lastCode(to);
    v.clock?.advance(121_000);
    const check = await restError(v.client.verify.v2.services(created.body.sid).verificationChecks.create({ to, code }));
    assert.equal(check.code, 20404);
  });

  it('uses custom codes only when the service enables them', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Custom' });
    const refused = await restError(v.client.verify.v2.services(service.sid).verifications.create({ to: '+14155550108', channel: 'sms', customCode: '4242' }));
    assert.equal(refused.code, 60200);
    assert.match(refused.message, /CustomCode/);
    await v.client.verify.v2.services(service.sid).update({ customCodeEnabled: true });
    await v.client.verify.v2.services(service.sid).verifications.create({ to: '+14155550108', channel: 'sms', customCode: '4242' });
    assert.equal(await v.lastCode('+14155550108'), '4242');
    const check = await v.client.verify.v2.services(service.sid).verificationChecks.create({ to: '+14155550108', code: '4242' });
    assert.equal(check.status, 'approved');
  });

  it('uses the configured code length and localised templates', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Hola', codeLength: 8 });
    await v.client.verify.v2.services(service.sid).verifications.create({ to: '+34612345678', channel: 'sms', locale: 'es' });
    const [sms] = await v.inbox('+34612345678');
    assert.match(sms?.body ?? '', /^Tu código de verificación de Hola es: \d{8}$/);
    await v.client.verify.v2.services(service.sid).verifications.create({ to: 'jean@example.fr', channel: 'email', locale: 'fr' });
    const [mail] = await v.inbox('jean@example.fr');
    assert.match(mail?.body ?? '', /Votre code de vérification Hola est : \d{8}/);
  });

  it('rejects bad destinations, channels and credentials with stable codes', async () => {
    const service = await v.client.verify.v2.services.create({ friendlyName: 'Errors' });
    const verifications = v.client.verify.v2.services(service.sid).verifications;
    for (const [to, channel] of [['+1 555', 'sms'], ['not-a-number', 'sms'], ['bob@', 'email'], ['+14155552671', 'email'], ['bob@example.com', 'sms']] as const) {
      const e = await restError(verifications.create({ to, channel }));
      assert.equal(e.code, 60200, `${to} via ${channel}`);
      assert.equal(e.status, 400);
    }
    const unknown = await restError(verifications.create({ to: '+14155552671', channel: 'pigeon' }));
    assert.equal(unknown.code, 60200);
    // A channel of the hosted API that Verity does not offer (WhatsApp it does: test/integration/whatsapp-channel.test.ts).
    const sna = await restError(verifications.create({ to: '+14155552671', channel: 'sna' }));
    assert.equal(sna.code, 60223);

    const twilio = (await import('twilio')).default;
    const stranger = twilio(v.accountSid, 'f'.repeat(64), { httpClient: (v.client as any).httpClient });
    const denied = await restError(stranger.verify.v2.services(service.sid).fetch());
    assert.equal(denied.code, 20003);
    assert.equal(denied.status, 401);
  });
});
