import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { enrollDevice } from '../support/push-device.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient, type ConsoleResponse } from './console-client.ts';

const IDENTITY = 'user-0001-identity';
const OTHER_IDENTITY = 'user-0002-identity';
const THROTTLED = '+14155550188';
const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

/** The rows of the first table after `<h2 id="section">` (their text), for assertions about one section. */
function sectionText(page: ConsoleResponse, section: string): string {
  const start = page.text.indexOf(`id="${section}"`);
  assert.notEqual(start, -1, `section ${section} on the page`);
  const next = page.text.indexOf('<section', start);
  return page.text.slice(start, next === -1 ? undefined : next);
}

/**
 * The console's identity views (issue 17) over a real Verity: entities and their factors (TOTP,
 * push, recovery codes) made through the API, a real entity lock-out from wrong codes and a real
 * send throttle; the pages list them without secrets, and the actions (delete a factor, revoke
 * recovery codes, clear a lock-out) go through confirmation pages, CSRF and same-origin checks,
 * really take effect through the domain (the API sees it), and stay inside the signed-in account.
 */
for (const database of DATABASES) {
  describe(`admin console: identities (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let entitySid: string;
    let totpSid: string;
    let totpSecret: string;
    let pushSid: string;
    let challengeSid: string;
    let browser: ConsoleClient;
    let otherBrowser: ConsoleClient;
    const base = () => `/v2/Services/${serviceSid}/Entities/${IDENTITY}`;

    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop & "one"' })).body.sid as string;
      const factor = await v.api('POST', `${base()}/Factors`, { FriendlyName: 'Work phone', FactorType: 'totp' });
      assert.equal(factor.status, 201, JSON.stringify(factor.body));
      totpSid = factor.body.sid as string;
      entitySid = factor.body.entity_sid as string;
      totpSecret = factor.body.binding.secret as string;
      const verified = await v.api('POST', `${base()}/Factors/${totpSid}`, { AuthPayload: totp(base32Decode(totpSecret), v.ctx.clock.now(), OPTIONS) });
      assert.equal(verified.body.status, 'verified', JSON.stringify(verified.body));
      pushSid = (await enrollDevice(v, serviceSid, IDENTITY)).factorSid;
      assert.equal((await v.api('POST', `${base()}/RecoveryCodes`)).status, 201);
      await v.api('POST', `/v2/Services/${serviceSid}/Entities`, { Identity: OTHER_IDENTITY });
      const challenge = await v.api('POST', `${base()}/Challenges`, { FactorSid: pushSid, 'Details.Message': 'Approve <transfer>?', 'Details.Fields': JSON.stringify({ label: 'Amount', value: '€20' }), HiddenDetails: JSON.stringify({ ip: '203.0.113.9' }) });
      assert.equal(challenge.status, 201, JSON.stringify(challenge.body));
      challengeSid = challenge.body.sid as string;
      // A real entity lock-out: wrong TOTP codes until the entity is locked (10 are free).
      let locked = false;
      for (let i = 0; i < 12 && !locked; i++) {
        const wrong = await v.api('POST', `${base()}/Challenges`, { FactorSid: totpSid, AuthPayload: '000000' });
        locked = wrong.status === 429 || wrong.body.code === 60325 || /locked/i.test(String(wrong.body.message));
      }
      assert.ok(locked, 'the entity is locked out');
      // A real send throttle: the destination's five sends are spent.
      for (let i = 0; i < 6; i++) await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: THROTTLED, Channel: 'sms' });
      browser = new ConsoleClient(v.url);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
      const other = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      otherBrowser = new ConsoleClient(v.url);
      assert.equal((await otherBrowser.signIn(other.account.sid, other.authToken)).status, 303);
    });
    after(async () => {
      await v?.close();
    });

    it('lists the entities newest first with factor counts, finds one by identity and filters by service', async () => {
      const page = await browser.get('/admin/entities');
      assert.equal(page.status, 200);
      assert.ok(page.text.indexOf(OTHER_IDENTITY) < page.text.indexOf(IDENTITY), 'newest first');
      assert.match(page.text, /Push <strong>1<\/strong>/);
      assert.match(page.text, /TOTP <strong>1<\/strong>/);
      assert.match(page.text, /10 of 10/);
      assert.match(page.text, /Shop &amp; &quot;one&quot;/, 'names are escaped');
      const found = await browser.get(`/admin/entities?identity=${IDENTITY}&service=${serviceSid}`);
      assert.ok(found.text.includes(`/admin/entities/${entitySid}`), 'found.text.includes(`/admin/entities/${entitySid}`)');
      assert.ok(!found.text.includes(OTHER_IDENTITY), '!found.text.includes(OTHER_IDENTITY)');
      const none = await browser.get('/admin/entities?identity=nobody%3Cx%3E');
      assert.equal(none.status, 200);
      assert.match(none.text, /No entity with the identity <code>nobody&lt;x&gt;<\/code>/);
      // Another account sees none of them.
      const theirs = await otherBrowser.get('/admin/entities');
      assert.ok(!theirs.text.includes(IDENTITY), '!theirs.text.includes(IDENTITY)');
      assert.equal((await otherBrowser.get(`/admin/entities/${entitySid}`)).status, 404);
    });

    it('shows an entity\'s factors, recovery codes and lock-out without any secret', async () => {
      const page = await browser.get(`/admin/entities/${entitySid}`);
      assert.equal(page.status, 200);
      const factors = sectionText(page, 'factors');
      assert.ok(factors.includes(totpSid), 'totp listed');
      assert.ok(factors.includes(pushSid), 'push listed');
      assert.match(factors, /Work phone/);
      assert.match(factors, /6 digits every 30 s/);
      assert.match(factors, /App ID/);
      assert.ok(!page.text.includes(totpSecret), 'the TOTP secret never appears');
      assert.match(sectionText(page, 'recovery'), /<strong>10<\/strong> of 10/);
      assert.match(sectionText(page, 'lockouts'), /locked<\/strong> until/);
      assert.equal(sectionText(page, 'recent').match(/href="\/admin\/challenges\/YC/g)?.length, 10, 'the ten newest challenges');
      // Times are ISO with a relative hint.
      assert.match(page.text, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">/);
    });

    it('deletes a factor through its confirmation page, with CSRF and same-origin checks, and records it', async () => {
      const confirm = await browser.get(`/admin/entities/${entitySid}/factors/${totpSid}/delete`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /Delete the factor Work phone\?/);
      const csrf = ConsoleClient.csrfOf(confirm);
      const path = `/admin/entities/${entitySid}/factors/${totpSid}/delete`;
      assert.equal((await browser.post(path, { csrf_token: 'forged' })).status, 403);
      assert.equal((await browser.post(path, { csrf_token: csrf }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status, 403);
      // Another account's session cannot act on it.
      const theirs = await otherBrowser.get('/admin/entities');
      assert.equal((await otherBrowser.post(path, { csrf_token: ConsoleClient.csrfOf(theirs) })).status, 404);
      assert.equal((await v.api('GET', `${base()}/Factors/${totpSid}`)).status, 200, 'still there after refused posts');
      const done = await browser.post(path, { csrf_token: csrf });
      assert.equal(done.status, 303);
      assert.equal(done.location, `/admin/entities/${entitySid}?done=factor-deleted`);
      assert.equal((await v.api('GET', `${base()}/Factors/${totpSid}`)).status, 404, 'gone through the API too');
      const after = await browser.get(done.location);
      assert.match(after.text, /The factor is deleted/);
      assert.ok(!sectionText(after, 'factors').includes(totpSid), '!sectionText(after, \'factors\').includes(totpSid)');
      // Sent again (Back and resubmit): nothing left to delete, said so.
      assert.equal((await browser.post(path, { csrf_token: csrf })).location, `/admin/entities/${entitySid}?done=factor-not-deleted`);
    });

    it('revokes the recovery codes', async () => {
      const confirm = await browser.get(`/admin/entities/${entitySid}/recovery-codes/revoke`);
      assert.equal(confirm.status, 200);
      const done = await browser.post(`/admin/entities/${entitySid}/recovery-codes/revoke`, { csrf_token: ConsoleClient.csrfOf(confirm) });
      assert.equal(done.location, `/admin/entities/${entitySid}?done=codes-revoked`);
      const codes = await v.api('GET', `${base()}/RecoveryCodes`);
      assert.equal(codes.body.remaining ?? codes.body.total ?? 0, 0, JSON.stringify(codes.body));
    });

    it('lists challenges with filters and shows one as the API does', async () => {
      const all = await browser.get('/admin/challenges');
      assert.equal(all.status, 200);
      assert.ok(all.text.includes(challengeSid), 'all.text.includes(challengeSid)');
      const pending = await browser.get(`/admin/challenges?status=pending&factor_type=push&service=${serviceSid}`);
      assert.ok(pending.text.includes(challengeSid), 'pending.text.includes(challengeSid)');
      assert.ok(!(await browser.get('/admin/challenges?status=approved')).text.includes(challengeSid), '!(await browser.get(\'/admin/challenges?status=approved\')).text.includes(challengeSid)');
      const one = await browser.get(`/admin/challenges/${challengeSid}`);
      assert.equal(one.status, 200);
      assert.match(one.text, /Approve &lt;transfer&gt;\?/);
      assert.match(one.text, /€20/);
      assert.match(one.text, /203\.0\.113\.9/);
      assert.equal((await otherBrowser.get(`/admin/challenges/${challengeSid}`)).status, 404);
      assert.equal((await browser.get('/admin/challenges/YCnot-a-sid')).status, 404);
    });

    it('shows the limits, the throttled destination and the lock-out, and clears the lock-out', async () => {
      const page = await browser.get(`/admin/limits?service=${serviceSid}`);
      assert.equal(page.status, 200);
      const throttling = sectionText(page, 'throttling');
      assert.match(throttling, /Sends to one destination/);
      assert.ok(throttling.includes(THROTTLED), 'throttling.includes(THROTTLED)');
      assert.match(throttling, /\d+ s<\/td>/);
      const lockouts = sectionText(page, 'lockouts');
      assert.ok(lockouts.includes(IDENTITY), 'lockouts.includes(IDENTITY)');
      assert.match(sectionText(page, 'builtin'), /per entity/);
      const key = `entity:${entitySid}`;
      const confirm = await browser.get(`/admin/limits/lockouts/clear?key=${encodeURIComponent(key)}&from=limits`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /Clear this lock-out\?/);
      // Another account cannot clear it (nor learn whether it exists).
      const theirs = await otherBrowser.get('/admin/limits');
      assert.equal((await otherBrowser.post('/admin/limits/lockouts/clear', { csrf_token: ConsoleClient.csrfOf(theirs), key, from: 'limits' })).location, '/admin/limits?done=not-cleared');
      const done = await browser.post('/admin/limits/lockouts/clear', { csrf_token: ConsoleClient.csrfOf(confirm), key, from: 'limits' });
      assert.equal(done.status, 303);
      assert.equal(done.location, `/admin/limits?service=${serviceSid}&done=cleared`);
      const rows = await v.ctx.db.kysely.selectFrom('check_failures').select('key').where('key', '=', key).execute();
      assert.deepEqual(rows, []);
      const after = await browser.get(done.location);
      assert.match(after.text, /The lock-out is cleared/);
      assert.ok(!sectionText(after, 'lockouts').includes(IDENTITY), '!sectionText(after, \'lockouts\').includes(IDENTITY)');
      // Malformed keys clear nothing and never fail.
      for (const bad of ['', 'x'.repeat(600), 'VAnot:a-key', `${serviceSid}`]) {
        const res = await browser.post('/admin/limits/lockouts/clear', { csrf_token: ConsoleClient.csrfOf(confirm), key: bad });
        assert.equal(res.status, 303, bad);
      }
    });

    it('recorded every action in the audit log, with what it acted on', async () => {
      const rows = await v.ctx.db.kysely.selectFrom('admin_audit_log').select(['action', 'target_sid', 'account_sid']).where('account_sid', '=', v.accountSid).where('action', '!=', 'session.sign_in').execute();
      const actions = rows.map((r) => `${r.action} ${r.target_sid}`).sort();
      assert.deepEqual(actions, [`factor.delete ${totpSid}`, `lockout.clear ${entitySid}`, `recovery_codes.revoke ${entitySid}`].sort());
    });
  });
}
