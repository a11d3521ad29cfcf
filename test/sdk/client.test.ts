import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { followEvents, VerityApiError, VerityClient, type ChallengeProgressEvent, type StreamEvent, type VerificationProgressEvent } from '@verity/sdk';
import { generateDeviceKey, signFactorVerification, signPushResponse } from '../../src/factors/push/device-signing.ts';
import type { DeviceChallenge } from '../../src/factors/push/push-protocol.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

describe('@verity/sdk against a real Verity', () => {
  let v: TestVerity;
  let verity: VerityClient;
  let serviceSid: string;

  before(async () => {
    v = await startVerity();
    verity = new VerityClient({ baseUrl: v.url, accountSid: v.accountSid, authToken: v.authToken });
    const service = await verity.services.create({
      friendlyName: 'SDK Test',
      codeLength: 6,
      codeExpirySeconds: 300,
      push: { numberMatching: true, maxChallengesSinceSuccess: 3 },
    });
    serviceSid = service.sid;
  });
  after(async () => {
    await v.close();
  });

  it('creates, fetches, lists, updates and removes services', async () => {
    const service = await verity.services.fetch(serviceSid);
    assert.equal(service.friendly_name, 'SDK Test');
    assert.equal(service.code_expiry_seconds, 300);
    assert.equal(service.push.max_challenges_since_success, 3);
    assert.equal(service.push.number_matching, true);

    const other = await verity.services.create({ friendlyName: 'Temporary', enabledChannels: ['sms', 'email'], defaultLocale: 'fr' });
    assert.deepEqual(other.enabled_channels, ['sms', 'email']);
    assert.equal(other.default_locale, 'fr');
    const updated = await verity.services.update(other.sid, { friendlyName: 'Renamed', codeLength: 8 });
    assert.equal(updated.friendly_name, 'Renamed');
    assert.equal(updated.code_length, 8);
    assert.deepEqual(updated.enabled_channels, ['sms', 'email'], 'parameters not given are kept');
    const passkeys = await verity.services.update(other.sid, { passkeys: { relyingPartyId: 'verify.example.com', relyingPartyName: 'Acme', origins: ['https://verify.example.com', 'https://example.com'], authenticatorAttachment: 'any', userVerification: 'required' } });
    assert.deepEqual(passkeys.passkeys.relying_party, { id: 'verify.example.com', name: 'Acme', origins: ['https://verify.example.com', 'https://example.com'] });
    assert.equal(passkeys.passkeys.authenticator_attachment, 'any');
    assert.equal(passkeys.passkeys.user_verification, 'required');

    const page = await verity.services.list({ pageSize: 50 });
    assert.deepEqual(page.services.map((s) => s.sid).sort(), [serviceSid, other.sid].sort());
    assert.equal(page.meta.key, 'services');

    await verity.services.remove(other.sid);
    await assert.rejects(verity.services.fetch(other.sid), (error: unknown) => error instanceof VerityApiError && error.code === 20404 && error.status === 404);
  });

  it('sends an SMS code and checks it, by destination and by verification SID', async () => {
    const to = '+14155550101';
    const verification = await verity.verifications.create(serviceSid, { to, channel: 'sms' });
    assert.equal(verification.status, 'pending');
    assert.equal(verification.channel, 'sms');
    assert.equal(verification.voice_flow, undefined, 'voice fields only on calls');

    const code = await v.lastCode(to);
    const wrong = await verity.verifications.check(serviceSid, { to, code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 'pending');
    assert.equal(wrong.valid, false);

    const check = await verity.verifications.check(serviceSid, { to, code });
    assert.equal(check.status, 'approved');
    assert.equal(check.valid, true);
    assert.equal(check.sid, verification.sid);

    const second = await verity.verifications.create(serviceSid, { to: '+14155550102', channel: 'sms' });
    const bySid = await verity.verifications.check(serviceSid, { verificationSid: second.sid, code: await v.lastCode('+14155550102') });
    assert.equal(bySid.status, 'approved');
  });

  it('cancels and approves verifications', async () => {
    const canceled = await verity.verifications.create(serviceSid, { to: '+14155550103', channel: 'sms' });
    assert.equal((await verity.verifications.cancel(serviceSid, canceled.sid)).status, 'canceled');
    const approved = await verity.verifications.create(serviceSid, { to: '+14155550104', channel: 'sms' });
    assert.equal((await verity.verifications.approve(serviceSid, approved.sid)).status, 'approved');
  });

  it('throws VerityApiError with code 60200 for bad input', async () => {
    await assert.rejects(verity.verifications.create(serviceSid, { to: '+14155550105', channel: 'sms', customFriendlyName: 'x'.repeat(33) }), (error: unknown) => {
      assert.ok(error instanceof VerityApiError, 'expected error instanceof VerityApiError');
      assert.equal(error.code, 60200);
      assert.equal(error.status, 400);
      assert.match(error.message, /CustomFriendlyName/);
      assert.equal(error.moreInfo, 'https://www.twilio.com/docs/errors/60200');
      return true;
    });
    await assert.rejects(verity.services.create({ friendlyName: 'Bad', codeLength: 99 }), (error: unknown) => error instanceof VerityApiError && error.code === 60200);
  });

  it('enrolls and verifies a TOTP factor, then answers a challenge with a code', async () => {
    const factor = await verity.factors.create(serviceSid, 'user-totp', { factorType: 'totp', friendlyName: 'Authenticator app', config: { codeLength: 6 } });
    assert.equal(factor.status, 'unverified');
    assert.ok(factor.binding && 'secret' in factor.binding, "expected factor.binding && 'secret' in factor.binding");
    const config = factor.config as { alg: 'sha1' | 'sha256' | 'sha512'; code_length: number; time_step: number; skew: number };
    const options = { algorithm: config.alg, digits: config.code_length, period: config.time_step, skew: config.skew };
    const secret = base32Decode(factor.binding.secret);

    const verified = await verity.factors.verify(serviceSid, 'user-totp', factor.sid, totp(secret, Date.now(), options));
    assert.equal(verified.status, 'verified');
    assert.equal(verified.binding, null, 'the secret is shown once');

    // The code of the next time step: the current one was used up by the verification.
    const challenge = await verity.challenges.create(serviceSid, 'user-totp', { factorSid: factor.sid, authPayload: totp(secret, Date.now() + config.time_step * 1000, options) });
    assert.equal(challenge.status, 'approved');
    assert.deepEqual(challenge.amr, ['otp']);

    const listed = await verity.factors.list(serviceSid, 'user-totp');
    assert.deepEqual(listed.factors.map((f) => f.sid), [factor.sid]);
    assert.equal((await verity.entities.fetch(serviceSid, 'user-totp')).identity, 'user-totp');
  });

  it('runs a push challenge with details, follows its events and relays the signed answer', async () => {
    const identity = 'user-push';
    const token = await verity.accessTokens.create(serviceSid, { identity, factorFriendlyName: 'Phone' });
    assert.equal(token.entity_identity, identity);
    assert.match(token.token, /^eyJ/);

    const { privateKey, publicKey } = await generateDeviceKey();
    const factor = await verity.factors.create(serviceSid, identity, { factorType: 'push', friendlyName: 'Phone', binding: { alg: 'ES256', publicKey } });
    const verified = await verity.factors.verify(serviceSid, identity, factor.sid, await signFactorVerification(privateKey, factor.sid));
    assert.equal(verified.status, 'verified');

    const challenge = await verity.challenges.create(serviceSid, identity, {
      factorSid: factor.sid,
      details: { message: 'Log in to Acme?', fields: [{ label: 'Location', value: 'Lisbon, PT' }, { label: 'Browser', value: 'Firefox' }] },
      hiddenDetails: { ip: '203.0.113.7' },
    });
    assert.equal(challenge.status, 'pending');
    assert.deepEqual(challenge.details.fields, [
      { label: 'Location', value: 'Lisbon, PT' },
      { label: 'Browser', value: 'Firefox' },
    ]);
    assert.deepEqual(challenge.hidden_details, { ip: '203.0.113.7' });
    assert.match(challenge.number_match ?? '', /^\d{2}$/);

    const events: Array<StreamEvent<ChallengeProgressEvent>> = [];
    const following = followEvents<ChallengeProgressEvent>(challenge.links.events, { onEvent: (e) => void events.push(e), signal: AbortSignal.timeout(10_000) });

    // The device signs digests of the details exactly as the server shows them: this fails if the
    // SDK sent the fields or hidden details in another shape than the server stored.
    const authPayload = await signPushResponse(privateKey, challenge as unknown as DeviceChallenge, 'approved', challenge.number_match ?? undefined);
    const answered = await verity.challenges.respond(serviceSid, identity, challenge.sid, authPayload);
    assert.equal(answered.status, 'approved');

    const result = await following;
    assert.equal(result.reason, 'ended');
    assert.deepEqual(
      events.map((e) => [e.id, e.event]),
      [
        [1, 'created'],
        [3, 'approved'],
      ],
    );
    const fetched = await verity.challenges.list(serviceSid, identity, { status: 'approved' });
    assert.deepEqual(fetched.challenges.map((c) => c.sid), [challenge.sid]);
  });

  it('issues, summarises and checks recovery codes', async () => {
    const issued = await verity.recoveryCodes.issue(serviceSid, 'user-recovery');
    assert.ok(issued.codes.length > 0, 'expected issued.codes.length > 0');
    assert.equal(issued.remaining, issued.codes.length);
    const check = await verity.recoveryCodes.check(serviceSid, 'user-recovery', issued.codes[0]!);
    assert.equal(check.valid, true);
    assert.equal(check.remaining, issued.codes.length - 1);
    assert.equal((await verity.recoveryCodes.check(serviceSid, 'user-recovery', issued.codes[0]!)).valid, false, 'a code works once');
    assert.equal((await verity.recoveryCodes.summary(serviceSid, 'user-recovery')).remaining, issued.codes.length - 1);
  });

  it('manages webhooks', async () => {
    const created = await verity.webhooks.create(serviceSid, { friendlyName: 'Audit', eventTypes: ['factor.verified', 'challenge.approved'], webhookUrl: 'https://example.com/hooks' });
    assert.ok(created.secret, 'expected created.secret');
    assert.deepEqual(created.event_types, ['factor.verified', 'challenge.approved']);
    const updated = await verity.webhooks.update(serviceSid, created.sid, { status: 'disabled' });
    assert.equal(updated.status, 'disabled');
    assert.equal((await verity.webhooks.fetch(serviceSid, created.sid)).status, 'disabled');
    assert.deepEqual((await verity.webhooks.list(serviceSid)).webhooks.map((w) => w.sid), [created.sid]);
    await verity.webhooks.remove(serviceSid, created.sid);
    await assert.rejects(verity.webhooks.fetch(serviceSid, created.sid), (error: unknown) => error instanceof VerityApiError && error.code === 20404);
  });

  it('follows a keypad call verification while the simulated phone answers and types the code', async () => {
    const to = '+14155550110';
    const verification = await verity.verifications.create(serviceSid, { to, channel: 'call', voiceFlow: 'keypad_code' });
    assert.equal(verification.voice_flow, 'keypad_code');
    assert.match(verification.display_code ?? '', /^\d{6}$/);
    assert.ok(verification.links?.events, 'expected verification.links?.events');

    const events: Array<StreamEvent<VerificationProgressEvent>> = [];
    const following = followEvents<VerificationProgressEvent>(verification.links.events, { onEvent: (e) => void events.push(e), signal: AbortSignal.timeout(15_000) });

    const phone = `${v.url}/sim/v1/phones/${encodeURIComponent(to)}/calls`;
    const { calls } = (await (await fetch(phone)).json()) as { calls: Array<{ sid: string }> };
    const callSid = calls[0]!.sid;
    assert.equal((await fetch(`${phone}/${callSid}/answer`, { method: 'POST' })).status, 200);
    const typed = await fetch(`${phone}/${callSid}/dtmf`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ digits: `${verification.display_code}#` }) });
    assert.equal(typed.status, 200);

    const result = await following;
    assert.equal(result.reason, 'ended');
    const ids = events.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => (a ?? 0) - (b ?? 0)), 'delivered in sequence order');
    assert.deepEqual(ids, events.map((e) => e.data.sequence), 'the id is the sequence number');
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    const names = events.map((e) => e.event);
    assert.ok(names.includes('approved'), names.join(','));
    assert.equal(names.at(-1), 'completed', names.join(','));
    assert.ok(names.indexOf('answered') < names.indexOf('approved'), names.join(','));
  });
});
