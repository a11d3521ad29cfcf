import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice } from '../support/push-device.ts';
import { DATABASES, type TestVerity } from '../support/start-verity.ts';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { getPage, hiddenField, HostedBrowser, linksOf, postForm, sessionReturnOf, startHandoffVerity } from './handoff-support.ts';
import { cspDirectives } from '../support/csp.ts';

const RETURN = 'http://localhost:9999/back';
const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

/** The hosted pages driven as a browser without script would: GETs, form posts, manual redirects. */
for (const database of DATABASES) {
  describe(`hosted hand-off pages (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let clientSid: string;
    let secret: string;
    let counter = 0;
    before(async () => {
      ({ v, serviceSid, clientSid, secret } = await startHandoffVerity(RETURN, { database, clientName: 'Shop & "Co"' }));
      // Markup is refused in new names now; a client registered before that keeps its name, and the
      // pages must still escape it.
      await v.ctx.db.kysely.updateTable('handoff_clients').set({ friendly_name: 'Shop <&> "Co"' }).where('sid', '=', clientSid).execute();
    });
    after(async () => v.close());

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const codeOf = (base32: string, offsetSteps = 0) => totp(base32Decode(base32), clock().now() + offsetSteps * 30_000, OPTIONS);
    const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;

    async function enrollTotp(identity: string, friendlyName = 'Pixel 9'): Promise<{ sid: string; secret: string }> {
      const created = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: friendlyName, FactorType: 'totp' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const base32 = created.body.binding.secret as string;
      const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${created.body.sid as string}`, { AuthPayload: codeOf(base32) });
      assert.equal(verified.body.status, 'verified');
      // The verifying code's time step is spent: move on to a fresh one.
      clock().advance(30_000);
      return { sid: created.body.sid as string, secret: base32 };
    }

    async function recoveryCodes(identity: string): Promise<string[]> {
      const issued = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes`);
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      return issued.body.codes as string[];
    }

    const requestUrl = (subject: string, state: string, factors: HandoffFactorType[] = ['totp', 'recovery_code', 'push'], phone?: string) =>
      buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state, returnTo: RETURN, factors, now: clock().now(), ...(phone !== undefined ? { phone } : {}) });

    const get = getPage;

    const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);

    const hidden = hiddenField;

    /** The signed error result of a way back to the application: its `error`, checked like a result (typ, iss, aud, nonce). */
    async function verifyErrorResult(location: string, state: string): Promise<{ error: string; description: string; subject: string | undefined }> {
      const url = new URL(location);
      assert.equal(`${url.origin}${url.pathname}`, RETURN);
      assert.equal(url.searchParams.get('state'), state);
      const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
      const { payload } = await jwtVerify(url.searchParams.get('error_result') as string, createLocalJWKSet(jwks), {
        typ: 'verity-handoff-error+jwt',
        issuer: v.url,
        audience: clientSid,
        algorithms: ['ES256'],
        currentDate: new Date(clock().now()),
      });
      assert.equal(payload.nonce, state);
      assert.equal(payload.error, url.searchParams.get('error'));
      assert.equal(url.searchParams.get('result'), null, 'an error is never a result');
      return { error: payload.error as string, description: payload.error_description as string, subject: payload.sub };
    }

    async function verifyResult(location: string, state: string, subject: string) {
      const url = new URL(location);
      assert.equal(`${url.origin}${url.pathname}`, RETURN);
      assert.equal(url.searchParams.get('state'), state);
      const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
      return verifyHandoffResult({ token: url.searchParams.get('result') as string, verityUrl: v.url, clientSid, expectedState: state, expectedSubject: subject, jwks, now: clock().now() });
    }

    it('TOTP: the chooser lists the allowed factors, a wrong code says so, the right one returns a result the SDK accepts', async () => {
      const identity = newIdentity();
      const factor = await enrollTotp(identity);
      await recoveryCodes(identity);
      const state = 'state-totp-1';
      const page = await get(await requestUrl(identity, state));
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.deepEqual(cspDirectives(csp).get('default-src'), ["'none'"]);
      assert.deepEqual(cspDirectives(csp).get('form-action'), ["'self'", 'http://localhost:9999']);
      assert.doesNotMatch(csp, /script-src|unsafe-inline/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      assert.doesNotMatch(page.html, /<script/i);
      assert.match(page.html, /Authenticator app/);
      assert.match(page.html, /Recovery code/);
      // Everything from the application or the user is escaped.
      assert.match(page.html, /Shop &lt;&amp;&gt; &quot;Co&quot;/);
      assert.doesNotMatch(page.html, /Shop <&>/);
      assert.equal(hidden(page.html, 'factor'), factor.sid);
      const session = hidden(page.html, 'session');

      const wrong = await post('/handoff/totp', { session, factor: factor.sid, code: codeOf(factor.secret, 20) });
      assert.equal(wrong.status, 200);
      assert.match(wrong.url, /\/handoff\/page\/[\w-]{22}$/, 'the POST answered 303 to the session\'s page');
      // The error is at the field: above its input, which it describes and marks invalid.
      assert.match(wrong.html, /<p class="field-error" id="totp-0-error" role="alert">That code is not right \(or was already used\)\. 4 attempts left\.<\/p>\n<input[^>]*aria-describedby="totp-0-hint totp-0-error" aria-invalid="true"/);
      assert.doesNotMatch(wrong.html, /id="form-error"/);

      const right = await post('/handoff/totp', { session: hidden(wrong.html, 'session'), factor: factor.sid, code: codeOf(factor.secret) });
      assert.equal(right.status, 303);
      const result = await verifyResult(right.headers.get('location') as string, state, identity);
      assert.deepEqual(result.amr, ['otp']);
      assert.equal(result.subject, identity);
      assert.equal(result.authTime, Math.floor(clock().now() / 1000) * 1000);

      // The session yields one result: the form posted again acts no more, and its page says it is done.
      const again = await post('/handoff/totp', { session, factor: factor.sid, code: codeOf(factor.secret, 1) });
      assert.equal(again.status, 200);
      assert.match(again.html, /You already confirmed this sign-in to Shop &lt;&amp;&gt; &quot;Co&quot;\./);
      assert.doesNotMatch(again.html, /already used|canceled/i);
      const onward = /<a class="button" href="([^"]+)">Continue to Shop/.exec(again.html)?.[1];
      assert.ok(onward, 'the done page offers the way on to the application');
      const back = await getPage(new URL(onward, v.url).toString());
      assert.equal(back.status, 303);
      const error = await verifyErrorResult(back.headers.get('location') as string, state);
      assert.equal(error.error, 'already_completed');
      assert.equal(error.subject, identity);
    });

    it('replaying the request URL: the same browser resumes its session; another gets an error page whose only link is the verified return URL with a signed error result', async () => {
      const identity = newIdentity();
      await enrollTotp(identity);
      const url = await requestUrl(identity, 'state-replay');
      const first = await get(url);
      assert.equal(first.status, 200);
      // The link opened again in the same browser (its jti is spent): the session it opened, not an error.
      const reopened = await get(url);
      assert.equal(reopened.status, 200);
      assert.equal(reopened.url, first.url);
      assert.doesNotMatch(reopened.html, /already used/);

      const other = new HostedBrowser();
      const replay = await other.get(url);
      assert.equal(replay.status, 403);
      assert.match(replay.html, /already used/);
      // Developer details go to the application (signed) and the log, not to the user.
      assert.doesNotMatch(replay.html, /Hand-off request replayed|Details/);
      const back = /<a class="button" href="([^"]+)">Return to Shop/.exec(replay.html)?.[1];
      assert.ok(back, 'the refusal offers the way back to the application');
      const error = await verifyErrorResult(back.replace(/&amp;/g, '&'), 'state-replay');
      assert.equal(error.error, 'invalid_request');
      assert.match(error.description, /Hand-off request replayed/);
      assert.match(v.logs(), /hand-off request refused: Hand-off request replayed/);
      assert.deepEqual(cspDirectives(replay.headers.get('content-security-policy')).get('form-action'), ["'none'"]);

      // A forged request: the reason, and no link to the address it names.
      const token = new URL(url).searchParams.get('request') as string;
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, jti: 'forged-jti-0001', return_to: 'https://evil.example/steal' })).toString('base64url')}.${s}`;
      const refused = await get(`${v.url}/handoff?request=${forged}`);
      assert.equal(refused.status, 403);
      assert.match(refused.html, /not genuine/);
      assert.doesNotMatch(refused.html, /evil\.example|localhost:9999/);

      const missing = await get(`${v.url}/handoff`);
      assert.equal(missing.status, 400);
      assert.match(missing.html, /has no hand-off request/);

      // An expired link: the way back says `expired`.
      const late = await requestUrl(identity, 'state-late');
      clock().advance(121_000);
      const expired = await other.get(late);
      assert.equal(expired.status, 403);
      assert.match(expired.html, /has expired/);
      const lateBack = /<a class="button" href="([^"]+)">Return to Shop/.exec(expired.html)?.[1] as string;
      assert.equal((await verifyErrorResult(lateBack.replace(/&amp;/g, '&'), 'state-late')).error, 'expired');
    });

    it('a recovery code returns a result with amr otp, once', async () => {
      const identity = newIdentity();
      await enrollTotp(identity);
      const codes = await recoveryCodes(identity);
      const page = await get(await requestUrl(identity, 'state-recovery', ['recovery_code']));
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.html, /Authenticator app/);
      assert.match(page.html, /10 left/);
      const session = hidden(page.html, 'session');
      const wrong = await post('/handoff/recovery-code', { session, code: 'AAAA-BBBB-CCCC' });
      assert.equal(wrong.status, 200);
      assert.match(wrong.html, /<p class="field-error" id="recovery-code-error" role="alert">That recovery code is not right, or was already used\.<\/p>/);
      assert.match(wrong.html, /id="recovery-code"[^>]*aria-describedby="recovery-hint recovery-code-error" aria-invalid="true" autofocus/);
      // The form of the page before is stale: it acts no more (the code is not even looked at).
      const stale = await post('/handoff/recovery-code', { session, code: codes[0] as string });
      assert.equal(stale.status, 200);
      assert.equal(stale.html, wrong.html);
      const right = await post('/handoff/recovery-code', { session: hidden(wrong.html, 'session'), code: (codes[0] as string).toLowerCase() });
      assert.equal(right.status, 303);
      const result = await verifyResult(right.headers.get('location') as string, 'state-recovery', identity);
      assert.deepEqual(result.amr, ['otp']);
      const again = await post('/handoff/recovery-code', { session: hidden(wrong.html, 'session'), code: codes[1] as string });
      assert.equal(again.status, 200);
      assert.match(again.html, /You already confirmed this sign-in/);
    });

    it('refuses a malformed or unknown form token, a session of another browser, and an expired session offers the way back', async () => {
      const identity = newIdentity();
      const factor = await enrollTotp(identity);
      const page = await get(await requestUrl(identity, 'state-tamper'));
      const session = hidden(page.html, 'session');
      const [id = '', nonce = ''] = session.split('.');
      for (const bad of ['not-a-session', '', `${id}.${nonce}.x`, `${'B'.repeat(22)}.${nonce}`]) {
        const refused = await post('/handoff/totp', { session: bad, factor: factor.sid, code: codeOf(factor.secret) });
        assert.equal(refused.status, bad.startsWith('BBB') ? 404 : 400, bad);
        assert.match(refused.html, bad.startsWith('BBB') ? /no longer available/ : /This sign-in page is invalid/);
      }
      // The session's id and nonce (say, from a log or a shoulder) are nothing without this browser's cookie.
      const thief = new HostedBrowser();
      const stolen = await thief.post(v.url, '/handoff/totp', { session, factor: factor.sid, code: codeOf(factor.secret) });
      assert.equal(stolen.status, 403);
      assert.match(stolen.html, /belongs to another browser/);
      assert.equal((await thief.get(page.url)).status, 403);
      assert.doesNotMatch((await thief.get(page.url)).html, /localhost:9999|state-tamper/);
      // Another factor sid than the session's challenges: refused, with the way back to the step and to the application.
      const foreign = await post('/handoff/totp', { session, factor: 'YF00000000000000000000000000000000', code: codeOf(factor.secret) });
      assert.equal(foreign.status, 400);
      assert.match(foreign.html, /not part of this sign-in/);
      assert.match(foreign.html, new RegExp(`href="/handoff/page/${id}">Back to the sign-in page`));
      assert.match(foreign.html, new RegExp(`href="/handoff/page/${id}/return">Return to Shop`));
      clock().advance(10 * 60_000 + 1);
      const expired = await post('/handoff/totp', { session, factor: factor.sid, code: codeOf(factor.secret) });
      assert.equal(expired.status, 403);
      assert.match(expired.html, /This sign-in page has expired/);
      const back = await getPage(`${v.url}/handoff/page/${id}/return`);
      assert.equal((await verifyErrorResult(back.headers.get('location') as string, 'state-tamper')).error, 'expired');
    });

    it('five wrong codes use up the page; a subject without factors gets a way back', async () => {
      const identity = newIdentity();
      const factor = await enrollTotp(identity);
      const page = await get(await requestUrl(identity, 'state-attempts', ['totp']));
      let session = hidden(page.html, 'session');
      for (let i = 4; i >= 0; i--) {
        const wrong = await post('/handoff/totp', { session, factor: factor.sid, code: codeOf(factor.secret, 40 + i) });
        assert.match(wrong.html, i === 0 ? /No attempts left/ : new RegExp(`${i} attempts? left`));
        session = hidden(wrong.html, 'session');
      }
      const sixth = await post('/handoff/totp', { session, factor: factor.sid, code: codeOf(factor.secret) });
      assert.equal(sixth.status, 200);
      assert.match(sixth.html, /no attempts left/);

      const none = await get(await requestUrl(newIdentity(), 'state-none', ['totp']));
      assert.equal(none.status, 200);
      assert.match(none.html, /none of the methods it accepts is set up/);
      assert.doesNotMatch(none.html, /name="session"/);
      // No dead end: the way back tells the application why (access_denied), signed.
      const back = /<a class="button" href="([^"]+)">Back to Shop/.exec(none.html)?.[1] as string;
      const left = await getPage(new URL(back, v.url).toString());
      assert.equal((await verifyErrorResult(left.headers.get('location') as string, 'state-none')).error, 'access_denied');
    });

    it('push: the waiting page shows the number to match; an approval on the device returns a result with amr swk', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const state = 'state-push-1';
      const page = await get(await requestUrl(identity, state, ['push', 'totp']));
      assert.equal(page.status, 200);
      assert.match(page.html, /Approve on your phone/);
      assert.doesNotMatch(page.html, /Not available here yet/);
      assert.doesNotMatch(page.html, /<script/i);
      assert.equal(hidden(page.html, 'factor'), device.factorSid);

      const waiting = await post('/handoff/push', { session: hidden(page.html, 'session'), factor: device.factorSid });
      assert.equal(waiting.status, 200);
      const csp = waiting.headers.get('content-security-policy') ?? '';
      assert.deepEqual(cspDirectives(csp).get('script-src'), ["'self'"]);
      assert.deepEqual(cspDirectives(csp).get('connect-src'), ["'self'"]);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.match(waiting.html, /<script src="\/handoff\/assets\/handoff-push\.js" defer><\/script>/);
      assert.deepEqual(linksOf(waiting.html), [sessionReturnOf(waiting.html)], 'the only link is the session’s way back (a signed error result)');
      const number = /id="number-match"[^>]*>(\d{2})</.exec(waiting.html)?.[1];
      assert.ok(number, 'the number to match is shown');
      const events = /data-events="([^"]+)"/.exec(waiting.html)?.[1] as string;
      assert.match(events, /^\/events\/v1\/Challenges\/YC[0-9a-f]{32}\/[\w-]+$/);
      const session = hidden(waiting.html, 'session');

      const [challenge] = await device.pending();
      assert.ok(challenge, 'expected challenge');
      assert.match(JSON.stringify(challenge), /Sign in to Shop <&> \\"Co\\"/);
      // Not approved yet: continuing shows the waiting page again, and no result.
      const early = await post('/handoff/push/continue', { session });
      assert.equal(early.status, 200);
      assert.match(early.html, /Not approved yet/);
      assert.doesNotMatch(early.headers.get('location') ?? '', /result=/);
      // The waiting page's reload sends no second push.
      assert.equal((await get(early.url)).html, early.html);
      assert.equal((await device.pending()).length, 1);

      const answered = await device.answer(challenge, 'approved', number);
      assert.equal(answered.status, 200, JSON.stringify(answered.body));
      // The progress stream the script follows reports the approval (same origin, no credentials).
      const stream = await fetch(`${v.url}${events}`);
      assert.match(await stream.text(), /event: approved/);

      const done = await post('/handoff/push/continue', { session: hidden(early.html, 'session') });
      assert.equal(done.status, 303);
      const result = await verifyResult(done.headers.get('location') as string, state, identity);
      assert.deepEqual(result.amr, ['swk']);
      const again = await post('/handoff/push/continue', { session: hidden(early.html, 'session') });
      assert.equal(again.status, 200);
      assert.match(again.html, /You already confirmed this sign-in/);

      const script = await fetch(`${v.url}/handoff/assets/handoff-push.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.match(await script.text(), /EventSource/);
    });

    it('push: a denial shows the reason and the chooser again, with no result', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const page = await get(await requestUrl(identity, 'state-push-denied', ['push']));
      const waiting = await post('/handoff/push', { session: hidden(page.html, 'session'), factor: device.factorSid });
      const session = hidden(waiting.html, 'session');
      const [challenge] = await device.pending();
      assert.ok(challenge, 'expected challenge');
      assert.equal((await device.answer(challenge, 'denied')).status, 200);
      const denied = await post('/handoff/push/continue', { session });
      assert.equal(denied.status, 200);
      assert.equal(denied.headers.get('location'), null);
      assert.match(denied.html, /role="alert">The sign-in was denied on your phone\./);
      assert.match(denied.html, /Send a request to my phone/);
      assert.doesNotMatch(denied.headers.get('content-security-policy') ?? '', /script-src/);
      // A push factor of someone else is refused.
      const other = await enrollDevice(v, serviceSid, newIdentity());
      const foreign = await post('/handoff/push', { session: hidden(denied.html, 'session'), factor: other.factorSid });
      assert.equal(foreign.status, 400);
    });

    it('SMS: a code to the number the application passed, masked; a wrong code says so, the right one returns amr sms', async () => {
      const identity = newIdentity();
      const phone = `+1415555${String(1000 + counter).slice(-4)}`;
      const state = 'state-sms-1';
      const page = await get(await requestUrl(identity, state, ['sms', 'totp'], phone));
      assert.equal(page.status, 200);
      assert.match(page.html, /Text me a code/);
      assert.doesNotMatch(page.html, /Call me with a code/);
      assert.doesNotMatch(page.html, new RegExp(phone.slice(1, -2)));
      assert.match(page.html, new RegExp(`ending in ${phone.slice(-2)}`));

      const form = await post('/handoff/phone', { session: hidden(page.html, 'session'), channel: 'sms' });
      assert.equal(form.status, 200);
      assert.match(form.html, /Enter your code/);
      assert.deepEqual(linksOf(form.html), [sessionReturnOf(form.html)], 'the only link is the session’s way back (a signed error result)');
      assert.match(form.html, new RegExp(`•{${phone.length - 2}}${phone.slice(-2)}`));
      assert.doesNotMatch(form.html, new RegExp(phone.slice(1, -2)));
      // The only script is the resend countdown, a file served by Verity: no inline script.
      const formCsp = form.headers.get('content-security-policy') ?? '';
      assert.deepEqual(cspDirectives(formCsp).get('script-src'), ["'self'"]);
      assert.doesNotMatch(formCsp, /unsafe-inline/);
      assert.deepEqual([...form.html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag), ['<script src="/handoff/assets/handoff-countdown.js" defer>']);
      const code = await v.lastCode(phone);
      // Reloading the code page, and posting "Text me a code" again from the chooser's (now stale) form, send nothing.
      assert.equal((await get(form.url)).html, form.html);
      const resent = await post('/handoff/phone', { session: hidden(page.html, 'session'), channel: 'sms' });
      assert.equal(resent.html, form.html);
      assert.equal((await v.inbox(phone)).length, 1);
      // "Resend" posted five times at once from the same page: one form nonce, one claim, one text
      // (after the 30 s a new code waits since the last one, or none of them would send).
      clock().advance(31_000);
      const burst = await Promise.all(Array.from({ length: 5 }, () => post('/handoff/phone', { session: hidden(form.html, 'session'), channel: 'sms' })));
      assert.ok(burst.every((b) => b.status === 200 && b.url === form.url), 'each lands on the session\'s page');
      assert.equal((await v.inbox(phone)).length, 2, 'exactly one of the five acted');
      const current = await get(form.url);

      const wrong = await post('/handoff/phone/check', { session: hidden(current.html, 'session'), code: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 200);
      assert.match(wrong.html, /<p class="field-error" id="phone-code-error" role="alert">That code is not right\./);
      // The field names its error (beside the attempts left) and is marked invalid.
      assert.match(wrong.html, /id="phone-code"[^>]* aria-describedby="(?:[\w-]+ )*phone-code-error(?: [\w-]+)*" aria-invalid="true"/);

      const right = await post('/handoff/phone/check', { session: hidden(wrong.html, 'session'), code });
      assert.equal(right.status, 303);
      const result = await verifyResult(right.headers.get('location') as string, state, identity);
      assert.deepEqual(result.amr, ['sms']);

      // Without `phone` in the request, or without sms allowed, no code is offered.
      const noPhone = await get(await requestUrl(newIdentity(), 'state-sms-2', ['sms']));
      assert.doesNotMatch(noPhone.html, /Text me a code/);
      const notAllowed = await get(await requestUrl(newIdentity(), 'state-sms-3', ['recovery_code'], phone));
      assert.doesNotMatch(notAllowed.html, /Text me a code/);
      await assert.rejects(requestUrl(identity, 'state-sms-4', ['sms'], '0415555000'), RangeError);
    });

    it('serves its stylesheet', async () => {
      const css = await fetch(`${v.url}/handoff/assets/handoff.css`);
      assert.equal(css.status, 200);
      assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
      assert.match(await css.text(), /prefers-color-scheme/);
    });
  });
}
