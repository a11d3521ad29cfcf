import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { buildHandoffRequestUrl, type BuildHandoffRequestOptions, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { asWireError } from '../../src/http/domain-error-mapping.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { enrollDevice } from '../support/push-device.ts';
import { DATABASES, type TestVerity } from '../support/start-verity.ts';
import { fieldErrorOf, getPage, hiddenField, type HostedPage, postForm, requestToken, startHandoffVerity, startPasskeyHandoff, unescapeHtml, visibleText } from './handoff-support.ts';

const RETURN = 'http://localhost:9999/back';
const ALL: HandoffFactorType[] = ['totp', 'push', 'recovery_code', 'sms', 'call', 'passkeys', 'voiceprint'];

/**
 * Journeys 4 and 5 of issue 11: people see their name (the request's `name` claim), never the
 * opaque `sub`; the enrollment hub lists every method (factors, recovery codes, the application's
 * phone) and renames or removes them after a step-up, never leaving the user without one.
 */
for (const database of DATABASES) {
  describe(`enrollment hub: names and managing methods (${database.name})`, () => {
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
    // Opaque ids, as Demo Bank's `demo-<hex>`: they must never reach a page.
    const newIdentity = () => `demo-${Date.now().toString(16)}${(++counter).toString(16).padStart(4, '0')}`;
    const totpCode = (base32: string, offsetSteps = 0) => new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30 }).generate({ timestamp: clock().now() + offsetSteps * 30_000 });
    const entityPath = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;

    const open = async (subject: string, options: Partial<BuildHandoffRequestOptions> = {}): Promise<HostedPage> =>
      getPage(await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state: `state-${subject}`, returnTo: RETURN, factors: ALL, now: clock().now(), purpose: 'enroll', ...options }));
    const post = (page: HostedPage, path: string, form: Record<string, string> = {}) => postForm(v.url, path, { session: hiddenField(page.html, 'session'), ...form });
    const alertOf = (page: HostedPage): string => visibleText(/<div class="alert"[^>]*role="alert">([\s\S]*?)<\/div>/.exec(page.html)?.[1] ?? '').trim();
    const statusOf = (page: HostedPage): string => visibleText(/role="status" aria-live="polite">([\s\S]*?)<\/div>/.exec(page.html)?.[1] ?? '').trim();

    async function enrollTotpByApi(identity: string, name = 'Old phone'): Promise<{ sid: string; secret: string }> {
      const created = await v.api('POST', `${entityPath(identity)}/Factors`, { FriendlyName: name, FactorType: 'totp' });
      const base32 = created.body.binding.secret as string;
      const verified = await v.api('POST', `${entityPath(identity)}/Factors/${created.body.sid as string}`, { AuthPayload: totpCode(base32) });
      assert.equal(verified.body.status, 'verified');
      clock().advance(30_000);
      return { sid: created.body.sid as string, secret: base32 };
    }

    /** A user with `factor`: the step-up on the chooser with its next code, then the hub. */
    async function steppedUpHub(identity: string, factor: { sid: string; secret: string }, options: Partial<BuildHandoffRequestOptions> = {}): Promise<HostedPage> {
      const chooser = await open(identity, options);
      assert.match(chooser.html, /first confirm it’s you/);
      const hub = await post(chooser, '/handoff/totp', { factor: factor.sid, code: totpCode(factor.secret) });
      assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/, 'the hub after the step-up');
      return hub;
    }

    const factorsOf = async (identity: string) => (await v.api('GET', `${entityPath(identity)}/Factors`)).body.factors as Array<{ sid: string; friendly_name: string; factor_type: string }>;
    const deletedEvents = async (sid: string) => (await v.ctx.db.kysely.selectFrom('events').select('resource_sid').where('type', '=', 'factor.deleted').where('resource_sid', '=', sid).execute()).length;

    // Journey 4: names for people, ids for machines ------------------------------------------------

    it('the authenticator app is labelled Issuer:<display name>; no page shows sub', async () => {
      const identity = newIdentity();
      const hub = await open(identity, { displayName: 'Alice Martin', factors: ['totp', 'push'] });
      assert.equal(hub.status, 200);
      assert.match(visibleText(hub.html), /Account: Alice Martin/);
      const qr = await post(hub, '/handoff/enroll/totp');
      const uri = unescapeHtml(/id="totp-uri" class="uri" value="([^"]*)"/.exec(qr.html)?.[1] ?? '');
      const parsed = new URL(uri);
      assert.equal(decodeURIComponent(parsed.pathname), '/Acme:Alice Martin');
      assert.equal(parsed.searchParams.get('issuer'), 'Acme');
      for (const page of [hub, qr]) assert.equal(page.html.includes(identity), false, 'sub never appears on a page');

      // The push device's token names the account for the device; `sub` stays the identity.
      const push = await post(qr, '/handoff/enroll/push');
      const token = /<textarea id="enroll-token"[^>]*>([^<]+)<\/textarea>/.exec(push.html)?.[1] as string;
      const claims = decodeJwt(token);
      assert.equal(claims.account_name, 'Alice Martin');
      assert.equal(claims.sub, identity, 'ids stay ids');
      assert.equal(push.html.includes(identity), false);
    });

    it('without a display name the label is the method’s name, still never sub', async () => {
      const identity = newIdentity();
      const hub = await open(identity, { factors: ['totp'] });
      const qr = await post(hub, '/handoff/enroll/totp');
      const uri = unescapeHtml(/id="totp-uri" class="uri" value="([^"]*)"/.exec(qr.html)?.[1] ?? '');
      assert.equal(decodeURIComponent(new URL(uri).pathname), '/Acme:Acme Shop authenticator');
      assert.equal(qr.html.includes(identity), false);
    });

    it('the name claim is validated (length, control, format and bidi characters), escaped on the pages, and never replaces sub', async () => {
      const client = { sid: clientSid, serviceSid, secret };
      for (const bad of ['', ' ', 'x'.repeat(65), 'Alice\nBob', 'evil\u202Etxt.exe', 'a\u0000b', 'zero\u200Bwidth', 42]) {
        await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { name: bad, return_to: RETURN })), (e: unknown) => asWireError(e)?.code === 64101, JSON.stringify(bad));
      }
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { allow_remove_last: 'yes', return_to: RETURN })), (e: unknown) => asWireError(e)?.code === 64101);
      const ok = await verifyHandoffRequest(v.ctx, await requestToken(v, client, { name: '  Zoë  O’Brien ', return_to: RETURN, sub: 'demo-00ff00ff' }));
      assert.equal(ok.displayName, 'Zoë  O’Brien');
      assert.equal(ok.subject, 'demo-00ff00ff');
      // Persian names need the zero-width non-joiner; it stays.
      assert.equal((await verifyHandoffRequest(v.ctx, await requestToken(v, client, { name: 'نیما\u200Cزاده', return_to: RETURN }))).displayName, 'نیما\u200Cزاده');

      const identity = newIdentity();
      const hub = await open(identity, { displayName: '<img src=x onerror=alert(1)>', factors: ['totp'] });
      assert.equal(hub.status, 200);
      assert.doesNotMatch(hub.html, /<img src=x/);
      assert.match(hub.html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    });

    // Journey 5: the hub lists, renames and removes -----------------------------------------------

    it('lists every method: each factor, the recovery codes left, and the phone the application vouches for', async () => {
      const identity = newIdentity();
      const totp = await enrollTotpByApi(identity, 'Work phone');
      await enrollDevice(v, serviceSid, identity);
      await v.api('POST', `${entityPath(identity)}/RecoveryCodes`);
      const hub = await steppedUpHub(identity, totp, { phone: '+14155550123' });
      const text = visibleText(hub.html);
      assert.doesNotMatch(text, /None yet/);
      assert.match(text, /Work phone Authenticator app · added [A-Z][a-z]{2} \d{1,2}, \d{4}/);
      assert.match(text, /Push device · added/);
      assert.match(text, /Recovery codes 10 of 10 unused · added [A-Z][a-z]{2} \d{1,2}, \d{4} Not used to sign in yet/);
      assert.match(text, /Phone number •+23 Codes by text message or call\. Acme Shop manages this number\./);
      assert.equal(hub.html.includes('+14155550123'), false, 'the application’s number stays masked');
      assert.equal(hub.html.includes(identity), false);
      assert.equal((hub.html.match(/action="\/handoff\/enroll\/remove"/g) ?? []).length, 2, 'each factor can be removed');
      assert.equal((hub.html.match(/action="\/handoff\/enroll\/rename"/g) ?? []).length, 2, 'each factor can be renamed');
    });

    it('a user with only the phone the application verified sees it instead of "None yet"', async () => {
      const identity = newIdentity();
      const phone = `+1415555${String(4000 + counter).slice(-4)}`;
      const chooser = await open(identity, { phone, factors: ['sms', 'totp'] });
      const code = await post(chooser, '/handoff/phone', { channel: 'sms' });
      const hub = await post(code, '/handoff/phone/check', { code: await v.lastCode(phone) });
      assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/);
      assert.doesNotMatch(hub.html, /None yet/);
      assert.match(visibleText(hub.html), new RegExp(`Phone number •+${phone.slice(-2)}`));
    });

    it('rename: a valid name is saved; links, markup, line breaks and phone numbers are refused', async () => {
      const identity = newIdentity();
      const totp = await enrollTotpByApi(identity);
      let hub = await steppedUpHub(identity, totp);
      for (const bad of ['bit.ly/x', 'evil.example/login', '<script>alert(1)</script>', 'call\n+1 415 555 0100', 'x'.repeat(40), '   ', 'Call 1 2 3 4 5 6']) {
        hub = await post(hub, '/handoff/enroll/rename', { factor: totp.sid, friendly_name: bad });
        assert.equal(hub.status, 400, JSON.stringify(bad));
        // At the rename field (its disclosure open), not in the banner.
        assert.match(fieldErrorOf(hub.html, `rename-${totp.sid}`), /That name cannot be used/, JSON.stringify(bad));
        assert.match(hub.html, new RegExp(`<details class="rename" open>(?:(?!</details>)[\\s\\S])*id="rename-${totp.sid}"`), 'the rename form is open');
        assert.doesNotMatch(hub.html, /<script>alert/);
      }
      assert.equal((await factorsOf(identity))[0]?.friendly_name, 'Old phone');
      hub = await post(hub, '/handoff/enroll/rename', { factor: totp.sid, friendly_name: '  Anna’s   Pixel 8 ' });
      assert.equal(hub.status, 200);
      assert.equal(statusOf(hub), 'Renamed to “Anna’s Pixel 8”.');
      assert.equal((await factorsOf(identity))[0]?.friendly_name, 'Anna’s Pixel 8');
    });

    it('remove: asks to confirm, then deletes with factor.deleted; the last method is refused with a reason', async () => {
      const identity = newIdentity();
      const totp = await enrollTotpByApi(identity);
      const device = await enrollDevice(v, serviceSid, identity);
      let hub = await steppedUpHub(identity, totp);

      const confirm = await post(hub, '/handoff/enroll/remove', { factor: device.factorSid });
      assert.equal(confirm.status, 200);
      assert.match(confirm.html, /<h1>Remove this sign-in method\?<\/h1>/);
      assert.equal((await factorsOf(identity)).length, 2, 'nothing removed before the confirmation');
      hub = await post(confirm, '/handoff/enroll/remove/confirm', { factor: device.factorSid });
      assert.equal(hub.status, 200);
      assert.match(statusOf(hub), /removed\.$/);
      assert.deepEqual((await factorsOf(identity)).map((f) => f.sid), [totp.sid]);
      assert.equal(await deletedEvents(device.factorSid), 1);

      // The authenticator app is now the only method: refused on both steps, and kept.
      const last = await post(hub, '/handoff/enroll/remove', { factor: totp.sid });
      assert.equal(last.status, 409);
      assert.match(alertOf(last), /This is your only sign-in method, so it cannot be removed/);
      const forced = await post(last, '/handoff/enroll/remove/confirm', { factor: totp.sid });
      assert.equal(forced.status, 409);
      assert.deepEqual((await factorsOf(identity)).map((f) => f.sid), [totp.sid]);
      assert.equal(await deletedEvents(totp.sid), 0);
    });

    it('the last factor may go when unused recovery codes remain, the application vouches for a phone, or it allows it', async () => {
      for (const [label, options, setUp] of [
        ['recovery codes', {}, async (identity: string) => void (await v.api('POST', `${entityPath(identity)}/RecoveryCodes`))],
        ['trusted phone', { phone: '+14155550142' }, async () => undefined],
        ['allow_remove_last', { allowRemoveLast: true }, async () => undefined],
      ] as const) {
        const identity = newIdentity();
        const totp = await enrollTotpByApi(identity);
        await setUp(identity);
        const hub = await steppedUpHub(identity, totp, options);
        const confirm = await post(hub, '/handoff/enroll/remove', { factor: totp.sid });
        assert.equal(confirm.status, 200, label);
        const done = await post(confirm, '/handoff/enroll/remove/confirm', { factor: totp.sid });
        assert.equal(done.status, 200, label);
        assert.deepEqual(await factorsOf(identity), [], label);
      }
    });

    it('no step-up, no change: without the grant every manage route is refused; a grant without proof cannot touch older methods', async () => {
      const identity = newIdentity();
      const totp = await enrollTotpByApi(identity);
      const stepUp = await open(identity);
      for (const route of ['/handoff/enroll/rename', '/handoff/enroll/remove', '/handoff/enroll/remove/confirm']) {
        const refused = await post(stepUp, route, { factor: totp.sid, friendly_name: 'Mine now' });
        assert.equal(refused.status, 403, route);
      }
      // A user with nothing verified lands on the hub with no proof (amr []). A factor created before
      // this session and verified meanwhile (the application's own API) is listed, but not theirs to change.
      const newcomer = newIdentity();
      const created = await v.api('POST', `${entityPath(newcomer)}/Factors`, { FriendlyName: 'Added elsewhere', FactorType: 'totp' });
      const older = { sid: created.body.sid as string, secret: created.body.binding.secret as string };
      clock().advance(1000);
      const hub = await open(newcomer, { factors: ['totp'] });
      assert.match(hub.html, /<h1>Your sign-in methods<\/h1>/, 'nothing to prove: the hub at once');
      assert.equal((await v.api('POST', `${entityPath(newcomer)}/Factors/${older.sid}`, { AuthPayload: totpCode(older.secret) })).body.status, 'verified');
      await enrollTotpByApi(newcomer, 'Second');
      const listed = await post(hub, '/handoff/enroll');
      assert.match(listed.html, /Added elsewhere/);
      assert.doesNotMatch(listed.html, new RegExp(`name="factor" value="${older.sid}"`), 'no rename or remove for the older factor');
      for (const route of ['/handoff/enroll/rename', '/handoff/enroll/remove', '/handoff/enroll/remove/confirm']) {
        const refused = await post(listed, route, { factor: older.sid, friendly_name: 'Mine now' });
        assert.equal(refused.status, 403, route);
        assert.match(alertOf(refused), /confirm it’s you/);
      }
      assert.equal((await factorsOf(newcomer)).length, 2);
      assert.equal((await factorsOf(identity))[0]?.friendly_name, 'Old phone');
    });

    it('one user’s session cannot rename or remove another user’s factor', async () => {
      const victim = newIdentity();
      const victimFactor = await enrollTotpByApi(victim, 'Victim phone');
      await enrollTotpByApi(victim, 'Victim spare');
      const attacker = newIdentity();
      const attackerFactor = await enrollTotpByApi(attacker);
      await v.api('POST', `${entityPath(attacker)}/RecoveryCodes`);
      const hub = await steppedUpHub(attacker, attackerFactor);
      for (const [route, extra] of [['/handoff/enroll/rename', { friendly_name: 'pwned' }], ['/handoff/enroll/remove', {}], ['/handoff/enroll/remove/confirm', {}]] as const) {
        const refused = await post(hub, route, { factor: victimFactor.sid, ...extra });
        assert.equal(refused.status, 404, route);
        assert.match(alertOf(refused), /not one of yours/, route);
      }
      const left = await factorsOf(victim);
      assert.deepEqual(left.map((f) => f.friendly_name).sort(), ['Victim phone', 'Victim spare']);
      assert.equal(await deletedEvents(victimFactor.sid), 0);
    });

    it('two removals at once cannot both pass the last-method check', async () => {
      const identity = newIdentity();
      const first = await enrollTotpByApi(identity, 'First');
      const second = await enrollTotpByApi(identity, 'Second');
      const hubA = await steppedUpHub(identity, first);
      clock().advance(30_000);
      const hubB = await steppedUpHub(identity, second);
      const [a, b] = await Promise.all([post(hubA, '/handoff/enroll/remove/confirm', { factor: first.sid }), post(hubB, '/handoff/enroll/remove/confirm', { factor: second.sid })]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
      assert.equal((await factorsOf(identity)).length, 1);
    });
  });
}

