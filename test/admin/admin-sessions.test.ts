import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rotateAuthToken } from '../../src/accounts/account-credentials.ts';
import type { ManualClock } from '../../src/crypto/clock.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient } from './console-client.ts';

const SESSION = '__Host-verity-admin-session';
const MINUTE = 60_000;

/**
 * The console's server-side sessions: idle and absolute timeouts on an injected clock, id rotation at
 * sign-in (no fixation) and periodically, and a sign-out that ends the session on the server.
 */
for (const database of DATABASES) {
  describe(`admin sessions (${database.name})`, () => {
    let v: TestVerity;
    let clock: ManualClock;
    let serviceSid: string;

    before(async () => {
      v = await startVerity({ manualClock: true, env: { VERITY_ADMIN_SIGN_IN_BURST: '1000' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      clock = v.clock as ManualClock;
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
    });
    after(async () => v?.close());

    const signedIn = async () => {
      const browser = new ConsoleClient(v.url);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
      return browser;
    };
    /** A second browser holding a copy of `id` (a stolen or replayed cookie). */
    const withCookie = (id: string) => {
      const copy = new ConsoleClient(v.url);
      copy.cookies.set(SESSION, { value: id, path: '/admin' });
      return copy;
    };
    const sessions = () => v.ctx.db.kysely.selectFrom('admin_sessions').selectAll().where('account_sid', '=', v.accountSid).execute();

    it('ends a session unused for 30 minutes (idle timeout), and says so at sign-in', async () => {
      const browser = await signedIn();
      clock.advance(29 * MINUTE);
      assert.equal((await browser.get('/admin')).status, 200, 'used within 30 minutes');
      clock.advance(29 * MINUTE);
      assert.equal((await browser.get('/admin')).status, 200, 'each use restarts the idle time');
      clock.advance(30 * MINUTE + 1);
      const res = await browser.get(`/admin/services/${serviceSid}`);
      assert.equal(res.status, 303);
      assert.equal(res.location, `/admin/sign-in?reason=expired&next=${encodeURIComponent(`/admin/services/${serviceSid}`)}`);
      assert.ok(res.setCookies.some((c) => c.startsWith(`${SESSION}=;`) && c.includes('Max-Age=0')), 'the cookie is cleared');
      assert.match((await browser.get(res.location ?? '')).text, /Your session ended/);
    });

    it('ends a session 12 hours after sign-in however active (absolute timeout)', async () => {
      const browser = await signedIn();
      for (let elapsed = 0; elapsed < 12 * 60 * MINUTE - 20 * MINUTE; elapsed += 20 * MINUTE) {
        clock.advance(20 * MINUTE);
        assert.equal((await browser.get('/admin')).status, 200, `active at ${elapsed / MINUTE + 20} min`);
      }
      clock.advance(20 * MINUTE);
      const res = await browser.get('/admin');
      assert.equal(res.status, 303);
      assert.match(res.location ?? '', /^\/admin\/sign-in\?reason=expired/);
    });

    it('replaces the session id every 15 minutes; the old id works 60 s more for requests under way, then never', async () => {
      const browser = await signedIn();
      const first = browser.cookie(SESSION) ?? '';
      clock.advance(14 * MINUTE);
      assert.equal((await browser.get('/admin')).setCookies.length, 0, 'not yet due');
      clock.advance(MINUTE);
      const rotated = await browser.get('/admin');
      assert.equal(rotated.status, 200);
      const second = browser.cookie(SESSION) ?? '';
      assert.match(rotated.setCookies.join('\n'), /^__Host-verity-admin-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/m);
      assert.notEqual(second, first);
      const form = ConsoleClient.csrfOf(rotated);
      // Another tab still holding the old id, within the grace: served, and its page's token still valid.
      const tab = withCookie(first);
      clock.advance(30_000);
      const stale = await tab.get('/admin');
      assert.equal(stale.status, 200);
      assert.equal(ConsoleClient.csrfOf(stale), form, 'the CSRF token belongs to the session, not to its id');
      assert.equal(stale.setCookies.length, 0, 'an old id is never rotated again');
      clock.advance(31_000);
      assert.equal((await tab.get('/admin')).status, 303, 'the old id is dead after the grace');
      assert.equal((await browser.get('/admin')).status, 200, 'the new id works');
      const stored = (await sessions()).map((r) => JSON.stringify(r)).join();
      assert.ok(!stored.includes(first) && !stored.includes(second), 'no id in the database');
    });

    it('gives a new id at sign-in and ends the session the browser had (no fixation)', async () => {
      // An id the browser carried before signing in (planted, or an earlier session) is never signed in.
      const planted = 'A'.repeat(43);
      const browser = new ConsoleClient(v.url);
      browser.cookies.set(SESSION, { value: planted, path: '/admin' });
      await browser.signIn(v.accountSid, v.authToken);
      const firstId = browser.cookie(SESSION) ?? '';
      assert.notEqual(firstId, planted);
      assert.equal((await withCookie(planted).get('/admin')).status, 303);
      await browser.signIn(v.accountSid, v.authToken);
      const secondId = browser.cookie(SESSION) ?? '';
      assert.notEqual(secondId, firstId);
      assert.equal((await withCookie(firstId).get('/admin')).status, 303, 'the earlier session ended at the new sign-in');
      assert.equal((await browser.get('/admin')).status, 200);
    });

    it('signs out with a POST that ends the session on the server: the old cookie and token are refused', async () => {
      const browser = await signedIn();
      const id = browser.cookie(SESSION) ?? '';
      const page = await browser.get('/admin');
      const token = ConsoleClient.csrfOf(page);
      assert.match(page.text, /<form method="post" action="\/admin\/sign-out" class="sign-out"><input type="hidden" name="csrf_token" value="[^"]+"><button type="submit"><svg class="icon"[^]*?<\/svg>Sign out<\/button><\/form>/);
      const before = (await sessions()).length;
      // Sign-out is a form like any other: another site cannot sign the operator out.
      assert.equal((await browser.post('/admin/sign-out', {})).status, 403);
      assert.equal((await browser.post('/admin/sign-out', { csrf_token: token }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).status, 403);
      assert.equal((await sessions()).length, before);
      assert.equal((await browser.get('/admin/sign-out')).status, 404, 'no GET sign-out');
      const out = await browser.post('/admin/sign-out', { csrf_token: token });
      assert.equal(out.status, 303);
      assert.equal(out.location, '/admin/sign-in?reason=signed-out');
      assert.ok(out.setCookies.some((c) => c.startsWith(`${SESSION}=;`) && c.includes('Max-Age=0')), 'the cookie is cleared');
      assert.equal((await sessions()).length, before - 1, 'the row is gone');
      assert.match((await browser.get(out.location ?? '')).text, /You signed out/);
      // Someone who kept a copy of the cookie gets nothing.
      const replay = withCookie(id);
      assert.equal((await replay.get('/admin')).status, 303);
      const post = await replay.post('/admin/limits/lockouts/clear', { csrf_token: token, key: `${serviceSid}:+14155550100` });
      assert.equal(post.status, 403);
      assert.match(post.text, /Your session has ended/);
    });

    it('ends every session of an account when its auth token is rotated', async () => {
      const browser = await signedIn();
      assert.equal((await browser.get('/admin')).status, 200);
      const fresh = await rotateAuthToken(v.ctx.stores, v.ctx.keyring, v.accountSid, clock.now());
      assert.ok(fresh, 'rotated');
      assert.equal((await browser.get('/admin')).status, 303);
      v.authToken = fresh;
    });
  });
}
