import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl, verifyHandoffResult } from '../../packages/sdk/src/handoff.ts';
import type { VerityError } from '../../src/errors/verity-error.ts';
import { asWireError } from '../../src/http/domain-error-mapping.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, linksOf, postForm, requestToken, sessionReturnOf, startPasskeyHandoff, unescapeHtml, type HostedPage } from './handoff-support.ts';
import { cspDirectives } from '../support/csp.ts';

const RETURN = 'http://localhost:9999/back';

/**
 * Usernameless sign-in through the hand-off (`purpose: 'identify'`), driven as the page's script
 * would drive it, with a software authenticator in place of the browser.
 */
describe('hand-off identify: usernameless passkey sign-in', () => {
  let v: TestVerity;
  let origin: string;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  before(async () => {
    // The service only prefers user verification: identify requires it all the same.
    ({ v, origin, serviceSid, clientSid, secret } = await startPasskeyHandoff(RETURN, { 'Passkeys.UserVerification': 'preferred', 'Passkeys.DiscoverableCredentials': 'required' }));
  });
  after(async () => v.close());

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;
  const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);
  const optionsOf = (html: string): any => {
    const match = /data-options="([^"]*)"/.exec(html);
    assert.ok(match, 'the WebAuthn options on the page');
    return JSON.parse(unescapeHtml(match[1] as string));
  };
  const alertOf = (html: string): string => /<div class="alert" id="form-error" role="alert">([^<]*)<\/div>/.exec(html)?.[1] ?? '';

  const get = (url: string): Promise<HostedPage> => getPage(url.replace(origin, v.url));

  /** A verified discoverable passkey for `identity`, registered through the API with the soft authenticator. */
  async function registerPasskey(identity: string, authenticator = new SoftAuthenticator(origin)): Promise<SoftAuthenticator> {
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FactorType: 'passkeys', FriendlyName: 'Laptop' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const options = created.body.binding.registration_options ?? created.body.config?.creation_request ?? created.body.binding;
    const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${created.body.sid}`, { AuthPayload: JSON.stringify(authenticator.register(options)) });
    assert.equal(verified.body.status, 'verified', JSON.stringify(verified.body));
    return authenticator;
  }

  const identifyUrl = (state: string) => buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, purpose: 'identify', factors: ['passkeys'], state, returnTo: RETURN, now: clock().now() });

  async function identifyPage(state: string): Promise<HostedPage> {
    const page = await get(await identifyUrl(state));
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /<h1>Sign in with a passkey<\/h1>/);
    return page;
  }

  const answer = (page: HostedPage, form: Record<string, string>) => post('/handoff/passkey/identify', { session: hiddenField(page.html, 'session'), ...form });

  async function resultOf(location: string, state: string) {
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, RETURN);
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    // No expectedSubject: identify tells the application who signed in.
    return verifyHandoffResult({ token: url.searchParams.get('result') as string, verityUrl: origin, clientSid, expectedState: state, jwks, now: clock().now() });
  }

  async function refusedRequest(claims: Record<string, unknown>): Promise<VerityError> {
    const token = await requestToken(v, { sid: clientSid, serviceSid, secret }, { return_to: RETURN, ...claims });
    const error = await verifyHandoffRequest(v.ctx, token).then(
      () => undefined,
      (e: unknown) => e,
    );
    const wire = asWireError(error);
    assert.ok(wire, 'refused');
    return wire;
  }

  it('refuses an identify request that names a user, or does not allow passkeys (64101), and the SDK will not build them', async () => {
    const withSub = await refusedRequest({ purpose: 'identify', factors: ['passkeys'], sub: 'user-1234' });
    assert.equal(withSub.code, 64101);
    assert.match(withSub.message, /purpose identify must not carry sub/);
    const noPasskeys = await refusedRequest({ purpose: 'identify', factors: ['totp'], sub: undefined });
    assert.equal(noPasskeys.code, 64101);
    assert.match(noPasskeys.message, /must list passkeys in factors/);
    const withoutSub = await refusedRequest({ purpose: 'authenticate', sub: undefined });
    assert.equal(withoutSub.code, 64101);
    assert.match(withoutSub.message, /sub must be a string/);
    // The page says it in the user's words; the developer's reason goes to the application (signed error result) and the log.
    const page = await get(`${origin}/handoff?request=${await requestToken(v, { sid: clientSid, serviceSid, secret }, { return_to: RETURN, purpose: 'identify', factors: ['passkeys'] })}`);
    assert.equal(page.status, 400);
    assert.match(page.html, /This sign-in link is malformed/);
    assert.doesNotMatch(page.html, /must not carry sub/);
    assert.match(page.html, /href="http:\/\/localhost:9999\/back\?error=invalid_request&amp;state=[^"]*&amp;error_result=/);
    assert.match(v.logs(), /hand-off request refused: Hand-off request malformed: a request with purpose identify must not carry sub/);

    const base = { verityUrl: origin, clientSid, secret, state: 's', returnTo: RETURN, now: clock().now() };
    await assert.rejects(buildHandoffRequestUrl({ ...base, purpose: 'identify', factors: ['passkeys'], subject: 'user-1' }), RangeError);
    await assert.rejects(buildHandoffRequestUrl({ ...base, purpose: 'identify', factors: ['totp'] }), RangeError);
    await assert.rejects(buildHandoffRequestUrl({ ...base, factors: ['totp'] }), /subject is required/);
  });

  it('signs in with a discoverable passkey: the result names its identity, amr swk, verified by the SDK without expectedSubject', async () => {
    const identity = newIdentity();
    const authenticator = await registerPasskey(identity);
    const page = await identifyPage('state-ok');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.deepEqual(cspDirectives(csp).get('script-src'), ["'self'"]);
    assert.match(page.html, /action="\/handoff\/passkey\/identify"/);
    // The way back is the session's return path: the application learns why (a signed access_denied), not a bare return.
    assert.match(page.html, new RegExp(`<a href="${sessionReturnOf(page.html)}">Back to Acme Shop`));
    const options = optionsOf(page.html);
    assert.equal(options.rpId, 'localhost');
    assert.equal(options.userVerification, 'required', 'required although the service only prefers it');
    assert.deepEqual(options.allowCredentials ?? [], []);

    const done = await answer(page, { response: JSON.stringify(authenticator.authenticate(options)) });
    assert.equal(done.status, 303, done.html);
    const result = await resultOf(done.headers.get('location') as string, 'state-ok');
    assert.equal(result.subject, identity);
    assert.deepEqual(result.amr, ['swk']);

    // The session is spent: posting again yields nothing more.
    const again = await answer(page, { response: JSON.stringify(authenticator.authenticate(options)) });
    assert.equal(again.status, 200);
    assert.match(again.html, /You already confirmed this sign-in/);
  });

  it('a browser failure (no passkey here, cancelled) → the page again with its message, fresh options and the way back', async () => {
    const page = await identifyPage('state-cancel');
    const cancelled = await answer(page, { error: 'NotAllowedError' });
    assert.equal(cancelled.status, 200);
    assert.match(alertOf(cancelled.html), /prompt was closed or timed out/);
    assert.notEqual(optionsOf(cancelled.html).challenge, optionsOf(page.html).challenge);
    assert.match(cancelled.html, /Back to Acme Shop \(sign in with your password\)/);
    assert.deepEqual(linksOf(cancelled.html), [sessionReturnOf(cancelled.html)], 'the only link is the session’s way back (a signed error result)');
  });

  it('refuses an unknown credential, a replayed response and an assertion without the UV flag', async () => {
    const identity = newIdentity();
    const authenticator = await registerPasskey(identity);

    // A passkey this service never registered (the same RP ID: another account's device, or a removed passkey).
    const stranger = new SoftAuthenticator(origin);
    stranger.register({ challenge: 'c2lnbi1pbg', rp: { id: 'localhost', name: 'Acme' }, user: { id: Buffer.from('YEnobody').toString('base64url'), name: 'nobody' } });
    const page = await identifyPage('state-unknown');
    const unknown = await answer(page, { response: JSON.stringify(stranger.authenticate(optionsOf(page.html))) });
    assert.equal(unknown.status, 400);
    assert.match(alertOf(unknown.html), /not registered with Acme Shop/);

    // No UV flag: the service would accept it (preferred), this flow does not.
    const noUv = await answer(unknown, { response: JSON.stringify(authenticator.authenticate(optionsOf(unknown.html), { userVerified: false })) });
    assert.equal(noUv.status, 400);
    assert.match(alertOf(noUv.html), /did not confirm it’s you/);

    // A response for options already used (the first page's, consumed by the refusal): replayed.
    const fresh = optionsOf(noUv.html);
    const response = JSON.stringify(authenticator.authenticate(fresh));
    const ok = await answer(noUv, { response });
    assert.equal(ok.status, 303);
    const other = await identifyPage('state-replay');
    const replayed = await answer(other, { response });
    assert.equal(replayed.status, 400);
    assert.match(alertOf(replayed.html), /expired or was already used/);

    // A counter that does not move forward (a cloned authenticator).
    const cloned = await answer(replayed, { response: JSON.stringify(authenticator.authenticate(optionsOf(replayed.html), { counter: 1 })) });
    assert.equal(cloned.status, 400);
    assert.match(alertOf(cloned.html), /signature counter went backwards/);
  });
});
