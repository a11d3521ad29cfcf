import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl, verifyHandoffResult } from '../../packages/sdk/src/handoff.ts';
import { startHostedHandoff } from '../../src/hosted-factors/chooser.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, linksOf, plantSession, postForm, sessionOf, sessionReturnOf, startPasskeyHandoff, unescapeHtml, type HostedPage } from './handoff-support.ts';
import { cspDirectives } from '../support/csp.ts';

const RETURN = 'http://localhost:9999/back';

/**
 * The hosted passkey pages driven as their script would drive them, with a software authenticator
 * in place of the browser: the chooser's card, sign-in, enrollment, and every refusal.
 */
describe('hosted hand-off passkeys', () => {
  let v: TestVerity;
  let origin: string;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  before(async () => {
    ({ v, origin, serviceSid, clientSid, secret } = await startPasskeyHandoff(RETURN, { 'Passkeys.UserVerification': 'required' }));
  });
  after(async () => v.close());

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;
  const entity = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;

  const requestToken = async (identity: string, state: string, factors: Array<'passkeys' | 'totp' | 'recovery_code'> = ['passkeys']) =>
    new URL(await buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, subject: identity, state, returnTo: RETURN, factors, now: clock().now() })).searchParams.get('request') as string;

  const get = (url: string): Promise<HostedPage> => getPage(url.replace(origin, v.url));

  const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);

  const hidden = hiddenField;
  const optionsOf = (html: string): any => {
    const match = /data-options="([^"]*)"/.exec(html);
    assert.ok(match, 'the WebAuthn options on the page');
    return JSON.parse(unescapeHtml(match[1] as string));
  };
  const alertOf = (html: string): string => /<div class="alert" id="form-error" role="alert">([^<]*)<\/div>/.exec(html)?.[1] ?? '';

  /** A session with the enrollment grant, as the enrollment hub would hand over (a user with no factor yet). */
  async function enrollmentSession(identity: string, grant = true): Promise<string> {
    const request = await verifyHandoffRequest(v.ctx, await requestToken(identity, 'enroll-state'));
    const { session } = await startHostedHandoff(v.ctx, request);
    return plantSession(v, grant ? { ...session, enrollment: { amr: [] } } : session);
  }

  /** Enrolls a passkey through the hosted pages; returns the authenticator that holds it. */
  async function enrollOnPages(identity: string, authenticator = new SoftAuthenticator(origin)): Promise<SoftAuthenticator> {
    const page = await post('/handoff/enroll/passkey', { session: await enrollmentSession(identity) });
    assert.equal(page.status, 200, page.html);
    const added = await post('/handoff/enroll/passkey/verify', { session: hidden(page.html, 'session'), response: JSON.stringify(authenticator.register(optionsOf(page.html))) });
    assert.equal(added.status, 200);
    assert.match(added.html, /Your sign-in methods[\s\S]*Passkey added/, added.html);
    return authenticator;
  }

  /** The chooser of a fresh sign-in hand-off, then "Use a passkey": the passkey page. */
  async function passkeyPage(identity: string, state: string): Promise<HostedPage> {
    const chooser = await get(`${origin}/handoff?request=${await requestToken(identity, state)}`);
    assert.equal(chooser.status, 200);
    assert.match(chooser.html, /Use a passkey/);
    const page = await post('/handoff/passkey', { session: hidden(chooser.html, 'session'), factor: hidden(chooser.html, 'factor') });
    assert.equal(page.status, 200, page.html);
    return page;
  }

  const answer = (page: HostedPage, form: Record<string, string>) => post('/handoff/passkey/verify', { session: hidden(page.html, 'session'), factor: hidden(page.html, 'factor'), ...form });

  async function verifyResult(location: string, state: string, subject: string) {
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, RETURN);
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    return verifyHandoffResult({ token: url.searchParams.get('result') as string, verityUrl: origin, clientSid, expectedState: state, expectedSubject: subject, jwks, now: clock().now() });
  }

  it('enrollment: refused without the grant; with it, options for a discoverable passkey (attestation none), then the factor is verified', async () => {
    const identity = newIdentity();
    const refused = await post('/handoff/enroll/passkey', { session: await enrollmentSession(identity, false) });
    assert.equal(refused.status, 403);
    assert.match(refused.html, /confirm it is you first/);

    const page = await post('/handoff/enroll/passkey', { session: await enrollmentSession(identity) });
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.deepEqual(cspDirectives(csp).get('script-src'), ["'self'"]);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(page.html, /<script src="\/handoff\/assets\/vendor\/simplewebauthn-browser\.js" defer><\/script>\s*<script src="\/handoff\/assets\/handoff-passkey\.js" defer><\/script>/);
    assert.match(page.html, /<noscript>.*Passkeys need JavaScript/s);
    const options = optionsOf(page.html);
    assert.equal(options.rp.id, 'localhost');
    assert.equal(options.attestation, 'none');
    assert.equal(options.authenticatorSelection.residentKey, 'preferred');
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    // No display name in the request: the passkey's own name, never `sub` (issue 11, journey 4).
    assert.equal(options.user.name, 'Passkey for Acme Shop');
    assert.notEqual(options.user.name, identity);

    const authenticator = new SoftAuthenticator(origin);
    // The browser's refusal comes back as its error name: the page again, with its message and new options.
    const cancelled = await post('/handoff/enroll/passkey/verify', { session: hidden(page.html, 'session'), error: 'NotAllowedError' });
    assert.equal(cancelled.status, 200);
    assert.match(alertOf(cancelled.html), /prompt was closed or timed out/);
    assert.notEqual(optionsOf(cancelled.html).challenge, options.challenge);
    // A registration for another site is refused with its own message.
    const wrongSite = await post('/handoff/enroll/passkey/verify', { session: hidden(cancelled.html, 'session'), response: JSON.stringify(authenticator.register(optionsOf(cancelled.html), { origin: 'https://evil.example' })) });
    assert.match(alertOf(wrongSite.html), /could not be verified for this page/);

    const next = optionsOf(wrongSite.html);
    assert.equal(next.excludeCredentials.length, 0, 'the refused credential was not stored');
    const added = await post('/handoff/enroll/passkey/verify', { session: hidden(wrongSite.html, 'session'), response: JSON.stringify(authenticator.register(next)) });
    assert.equal(added.status, 200);
    // Back on the enrollment hub, which lists the new passkey.
    assert.match(added.html, /<h1>Your sign-in methods<\/h1>/);
    assert.match(added.html, /role="status"[^>]*>Passkey added: next time Acme Shop asks you/);
    assert.match(added.html, /Passkey for Acme Shop<\/span> <span class="hint">Passkey · added/);
    const factors = await v.api('GET', `${entity(identity)}/Factors`);
    const passkeys = (factors.body.factors as any[]).filter((f) => f.factor_type === 'passkeys');
    // The abandoned attempts were removed: one passkey factor, verified.
    assert.deepEqual(passkeys.map((f) => f.status), ['verified']);
  });

  it('enrollment: a device that already holds the passkey gets its own message', async () => {
    const identity = newIdentity();
    await enrollOnPages(identity);
    const page = await post('/handoff/enroll/passkey', { session: await enrollmentSession(identity) });
    assert.equal(optionsOf(page.html).excludeCredentials.length, 1);
    const again = await post('/handoff/enroll/passkey/verify', { session: hidden(page.html, 'session'), error: 'InvalidStateError' });
    assert.match(alertOf(again.html), /already holds a passkey for your account/);
  });

  it('sign-in: the chooser offers the passkey, the assertion returns a result the SDK accepts (amr swk), once', async () => {
    const identity = newIdentity();
    const authenticator = await enrollOnPages(identity);
    // Not offered when the request does not allow passkeys.
    const totpOnly = await get(`${origin}/handoff?request=${await requestToken(identity, 's', ['totp'])}`);
    assert.doesNotMatch(totpOnly.html, /Use a passkey/);

    const page = await passkeyPage(identity, 'state-passkey-1');
    assert.match(page.html, /Use your passkey/);
    assert.match(page.html, /action="\/handoff\/choose"/, 'Try another way');
    assert.deepEqual(linksOf(page.html), [sessionReturnOf(page.html)], 'the only link is the session’s way back (a signed error result)');
    const options = optionsOf(page.html);
    assert.equal(options.rpId, 'localhost');
    assert.equal(options.userVerification, 'required');
    assert.equal(options.allowCredentials.length, 1);
    const form = { response: JSON.stringify(authenticator.authenticate(options)) };
    const done = await answer(page, form);
    assert.equal(done.status, 303, done.html);
    const result = await verifyResult(done.headers.get('location') as string, 'state-passkey-1', identity);
    assert.deepEqual(result.amr, ['swk']);
    // The same post again: the session is spent, and its page says so (no second result).
    const replay = await answer(page, form);
    assert.equal(replay.status, 200);
    assert.match(replay.html, /You already confirmed this sign-in/);
  });

  it('sign-in refusals: cancelled prompt, unknown credential, bad signature, expired options, counter regression — each with its message', async () => {
    const identity = newIdentity();
    const authenticator = await enrollOnPages(identity);
    const stranger = await enrollOnPages(newIdentity());
    // One sign-in first, so the stored signature counter is above zero (0 means "keeps no counter").
    const first = await passkeyPage(identity, 'state-first');
    assert.equal((await answer(first, { response: JSON.stringify(authenticator.authenticate(optionsOf(first.html))) })).status, 303);
    let page = await passkeyPage(identity, 'state-refusals');

    const cancelled = await answer(page, { error: 'NotAllowedError' });
    assert.equal(cancelled.status, 200);
    assert.match(alertOf(cancelled.html), /prompt was closed or timed out, or this device has no passkey/);
    assert.match(cancelled.html, /Try another way/);
    page = cancelled;

    const foreign = await answer(page, { response: JSON.stringify(stranger.authenticate({ ...optionsOf(page.html), allowCredentials: [] })) });
    assert.match(alertOf(foreign.html), /not registered for your account with Acme Shop/);
    page = foreign;

    const tampered = await answer(page, { response: JSON.stringify(authenticator.authenticate(optionsOf(page.html), { tamperSignature: true })) });
    assert.match(alertOf(tampered.html), /did not verify/);
    page = tampered;

    const garbage = await answer(page, { response: '{"id":1}' });
    assert.match(alertOf(garbage.html), /not a passkey response/);
    page = garbage;

    const late = authenticator.authenticate(optionsOf(page.html));
    clock().advance(5 * 60_000 + 1000);
    const expired = await answer(page, { response: JSON.stringify(late) });
    assert.match(alertOf(expired.html), /expired or was already used/);
    page = expired;

    // A counter that does not move forward (a copied passkey) is refused: its own message.
    const stale = await answer(page, { response: JSON.stringify(authenticator.authenticate(optionsOf(page.html), { counter: 1 })) });
    assert.match(alertOf(stale.html), /signature counter went backwards/);
    page = stale;

    // "Try another way" leads back to the chooser.
    const chooser = await post('/handoff/choose', { session: hidden(page.html, 'session') });
    assert.equal(chooser.status, 200);
    assert.match(chooser.html, /Verify it’s you/);
    assert.match(chooser.html, /Use a passkey/);

    // The passkey page's forms are stale now ("Try another way" was the step after it): they act no more.
    const staleForm = await answer(page, { response: JSON.stringify(authenticator.authenticate(optionsOf(page.html))) });
    assert.equal(staleForm.html, chooser.html);
    // Still usable afterwards with a good assertion, from the chooser.
    page = await post('/handoff/passkey', { session: hidden(chooser.html, 'session'), factor: hidden(chooser.html, 'factor') });
    const done = await answer(page, { response: JSON.stringify(authenticator.authenticate(optionsOf(page.html))) });
    assert.equal(done.status, 303, alertOf(done.html) || done.html);
  });

  it('too many failed assertions lock the account out: back to the chooser with the wait', async () => {
    const identity = newIdentity();
    const authenticator = await enrollOnPages(identity);
    let page = await passkeyPage(identity, 'state-lockout');
    // NIST SP 800-63B-4 §3.2.2: the entity's consecutive failures (10 free) count across challenges.
    for (let i = 0; i < 10; i++) {
      page = await answer(page, { response: JSON.stringify(authenticator.authenticate(optionsOf(page.html), { tamperSignature: true })) });
      assert.match(alertOf(page.html), /did not verify/, `failure ${i + 1}`);
    }
    const locked = await answer(page, { response: JSON.stringify(authenticator.authenticate(optionsOf(page.html))) });
    assert.equal(locked.status, 200);
    assert.match(alertOf(locked.html), /Too many failed passkey attempts for this account\. Try again in 30 seconds\. Use another method\./);
    assert.match(locked.html, /Verify it’s you/);
  });

  it('refuses a factor that is not the user’s passkey, and sessions that allow no passkeys', async () => {
    const identity = newIdentity();
    await enrollOnPages(identity);
    const chooser = await get(`${origin}/handoff?request=${await requestToken(identity, 's', ['passkeys', 'recovery_code'])}`);
    const session = hidden(chooser.html, 'session');
    const wrong = await post('/handoff/passkey', { session, factor: 'YF00000000000000000000000000000000' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.html, /not part of this sign-in/);
    const opened = await sessionOf(v, session);
    const noPasskeys = await plantSession(v, { ...opened, id: 'noPasskeysSession00000', request: { ...opened.request, factors: ['recovery_code'] } });
    const refused = await post('/handoff/passkey', { session: noPasskeys, factor: hidden(chooser.html, 'factor') });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /does not accept passkeys/);
    const notStarted = await post('/handoff/passkey/verify', { session, factor: hidden(chooser.html, 'factor'), response: '{}' });
    assert.equal(notStarted.status, 400);
    assert.match(notStarted.html, /No passkey request was started/);
  });

  it('two passkeys: one button each, and each asks for its own credential only', async () => {
    const identity = newIdentity();
    const laptop = await enrollOnPages(identity);
    const phone = await enrollOnPages(identity);
    const chooser = await get(`${origin}/handoff?request=${await requestToken(identity, 'two')}`);
    const buttons = [...chooser.html.matchAll(/<button type="submit" name="factor" value="(YF[0-9a-f]{32})">Use a passkey: “Passkey for Acme Shop”<\/button>/g)].map((m) => m[1] as string);
    assert.equal(buttons.length, 2, chooser.html);
    const second = await post('/handoff/passkey', { session: hidden(chooser.html, 'session'), factor: buttons[1] as string });
    const options = optionsOf(second.html);
    assert.equal(options.allowCredentials.length, 1);
    // Only one of the two devices holds the credential this page asks for.
    const holders = [laptop, phone].filter((a) => {
      try {
        a.authenticate(options);
        return true;
      } catch {
        return false;
      }
    });
    assert.equal(holders.length, 1);
    const done = await answer(second, { response: JSON.stringify((holders[0] as SoftAuthenticator).authenticate(options)) });
    assert.equal(done.status, 303);
  });

  it('an enrollment hand-off: a user with a passkey proves it first (step-up), then lands on the hub', async () => {
    const identity = newIdentity();
    const authenticator = await enrollOnPages(identity);
    const url = await buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, subject: identity, state: 'step-up', returnTo: RETURN, factors: ['passkeys', 'totp'], purpose: 'enroll', now: clock().now() });
    const chooser = await get(url);
    assert.match(chooser.html, /first confirm it’s you/);
    const page = await post('/handoff/passkey', { session: hidden(chooser.html, 'session'), factor: hidden(chooser.html, 'factor') });
    const hub = await answer(page, { response: JSON.stringify(authenticator.authenticate(optionsOf(page.html))) });
    assert.equal(hub.status, 200);
    assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/);
    assert.deepEqual((await sessionOf(v, hidden(hub.html, 'session'))).enrollment, { amr: ['swk'] });
  });

  it('enrollment for a service whose relying party does not fit these pages: back to the hub with the reason', async () => {
    const other = await v.api('POST', '/v2/Services', { FriendlyName: 'Elsewhere', 'Passkeys.RelyingParty.Id': 'example.com' });
    const client = await v.api('POST', `/v2/Services/${other.body.sid as string}/HandoffClients`, { FriendlyName: 'Elsewhere', ReturnUrl: RETURN });
    const url = await buildHandoffRequestUrl({ verityUrl: origin, clientSid: client.body.sid, secret: client.body.secret, subject: newIdentity(), state: 's', returnTo: RETURN, factors: ['passkeys'], purpose: 'enroll', now: clock().now() });
    const hub = await get(url);
    assert.match(hub.html, /Your sign-in methods/);
    const refused = await post('/handoff/enroll/passkey', { session: hidden(hub.html, 'session') });
    assert.equal(refused.status, 200);
    assert.match(refused.html, /role="alert"[^>]*>Passkeys for Elsewhere cannot be added on this page/);
  });

  it('lists passkeys as not available here when the service’s relying party does not include Verity’s origin', async () => {
    const other = await v.api('POST', '/v2/Services', { FriendlyName: 'Elsewhere', 'Passkeys.RelyingParty.Id': 'example.com', 'Passkeys.RelyingParty.Origins': 'https://login.example.com' });
    const client = await v.api('POST', `/v2/Services/${other.body.sid as string}/HandoffClients`, { FriendlyName: 'Elsewhere', ReturnUrl: RETURN });
    const identity = newIdentity();
    const authenticator = new SoftAuthenticator('https://login.example.com');
    const created = await v.api('POST', `/v2/Services/${other.body.sid as string}/Entities/${identity}/Factors`, { FactorType: 'passkeys', FriendlyName: 'Laptop' });
    await v.api('POST', `/v2/Services/${other.body.sid as string}/Entities/${identity}/Factors/${created.body.sid as string}`, { AuthPayload: JSON.stringify(authenticator.register(created.body.binding.registration_options)) });
    const url = await buildHandoffRequestUrl({ verityUrl: origin, clientSid: client.body.sid, secret: client.body.secret, subject: identity, state: 's', returnTo: RETURN, factors: ['passkeys'], now: clock().now() });
    const chooser = await get(url);
    assert.equal(chooser.status, 200);
    assert.doesNotMatch(chooser.html, /Use a passkey/);
    assert.match(chooser.html, /Not available here yet[\s\S]*Passkey \(Laptop\)/);
  });
});
