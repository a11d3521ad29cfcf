import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { buildHandoffRequestUrl, HandoffResultError, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { generateDeviceKey, signFactorVerification } from '../../src/factors/push/device-signing.ts';
import { issueHandoffResult } from '../../src/handoff/issue-handoff-result.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { asWireError } from '../../src/http/domain-error-mapping.ts';
import { deviceCall, enrollDevice } from '../support/push-device.ts';
import { DATABASES, type TestVerity } from '../support/start-verity.ts';
import { requestToken, startHandoffVerity } from './handoff-support.ts';
import { fieldErrorOf, getPage, hiddenField, linksOf, postForm, sessionReturnOf, type HostedPage } from './handoff-support.ts';
import { cspDirectives } from '../support/csp.ts';

const RETURN = 'http://localhost:9999/back';
const ALL: HandoffFactorType[] = ['totp', 'push', 'recovery_code', 'sms', 'call', 'passkeys', 'voiceprint'];
const ENROLL_ROUTES = ['/handoff/enroll', '/handoff/enroll/totp', '/handoff/enroll/totp/verify', '/handoff/enroll/push', '/handoff/enroll/push/check', '/handoff/enroll/push/status', '/handoff/enroll/recovery-codes', '/handoff/enroll/phone', '/handoff/enroll/phone/check', '/handoff/enroll/rename', '/handoff/enroll/remove', '/handoff/enroll/remove/confirm', '/handoff/enroll/done'];

/** The enrollment hand-off (`purpose: enroll`) driven as a browser without script would. */
for (const database of DATABASES) {
  describe(`hand-off enrollment hub (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let clientSid: string;
    let secret: string;
    let counter = 0;
    before(async () => {
      ({ v, serviceSid, clientSid, secret } = await startHandoffVerity(RETURN, { database }));
    });
    after(async () => v.close());

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;
    const totpCode = (base32: string, offsetSteps = 0) => new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30 }).generate({ timestamp: clock().now() + offsetSteps * 30_000 });

    const requestUrl = (subject: string, state: string, options: { factors?: HandoffFactorType[]; phone?: string; purpose?: 'enroll' | 'authenticate' } = {}) =>
      buildHandoffRequestUrl({
        verityUrl: v.url,
        clientSid,
        secret,
        subject,
        state,
        returnTo: RETURN,
        factors: options.factors ?? ALL,
        now: clock().now(),
        purpose: options.purpose ?? 'enroll',
        ...(options.phone !== undefined ? { phone: options.phone } : {}),
      });

    const get = getPage;

    const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);

    const hidden = hiddenField;
    const session = (page: HostedPage) => hidden(page.html, 'session');
    const shownSecret = (html: string): string => {
      const match = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(html);
      assert.ok(match, 'the secret is shown for typing in');
      return (match[1] as string).replace(/ /g, '');
    };

    async function verifyResult(location: string, state: string, subject: string) {
      const url = new URL(location);
      assert.equal(`${url.origin}${url.pathname}`, RETURN);
      assert.equal(url.searchParams.get('state'), state);
      const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
      return verifyHandoffResult({ token: url.searchParams.get('result') as string, verityUrl: v.url, clientSid, expectedState: state, expectedSubject: subject, jwks, now: clock().now() });
    }

    async function enrollTotpByApi(identity: string): Promise<{ sid: string; secret: string }> {
      const created = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Old phone', FactorType: 'totp' });
      const base32 = created.body.binding.secret as string;
      const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${created.body.sid as string}`, { AuthPayload: totpCode(base32) });
      assert.equal(verified.body.status, 'verified');
      clock().advance(30_000);
      return { sid: created.body.sid as string, secret: base32 };
    }

    it('a user without factors lands on the hub at once, adds an authenticator app from the shown secret, and Done returns amr otp', async () => {
      const identity = newIdentity();
      const state = 'state-new-totp';
      const hub = await get(await requestUrl(identity, state));
      assert.equal(hub.status, 200);
      assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/);
      assert.match(hub.html, /None yet\./);
      for (const action of ['/handoff/enroll/totp', '/handoff/enroll/push', '/handoff/enroll/passkey', '/handoff/enroll/voiceprint', '/handoff/enroll/phone', '/handoff/enroll/recovery-codes', '/handoff/enroll/done']) {
        assert.match(hub.html, new RegExp(`action="${action}"`), action);
      }
      assert.doesNotMatch(hub.headers.get('content-security-policy') ?? '', /script-src|unsafe-inline/);

      // Nothing proven yet: Done refuses to send an empty result.
      const early = await post('/handoff/enroll/done', { session: session(hub) });
      assert.equal(early.status, 200);
      assert.match(early.html, /role="alert">Add a sign-in method and confirm it/);

      const qr = await post('/handoff/enroll/totp', { session: session(early) });
      assert.equal(qr.status, 200);
      assert.match(qr.html, /<figure class="qr"><svg role="img" aria-label="QR code for your authenticator app"/);
      assert.doesNotMatch(qr.html, /data:/);
      assert.match(qr.html, /action="\/handoff\/choose"|action="\/handoff\/enroll"/);
      const base32 = shownSecret(qr.html);
      assert.match(base32, /^[A-Z2-7]{32}$/);

      const wrong = await post('/handoff/enroll/totp/verify', { session: session(qr), code: totpCode(base32, 20) });
      assert.equal(wrong.status, 200);
      // At the field it is about (announced, tied to the input), not in a banner above the QR code.
      assert.match(fieldErrorOf(wrong.html, 'totp-code'), /^That code is not right/);
      assert.equal(shownSecret(wrong.html), base32, 'the same factor, not a new one');
      const malformed = await post('/handoff/enroll/totp/verify', { session: session(wrong), code: '12' });
      assert.match(fieldErrorOf(malformed.html, 'totp-code'), /6 to 8 digits/);

      const added = await post('/handoff/enroll/totp/verify', { session: session(malformed), code: totpCode(base32) });
      assert.equal(added.status, 200);
      assert.match(added.html, /role="status" aria-live="polite">Authenticator app added\./);
      assert.match(added.html, /Acme Shop authenticator<\/span> <span class="hint">Authenticator app · added [A-Z][a-z]{2} \d{1,2}, \d{4}/);

      const factors = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`);
      assert.deepEqual(
        (factors.body.factors as Array<{ factor_type: string; status: string }>).map((f) => [f.factor_type, f.status]),
        [['totp', 'verified']],
      );

      const done = await post('/handoff/enroll/done', { session: session(added) });
      assert.equal(done.status, 303);
      const result = await verifyResult(done.headers.get('location') as string, state, identity);
      assert.deepEqual(result.amr, ['otp']);
      assert.equal(result.phoneNumber, undefined);

      // The session is spent: a step does nothing more, and its page says so (with the way on to the application).
      const again = await post('/handoff/enroll/totp', { session: session(added) });
      assert.equal(again.status, 200);
      assert.match(again.html, /Your sign-in methods for Acme Shop are saved/);
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`)).body.factors.length, 1, 'no second authenticator app');
    });

    it('the hub’s cancel link is the session’s way back: the application gets error, state and a signed error_result', async () => {
      const identity = newIdentity();
      const state = 'state-hub-cancel';
      const hub = await get(await requestUrl(identity, state, { factors: ['totp'] }));
      assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/);
      const links = linksOf(hub.html);
      assert.ok(links.length > 0, 'the hub has a way back');
      assert.deepEqual(links, links.map(() => sessionReturnOf(hub.html)), 'no link to the bare return_to (a cancel with no result)');
      const left = await get(`${v.url}${links[0] as string}`);
      assert.equal(left.status, 303);
      const back = new URL(left.headers.get('location') as string);
      assert.equal(`${back.origin}${back.pathname}`, RETURN);
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('state'), state);
      assert.match(back.searchParams.get('error_result') ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('a new authenticator app takes five wrong codes; the next try removes it and says why', async () => {
      const identity = newIdentity();
      const hub = await get(await requestUrl(identity, 'state-totp-limit', { factors: ['totp'] }));
      let page = await post('/handoff/enroll/totp', { session: session(hub) });
      const base32 = shownSecret(page.html);
      for (let i = 0; i < 5; i++) {
        page = await post('/handoff/enroll/totp/verify', { session: session(page), code: totpCode(base32, 40 + i) });
        assert.match(page.html, /That code is not right/, `try ${i + 1}`);
      }
      const refused = await post('/handoff/enroll/totp/verify', { session: session(page), code: totpCode(base32) });
      assert.match(refused.html, /role="alert">Too many wrong codes: that authenticator app was not added\./);
      const factors = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`);
      assert.deepEqual(factors.body.factors, []);
      // Adding it again starts over with a new key.
      const again = await post('/handoff/enroll/totp', { session: session(refused) });
      assert.notEqual(shownSecret(again.html), base32);
    });

    it('a user with a factor must pass it first (step-up); the hub then lists it, and the result carries the step-up amr', async () => {
      const identity = newIdentity();
      const factor = await enrollTotpByApi(identity);
      const state = 'state-step-up';
      const chooser = await get(await requestUrl(identity, state));
      assert.equal(chooser.status, 200);
      assert.match(chooser.html, /role="status">To add a sign-in method, first confirm it’s you with one you already have./);
      assert.doesNotMatch(chooser.html, /Your sign-in methods/);
      // The chooser's session carries no grant: the hub refuses it.
      const refused = await post('/handoff/enroll', { session: session(chooser) });
      assert.equal(refused.status, 403);
      assert.match(refused.html, /needs you to confirm it is you first/);

      assert.equal(hidden(chooser.html, 'factor'), factor.sid);
      const hub = await post('/handoff/totp', { session: session(chooser), factor: factor.sid, code: totpCode(factor.secret) });
      assert.equal(hub.status, 200, 'the hub, not a result');
      assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/);
      assert.match(hub.html, /role="status" aria-live="polite">Confirmed\. You can now add sign-in methods\./);
      assert.match(hub.html, /Old phone<\/span> <span class="hint">Authenticator app/);

      const done = await post('/handoff/enroll/done', { session: session(hub) });
      assert.equal(done.status, 303);
      const result = await verifyResult(done.headers.get('location') as string, state, identity);
      assert.deepEqual(result.amr, ['otp']);
    });

    it('no grant → 403 on every enrollment route, and a tampered session → 400', async () => {
      const identity = newIdentity();
      await enrollTotpByApi(identity);
      const authenticate = await get(await requestUrl(identity, 'state-no-grant', { purpose: 'authenticate' }));
      assert.equal(authenticate.status, 200);
      const stepUp = await get(await requestUrl(identity, 'state-no-grant-2'));
      for (const sealed of [session(authenticate), session(stepUp)]) {
        for (const route of ENROLL_ROUTES) {
          const page = await post(route, { session: sealed, code: '123456', phone_number: '+14155550100', channel: 'sms' });
          assert.equal(page.status, 403, route);
          assert.match(page.html, /confirm it is you first/, route);
        }
      }
      // A form token with another nonce acts not at all: the session's page as it was (the chooser).
      const tampered = await post('/handoff/enroll', { session: `${session(stepUp).slice(0, -4)}AAAA` });
      assert.equal(tampered.status, 200);
      assert.doesNotMatch(tampered.html, /Your sign-in methods/);
      const garbage = await post('/handoff/enroll', { session: 'not-a-token' });
      assert.equal(garbage.status, 400);
      // A subject that cannot be an entity identity: no hub, and the reason.
      const unusable = await get(await requestUrl('user_1!', 'state-bad-subject'));
      assert.equal(unusable.status, 400);
      assert.match(unusable.html, /cannot hold sign-in methods here/);
    });

    it('an unknown purpose is refused with 64101; the SDK refuses it before signing', async () => {
      const client = { sid: clientSid, serviceSid, secret };
      const token = await requestToken(v, client, { purpose: 'delete-account', return_to: RETURN });
      const page = await get(`${v.url}/handoff?request=${token}`);
      assert.equal(page.status, 400);
      assert.match(page.html, /This sign-in link is malformed/);
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { purpose: 42, return_to: RETURN })), (e: unknown) => asWireError(e)?.code === 64101);
      const explicit = await verifyHandoffRequest(v.ctx, await requestToken(v, client, { purpose: 'authenticate', return_to: RETURN }));
      assert.equal(explicit.purpose, undefined);
      const enroll = await verifyHandoffRequest(v.ctx, await requestToken(v, client, { purpose: 'enroll', return_to: RETURN }));
      assert.equal(enroll.purpose, 'enroll');
      await assert.rejects(
        buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: 'user-1', state: 's', returnTo: RETURN, factors: ['totp'], purpose: 'nope' as 'enroll' }),
        RangeError,
      );
      const url = await requestUrl('user-sdk-1', 's');
      const claims = JSON.parse(Buffer.from((new URL(url).searchParams.get('request') as string).split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(claims.purpose, 'enroll');
    });

    it('recovery codes are shown once, with a warning when they replace older ones that stop working', async () => {
      const identity = newIdentity();
      const hub = await get(await requestUrl(identity, 'state-recovery'));
      assert.match(hub.html, /Get recovery codes/);
      const first = await post('/handoff/enroll/recovery-codes', { session: session(hub) });
      assert.equal(first.status, 200);
      const codes = [...first.html.matchAll(/<li><code>([0-9A-Z-]{14})<\/code><\/li>/g)].map((m) => m[1] as string);
      assert.equal(codes.length, 10);
      assert.match(first.html, /shown only once/);
      assert.doesNotMatch(first.html, /previous recovery codes no longer work/);
      // Reload (a GET of the session's page) and the hub's form posted again (resubmit, Back then the
      // button): the same page and codes, never a new set; the codes shown first still work.
      const reloaded = await get(first.url);
      assert.equal(reloaded.html, first.html);
      const resubmitted = await post('/handoff/enroll/recovery-codes', { session: session(hub) });
      assert.equal(resubmitted.html, first.html);
      const stillValid = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes/Check`, { Code: codes[9] as string });
      assert.equal(stillValid.body.valid, true, JSON.stringify(stillValid.body));

      const back = await post('/handoff/enroll', { session: session(first) });
      assert.match(back.html, /Recovery codes<\/span> <span class="hint">9 of 10 unused/);
      assert.match(back.html, /the old ones stop working/);
      for (const code of codes) assert.doesNotMatch(back.html, new RegExp(code), 'never shown again');

      const second = await post('/handoff/enroll/recovery-codes', { session: session(back) });
      assert.match(second.html, /Your previous recovery codes no longer work\./);
      const check = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes/Check`, { Code: codes[0] as string });
      assert.equal(check.body.valid, false);

      // Codes alone prove nothing: Done still asks for a confirmed method.
      const done = await post('/handoff/enroll/done', { session: session(second) });
      assert.equal(done.status, 200);
      assert.match(done.html, /Add a sign-in method and confirm it/);
    });

    it('a phone number: refused when invalid, confirmed by SMS, returned to the application as phone_number with amr sms', async () => {
      const identity = newIdentity();
      const state = 'state-phone';
      const hub = await get(await requestUrl(identity, state, { factors: ['sms', 'totp'] }));
      assert.match(hub.html, /name="channel" value="sms"/);
      assert.doesNotMatch(hub.html, /action="\/handoff\/enroll\/push"/, 'only the offered factors');

      const invalid = await post('/handoff/enroll/phone', { session: session(hub), phone_number: '+1 555', channel: 'sms' });
      assert.match(fieldErrorOf(invalid.html, 'phone-number'), /^That phone number is not valid/);
      assert.match(invalid.html, /id="phone-number"[^>]*autofocus/);
      const notOffered = await post('/handoff/enroll/phone', { session: session(invalid), phone_number: '+14155550123', channel: 'call' });
      assert.equal(notOffered.status, 400);

      const phone = `+1415555${String(2000 + counter).slice(-4)}`;
      const form = await post('/handoff/enroll/phone', { session: session(invalid), phone_number: `${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5)}`, channel: 'sms' });
      assert.equal(form.status, 200);
      assert.match(form.html, /Confirm your phone number/);
      assert.match(form.html, new RegExp(`•+${phone.slice(-2)}`));
      const code = await v.lastCode(phone);
      const wrong = await post('/handoff/enroll/phone/check', { session: session(form), code: code === '000000' ? '111111' : '000000' });
      assert.match(fieldErrorOf(wrong.html, 'phone-code'), /^That code is not right/);
      const right = await post('/handoff/enroll/phone/check', { session: session(wrong), code });
      assert.match(right.html, /role="status" aria-live="polite">Phone number •+\d{2} confirmed\./);
      assert.match(right.html, new RegExp(`Confirmed: <span class="phone">\\${phone}</span>`));

      const done = await post('/handoff/enroll/done', { session: session(right) });
      assert.equal(done.status, 303);
      const result = await verifyResult(done.headers.get('location') as string, state, identity);
      assert.equal(result.phoneNumber, phone);
      assert.deepEqual(result.amr, ['sms']);
    });

    it('no factor but a trusted phone: the phone code first, then the hub; the result carries that amr', async () => {
      const identity = newIdentity();
      const phone = `+1415555${String(3000 + counter).slice(-4)}`;
      const state = 'state-phone-first';
      const chooser = await get(await requestUrl(identity, state, { factors: ['sms', 'totp'], phone }));
      assert.match(chooser.html, /role="status">To set up your sign-in methods, first confirm your phone number./);
      assert.doesNotMatch(chooser.html, /Your sign-in methods/);
      const form = await post('/handoff/phone', { session: session(chooser), channel: 'sms' });
      const hub = await post('/handoff/phone/check', { session: session(form), code: await v.lastCode(phone) });
      assert.equal(hub.status, 200);
      assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/);
      assert.match(hub.html, /Confirmed\. You can now add sign-in methods\./);
      const done = await post('/handoff/enroll/done', { session: session(hub) });
      assert.equal(done.status, 303);
      const result = await verifyResult(done.headers.get('location') as string, state, identity);
      assert.deepEqual(result.amr, ['sms']);
      assert.equal(result.phoneNumber, undefined, 'the application already knows this number');
    });

    it('a push device: the token is shown, the hub waits until a device enrolled and verified with it', async () => {
      const identity = newIdentity();
      const state = 'state-push-enroll';
      const hub = await get(await requestUrl(identity, state, { factors: ['push'] }));
      const tokenPage = await post('/handoff/enroll/push', { session: session(hub) });
      assert.equal(tokenPage.status, 200);
      const token = /<textarea id="enroll-token"[^>]*>([^<]+)<\/textarea>/.exec(tokenPage.html)?.[1] as string;
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.match(tokenPage.html, /aria-label="QR code that links your authenticator"/);

      assert.match(tokenPage.html, /<script src="\/handoff\/assets\/handoff-enroll-push\.js" defer><\/script>/);
      const csp = cspDirectives(tokenPage.headers.get('content-security-policy'));
      assert.deepEqual([csp.get('script-src'), csp.get('connect-src')], [["'self'"], ["'self'"]]);
      const status = async (sealed: string) => {
        const response = await post('/handoff/enroll/push/status', { session: sealed });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        return (JSON.parse(response.html) as { state: string }).state;
      };
      assert.equal(await status(session(tokenPage)), 'waiting');
      const script = await fetch(`${v.url}/handoff/assets/handoff-enroll-push.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);

      const early = await post('/handoff/enroll/push/check', { session: session(tokenPage) });
      assert.match(early.html, /role="alert">No device has used the token yet/);
      assert.ok(early.html.includes(`>${token}</textarea>`), 'the same token is shown again');

      const { privateKey, publicKey } = await generateDeviceKey();
      const created = await deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey }, token);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const unconfirmed = await post('/handoff/enroll/push/check', { session: session(early) });
      assert.match(unconfirmed.html, /enrolled but has not confirmed yet/);
      assert.equal(await status(session(unconfirmed)), 'unconfirmed');
      const factorSid = created.body.sid as string;
      const { signDeviceToken } = await import('../../src/factors/push/device-signing.ts');
      const bearer = await signDeviceToken(privateKey, factorSid, 120, Math.floor(clock().now() / 1000));
      const verified = await deviceCall(v, 'POST', `/device/v1/Factors/${factorSid}`, { AuthPayload: await signFactorVerification(privateKey, factorSid, Math.floor(clock().now() / 1000)) }, bearer);
      assert.equal(verified.body.status, 'verified');

      assert.equal(await status(session(unconfirmed)), 'added');
      const added = await post('/handoff/enroll/push/check', { session: session(unconfirmed) });
      assert.match(added.html, /role="status" aria-live="polite">Push device added\./);
      const done = await post('/handoff/enroll/done', { session: session(added) });
      assert.equal(done.status, 303);
      assert.deepEqual((await verifyResult(done.headers.get('location') as string, state, identity)).amr, ['swk']);
    });

    it('fallback: the push waiting page offers "Try another way", back to the chooser with every factor', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      await enrollTotpByApi(identity);
      const chooser = await get(await requestUrl(identity, 'state-fallback', { factors: ['push', 'totp'], purpose: 'authenticate' }));
      const waiting = await post('/handoff/push', { session: session(chooser), factor: device.factorSid });
      assert.match(waiting.html, /Approve on your phone/);
      assert.match(waiting.html, /<form method="post" action="\/handoff\/choose" class="another-way">[\s\S]*?Try another way<\/button>/);
      const back = await post('/handoff/choose', { session: session(waiting) });
      assert.equal(back.status, 200);
      assert.match(back.html, /Authenticator app/);
      assert.match(back.html, /Send a request to my phone/);
    });

    it('SDK: phone_number comes back as phoneNumber; a malformed one is refused', async () => {
      const request = await verifyHandoffRequest(v.ctx, await requestToken(v, { sid: clientSid, serviceSid, secret }, { return_to: RETURN, state: 'st-sdk' }));
      const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
      const verify = (token: string) => verifyHandoffResult({ token, verityUrl: v.url, clientSid, expectedState: 'st-sdk', jwks, now: clock().now() });
      const withPhone = await verify(await issueHandoffResult(v.ctx, request, { amr: ['sms'], authTime: clock().now(), phoneNumber: '+14155550100' }));
      assert.equal(withPhone.phoneNumber, '+14155550100');
      const without = await verify(await issueHandoffResult(v.ctx, request, { amr: ['otp'], authTime: clock().now() }));
      assert.equal('phoneNumber' in without, false);
      await assert.rejects(verify(await issueHandoffResult(v.ctx, request, { amr: ['sms'], authTime: clock().now(), phoneNumber: '4155550100' })), (e: unknown) => e instanceof HandoffResultError && e.code === 'ERR_HANDOFF_MALFORMED');
    });
  });
}