describe('passkey registration options carry the display name, not sub', () => {
  const RETURN_PASSKEY = 'http://localhost:9998/back';
  let setup: Awaited<ReturnType<typeof startPasskeyHandoff>>;
  before(async () => {
    setup = await startPasskeyHandoff(RETURN_PASSKEY);
  });
  after(async () => setup.v.close());

  const optionsOf = (html: string): { user: { id: string; name: string; displayName: string } } => JSON.parse(unescapeHtml(/data-options="([^"]*)"/.exec(html)?.[1] ?? 'null'));

  it('user.name and user.displayName are the name claim; user.id stays the opaque entity handle', async () => {
    const { v, origin, clientSid, secret, serviceSid } = setup;
    const identity = 'demo-0a1b2c3d4e5f';
    const url = await buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, subject: identity, state: 'pk', returnTo: RETURN_PASSKEY, factors: ['passkeys'], purpose: 'enroll', displayName: 'alice', now: v.ctx.clock.now() });
    const hub = await getPage(url.replace(origin, v.url));
    assert.equal(hub.status, 200);
    const page = await postForm(v.url, '/handoff/enroll/passkey', { session: hiddenField(hub.html, 'session') });
    assert.equal(page.status, 200, page.html);
    const { user } = optionsOf(page.html);
    assert.equal(user.name, 'alice');
    assert.equal(user.displayName, 'alice');
    const entity = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}`);
    assert.equal(Buffer.from(user.id, 'base64url').toString(), entity.body.sid);
    assert.equal(page.html.includes(identity), false, 'sub never appears on the page');
  });
});
