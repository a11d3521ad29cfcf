import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient } from './console-client.ts';

/**
 * The console's audit log (/admin/audit, migration 0030): sign-ins (failed ones too, never the token
 * typed), sign-outs, API keys created and revoked, newest first, filtered by action, paged, and
 * scoped to the signed-in account.
 */
for (const database of DATABASES) {
  describe(`admin console: audit log (${database.name})`, () => {
    let v: TestVerity;
    let browser: ConsoleClient;
    let other: { sid: string; authToken: string };

    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      const second = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      other = { sid: second.account.sid, authToken: second.authToken };
      browser = new ConsoleClient(v.url);
    });
    after(async () => v?.close());

    it('records a failed sign-in (never the token typed) and a sign-in', async () => {
      const wrongToken = 'wrong-token-0123456789abcdef';
      assert.equal((await browser.signIn(v.accountSid, wrongToken)).status, 400);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
      const { rows } = await v.ctx.stores.adminAudit.list(v.accountSid, { page: 0 });
      assert.deepEqual(rows.map((r) => r.action), ['session.sign_in', 'session.sign_in_failed']);
      assert.match(rows[0]?.actor ?? '', /^AS[0-9a-f]{32}$/);
      assert.equal(rows[1]?.actor, v.accountSid);
      assert.ok(rows.every((r) => r.ip !== null), 'every entry has the client address');
      assert.ok(rows.every((r) => !JSON.stringify(r).includes(wrongToken) && !JSON.stringify(r).includes(v.authToken)), 'no token typed is recorded');
    });

    it('records API keys created and revoked, and shows them newest first', async () => {
      const keys = await browser.get('/admin/keys');
      const csrf = ConsoleClient.csrfOf(keys);
      const newest = /name="newest_key" value="([^"]+)"/.exec(keys.text)?.[1] ?? 'none';
      const created = await browser.post('/admin/keys', { csrf_token: csrf, friendly_name: 'ci', newest_key: newest });
      assert.equal(created.status, 201);
      const sid = /id="new-key-sid">(SK[0-9a-f]{32})</.exec(created.text)?.[1];
      assert.ok(sid, 'the new key\'s SID is shown');
      const secret = /id="new-key-secret">([^<]+)</.exec(created.text)?.[1] ?? 'none';
      assert.equal((await browser.post(`/admin/keys/${sid}/revoke`, { csrf_token: csrf })).status, 303);
      // Revoking it again changes nothing, and records nothing.
      assert.equal((await browser.post(`/admin/keys/${sid}/revoke`, { csrf_token: csrf })).location, '/admin/keys?done=not-revoked');

      const page = await browser.get('/admin/audit');
      assert.equal(page.status, 200);
      assert.match(page.text, /<a href="\/admin\/audit" aria-current="page">/);
      const actions = [...page.text.matchAll(/<td><code>([a-z_.]+)<\/code>/g)].map((m) => m[1]);
      assert.deepEqual(actions, ['api_key.revoke', 'api_key.create', 'session.sign_in', 'session.sign_in_failed']);
      assert.match(page.text, new RegExp(`<code>${sid}</code>`));
      assert.match(page.text, /friendly_name: ci/);
      assert.ok(!page.text.includes(secret), 'the key\'s secret is never in the log');
    });

    it('filters by action, pages, and shows only the signed-in account\'s entries', async () => {
      const filtered = await browser.get('/admin/audit?action=api_key.create');
      const actions = [...filtered.text.matchAll(/<td><code>([a-z_.]+)<\/code>/g)].map((m) => m[1]);
      assert.deepEqual(actions, ['api_key.create']);
      assert.match(filtered.text, /<option value="api_key.create" selected>/);
      assert.match((await browser.get('/admin/audit?action=nothing.here')).text, /No <code>nothing.here<\/code> entries/);
      // A malformed filter is ignored, not an error.
      assert.equal((await browser.get('/admin/audit?action=%3Cscript%3E')).status, 200);

      const now = v.ctx.clock.now();
      for (let i = 0; i < 55; i++) {
        await v.ctx.stores.adminAudit.insert({ sid: `AL${i.toString(16).padStart(32, '0')}`, account_sid: v.accountSid, actor: v.accountSid, action: 'test.bulk', target_sid: null, detail: '{}', ip: null, date_created: now - 60_000 - i });
      }
      const first = await browser.get('/admin/audit');
      assert.match(first.text, /rel="next"/);
      const second = await browser.get('/admin/audit?page=1');
      assert.match(second.text, /Page 2/);
      assert.match(second.text, /session.sign_in_failed/);

      const otherBrowser = new ConsoleClient(v.url);
      assert.equal((await otherBrowser.signIn(other.sid, other.authToken)).status, 303);
      const theirs = await otherBrowser.get('/admin/audit');
      assert.doesNotMatch(theirs.text, /api_key\.create|test\.bulk/);
      assert.match(theirs.text, /session\.sign_in/);
    });

    it('records a sign-out', async () => {
      const page = await browser.get('/admin');
      assert.equal((await browser.post('/admin/sign-out', { csrf_token: ConsoleClient.csrfOf(page) })).status, 303);
      const { rows } = await v.ctx.stores.adminAudit.list(v.accountSid, { action: 'session.sign_out', page: 0 });
      assert.equal(rows.length, 1);
    });
  });
}
