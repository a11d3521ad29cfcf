import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { BRAND_HEAD_SLOT, BRAND_HEADER_SLOT, fillBrandSlots } from '../../src/hosted/page-brand.ts';
import { SoftAuthenticator, type AuthenticationOptions } from '../support/soft-authenticator.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, HostedBrowser, postForm, startHandoffVerity, startPasskeyHandoff, type PasskeyHandoff } from './handoff-support.ts';

/** Issue 17 security review (notes/i17-review-security.md): the hosted side. */

describe('review-security: brand slots', () => {
  const page = `<!DOCTYPE html><html lang="en"><head><title>T</title>${BRAND_HEAD_SLOT}</head><body>${BRAND_HEADER_SLOT}<main>after</main></body></html>`;

  it('writes a client name holding $&, $$, $` or $\' as typed (never read as a replacement pattern)', () => {
    for (const name of ['Bank $& Co', 'Pay $$ now', 'A $` B', 'C $\' D', '$<x> $1']) {
      const filled = fillBrandSlots(page, { name, stylesheet: '/handoff/brand/x.css' } as Parameters<typeof fillBrandSlots>[1]);
      const shown = /<span class="brand-name">([^<]*)<\/span>/.exec(filled)?.[1] ?? '';
      const unescaped = shown.replace(/&#96;/g, '`').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      assert.equal(unescaped, name, `the name ${name}`);
      assert.ok(!filled.includes('<!--verity:brand'), 'no slot comment left or copied into the page');
      assert.equal(filled.match(/<main>/g)?.length, 1, 'the page is not copied into itself');
    }
  });
});

describe('review-security: push enrolment codes', () => {
  const RETURN = 'http://localhost:9999/back';
  let v: TestVerity;
  let clientSid: string;
  let secret: string;
  before(async () => {
    ({ v, clientSid, secret } = await startHandoffVerity(RETURN, { env: { VERITY_RATE_AUTH_FAILURES_BURST: '100' } }));
  });
  after(async () => v?.close());

  it('twenty devices presenting one code at once: exactly one gets the token', async () => {
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: 'review-security-user', state: 's', returnTo: RETURN, factors: ['push'], now: clock.now(), purpose: 'enroll' });
    const hub = await getPage(url);
    const page = await postForm(v.url, '/handoff/enroll/push', { session: hiddenField(hub.html, 'session') });
    const code = /id="enroll-code"[^>]*>([0-9A-Z-]+)</.exec(page.html)?.[1];
    assert.ok(code, 'the code is shown');
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${v.url}/device/v1/EnrollmentCodes/${code}`, { method: 'POST' })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, ...Array(19).fill(404)]);
    const tokens = await Promise.all(answers.filter((a) => a.status === 200).map(async (a) => ((await a.json()) as { enrollment_token: string }).enrollment_token));
    assert.equal(tokens.length, 1);
    assert.ok(tokens[0]!.length > 100, 'the enrolment token');
  });
});

describe('review-security: one-click passkey keeps the ceremony bound to its session', () => {
  const RETURN = 'http://localhost:9999/back';
  const IDENTITY = 'review-passkey-user';
  let h: PasskeyHandoff;
  let factorSid: string;
  let authenticator: SoftAuthenticator;
  before(async () => {
    h = await startPasskeyHandoff(RETURN);
    authenticator = new SoftAuthenticator(h.origin);
    const entity = `/v2/Services/${h.serviceSid}/Entities/${IDENTITY}`;
    const created = await h.v.api('POST', `${entity}/Factors`, { FactorType: 'passkeys', FriendlyName: 'Laptop' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const verified = await h.v.api('POST', `${entity}/Factors/${created.body.sid}`, { AuthPayload: JSON.stringify(authenticator.register(created.body.binding.registration_options)) });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    factorSid = created.body.sid as string;
  });
  after(async () => h?.v.close());

  /** A browser at the chooser of a new sign-in, and its form token. */
  const chooser = async (): Promise<{ browser: HostedBrowser; session: string }> => {
    const browser = new HostedBrowser();
    const url = await buildHandoffRequestUrl({ verityUrl: h.origin, clientSid: h.clientSid, secret: h.secret, subject: IDENTITY, state: 's', returnTo: RETURN, factors: ['passkeys', 'recovery_code'], now: h.v.ctx.clock.now() });
    const page = await browser.get(url);
    assert.match(page.html, /data-options="\/handoff\/passkey\/options"/, 'the one-click card');
    return { browser, session: hiddenField(page.html, 'session') };
  };
  const options = async (browser: HostedBrowser, session: string): Promise<AuthenticationOptions> => {
    const answer = await fetch(`${h.origin.replace('localhost', '127.0.0.1')}/handoff/passkey/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.origin, ...browser.cookieHeader() },
      body: new URLSearchParams({ session, factor: factorSid }).toString(),
    });
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as { options?: AuthenticationOptions };
    assert.ok(body.options, JSON.stringify(body));
    return body.options;
  };
  const verify = (browser: HostedBrowser, session: string, response: unknown) =>
    browser.post(h.origin.replace('localhost', '127.0.0.1'), '/handoff/passkey/verify', { session, factor: factorSid, response: JSON.stringify(response), error: '' }, { origin: h.origin });
  const signedIn = (page: { status: number; headers: Headers }) => page.status === 303 && (page.headers.get('location') ?? '').startsWith(RETURN);

  it('an assertion over one session\'s challenge does not sign in another session, nor an older challenge of the same one', async () => {
    const a = await chooser();
    const b = await chooser();
    const aOptions = await options(a.browser, a.session);
    await options(b.browser, b.session);
    assert.equal(signedIn(await verify(b.browser, b.session, authenticator.authenticate(aOptions))), false, 'A\'s challenge, signed, posted to B');

    const c = await chooser();
    const first = await options(c.browser, c.session);
    const second = await options(c.browser, c.session);
    assert.notEqual(first.challenge, second.challenge, 'each options call is a new challenge');
    assert.equal(signedIn(await verify(c.browser, c.session, authenticator.authenticate(first))), false, 'the challenge the newer one replaced');

    const d = await chooser();
    assert.ok(signedIn(await verify(d.browser, d.session, authenticator.authenticate(await options(d.browser, d.session)))), 'its own challenge signs in');
  });

  it('another browser cannot ask for options with a session\'s form token', async () => {
    const a = await chooser();
    const thief = new HostedBrowser();
    const answer = await fetch(`${h.origin.replace('localhost', '127.0.0.1')}/handoff/passkey/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.origin, ...thief.cookieHeader() },
      body: new URLSearchParams({ session: a.session, factor: factorSid }).toString(),
    });
    const body = (await answer.json()) as { options?: unknown };
    assert.equal(body.options, undefined, 'no WebAuthn options for a browser the session is not bound to');
  });
});
