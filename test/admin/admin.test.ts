import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient } from './console-client.ts';
import { cspDirectives } from '../support/csp.ts';

const NAME = 'Shop <script>x()</script>&co';

for (const database of DATABASES) {
  describe(`admin console (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let webhookSid: string;
    let other: { sid: string; authToken: string };
    /** The operator's browser, signed in to this account; `otherBrowser` to the second account. */
    let browser: ConsoleClient;
    let otherBrowser: ConsoleClient;
    const codes: string[] = [];

    const get = async (path: string, client = browser) => {
      const res = await client.get(path);
      return { status: res.status, headers: { get: (name: string) => { const h = res.headers[name.toLowerCase()]; return Array.isArray(h) ? h.join(', ') : (h ?? null); } }, text: res.text };
    };
    const start = async (to: string, channel: string) => {
      const res = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: channel });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      codes.push(await v.lastCode(to));
    };
    const approve = async (to: string) => {
      const res = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: await v.lastCode(to) });
      assert.equal(res.body.status, 'approved');
    };

    before(async () => {
      v = await startVerity({ env: { VERITY_WEBHOOK_ALLOW_LOOPBACK: 'true' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      serviceSid = created.body.sid as string;
      // The API refuses markup in a FriendlyName; the console must still escape whatever is stored.
      await v.ctx.db.kysely.updateTable('services').set({ friendly_name: NAME }).where('sid', '=', serviceSid).execute();
      webhookSid = (await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'audit', EventTypes: '*', WebhookUrl: 'http://127.0.0.1:9/unreachable' })).body.sid as string;
      await start('+14155550101', 'sms');
      await start('+14155550102', 'sms');
      await start('+14165550103', 'sms');
      await start('a_1@example.com', 'email');
      await start('b@example.com', 'email');
      // Four sends to one number: one verification, and its send bucket nearly empty.
      for (let i = 0; i < 4; i++) await start('+14155550199', 'sms');
      await approve('+14155550101');
      await approve('+14165550103');
      await approve('a_1@example.com');
      const second = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      other = { sid: second.account.sid, authToken: second.authToken };
      browser = new ConsoleClient(v.url);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
      otherBrowser = new ConsoleClient(v.url);
      assert.equal((await otherBrowser.signIn(other.sid, other.authToken)).status, 303);
    });
    after(async () => v?.close());

    it('sends a browser without a session to the sign-in page, and shows it nothing', async () => {
      for (const path of ['/admin', `/admin/services/${serviceSid}`, `/admin/services/${serviceSid}?to=%2B1415`]) {
        const res = await new ConsoleClient(v.url).get(path);
        assert.equal(res.status, 303, path);
        assert.equal(res.location, `/admin/sign-in?next=${encodeURIComponent(path)}`);
        assert.equal(res.headers['www-authenticate'], undefined);
        assert.doesNotMatch(res.text, new RegExp(serviceSid));
      }
    });

    it("shows another account nothing of this account's", async () => {
      const overview = await get('/admin', otherBrowser);
      assert.equal(overview.status, 200);
      assert.doesNotMatch(overview.text, new RegExp(serviceSid));
      assert.match(overview.text, /no services yet/);
      const page = await get(`/admin/services/${serviceSid}`, otherBrowser);
      assert.equal(page.status, 404);
      assert.doesNotMatch(page.text, /\+1415/);
    });

    it('lists the services, escaped, under a strict CSP', async () => {
      const res = await get('/admin');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const csp = cspDirectives(res.headers.get('content-security-policy'));
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.deepEqual(csp.get('form-action'), ["'self'"]);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /unsafe-inline/);
      // `same-origin`, not `no-referrer`: with no-referrer Chromium posts the console's forms with `Origin: null`.
      assert.equal(res.headers.get('referrer-policy'), 'same-origin');
      assert.match(res.text, /<meta name="referrer" content="same-origin">/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(res.text, new RegExp(`href="/admin/services/${serviceSid}"`));
      assert.ok(res.text.includes('Shop &lt;script&gt;x()&lt;/script&gt;&amp;co'), "expected res.text.includes('Shop &lt;script&gt;x()&lt;/script&gt;&amp;co')");
      assert.doesNotMatch(res.text, /<script/i);
      const css = await fetch(v.url + '/admin/assets/admin.css');
      assert.equal(css.status, 200);
      assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    });

    it('shows the service: settings, verifications, webhook deliveries, low buckets; never a code', async () => {
      const res = await get(`/admin/services/${serviceSid}`);
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.text, /<script/i);
      assert.ok(res.text.includes('<h1>Shop &lt;script&gt;'), "expected res.text.includes('<h1>Shop &lt;script&gt;')");
      for (const to of ['+14155550101', '+14155550102', '+14165550103', 'a_1@example.com', 'b@example.com', '+14155550199']) assert.ok(res.text.includes(`<td>${to}</td>`), to);
      assert.ok(res.text.includes(webhookSid), 'expected res.text.includes(webhookSid)');
      assert.match(res.text, /verification\.approved/);
      // The four sends to +14155550199 left its bucket with one token.
      assert.match(res.text, /sends per destination<\/td><td>\+14155550199<\/td><td class="num">1\.\d\d<\/td>/);
      for (const code of codes) assert.ok(!res.text.includes(code), `code ${code} in the page`);
    });

    it('finds verifications by destination, exactly or by prefix, with no wildcards', async () => {
      const rows = (text: string) => [...text.matchAll(/<td><code>VE[0-9a-f]{32}<\/code><\/td>\n<td>([^<]+)<\/td>/g)].map((m) => m[1]).sort();
      const base = `/admin/services/${serviceSid}?to=`;
      assert.deepEqual(rows((await get(base + encodeURIComponent('+14155550101'))).text), ['+14155550101']);
      assert.deepEqual(rows((await get(base + encodeURIComponent('+1415'))).text), ['+14155550101', '+14155550102', '+14155550199']);
      assert.deepEqual(rows((await get(base + encodeURIComponent('a_'))).text), ['a_1@example.com']);
      for (const pattern of ['%', '_', '+1415%', 'a%', '\\']) {
        const res = await get(base + encodeURIComponent(pattern));
        assert.equal(res.status, 200);
        assert.deepEqual(rows(res.text), [], pattern);
      }
      const escaped = await get(base + encodeURIComponent('"><b>x'));
      assert.ok(escaped.text.includes('value="&quot;&gt;&lt;b&gt;x"'), "expected escaped.text.includes('value=\"&quot;&gt;&lt;b&gt;x\"')");
    });

    it('charts verifications per channel per day and conversion per channel', async () => {
      const { text } = await get(`/admin/services/${serviceSid}`);
      const today = new Date(v.ctx.clock.now()).toISOString().slice(0, 10);
      // The charts' data tables (src/admin/charts/service-charts.ts): per day email, sms, total; per channel sent, approved, conversion.
      const volume = text.slice(text.indexOf('id="chart-service-volume"'), text.indexOf('id="chart-service-conversion"'));
      assert.match(volume, new RegExp(`<tr><th scope="row">${today}</th><td class="num">2</td><td class="num">4</td><td class="num">6</td></tr>`));
      assert.equal([...volume.matchAll(/<tr><th scope="row">[\d-]+<\/th><td class="num">0<\/td><td class="num">0<\/td><td class="num">0<\/td><\/tr>/g)].length, 13);
      assert.match(volume, new RegExp(`data-day="${today}" data-value="4"`));
      assert.match(text, /<tr><th scope="row">sms<\/th><td class="num">4<\/td><td class="num">2<\/td><td class="num">50%<\/td><\/tr>/);
      assert.match(text, /<tr><th scope="row">email<\/th><td class="num">2<\/td><td class="num">1<\/td><td class="num">50%<\/td><\/tr>/);
      assert.match(text, /<g class="chart-row" data-label="sms" data-value="50">/);
      assert.match(text, />50% \(2\/4\)<\/text>/);
    });

    it('retries a failed delivery and clears a lock-out (Webhooks and Limits pages), only with the session\'s CSRF token and never cross-site', async () => {
      const db = v.ctx.db.kysely;
      const delivery = await db.selectFrom('webhook_deliveries').select('sid').where('webhook_sid', '=', webhookSid).executeTakeFirstOrThrow();
      await db.updateTable('webhook_deliveries').set({ status: 'failed', attempts: 8, last_error: 'connect ECONNREFUSED' }).where('sid', '=', delivery.sid).execute();
      await db.insertInto('check_failures').values({ key: `${serviceSid}:+14155550102`, consecutive: 5, locked_until: v.ctx.clock.now() + 600_000, date_updated: v.ctx.clock.now() }).execute();
      const page = await browser.get(`/admin/services/${serviceSid}`);
      const token = ConsoleClient.csrfOf(page);
      assert.ok(token.length > 20, 'expected token.length > 20');
      // One place for each action: the service page links to the Webhooks and Limits pages.
      assert.ok(!page.text.includes('/retry"'), 'no retry form on the service page');
      assert.ok(page.text.includes('<a href="/admin/webhooks">Webhooks page</a>'), 'the service page links to the Webhooks page');
      assert.ok(page.text.includes(`<a href="/admin/limits?service=${serviceSid}">Limits page</a>`), 'the service page links to its Limits page');
      assert.equal((await browser.post(`/admin/services/${serviceSid}/lockouts/clear`, { csrf_token: token, destination: '+14155550102' })).status, 404, 'the old per-service action is gone');
      const retry = `/admin/webhooks/deliveries/${delivery.sid}/retry`;
      const otherToken = ConsoleClient.csrfOf(await otherBrowser.get('/admin'));
      const secondSession = new ConsoleClient(v.url);
      await secondSession.signIn(v.accountSid, v.authToken);
      const secondToken = ConsoleClient.csrfOf(await secondSession.get('/admin'));
      assert.notEqual(secondToken, token, 'each session has its own token');
      // No token, a wrong token, another account's or another session's token, or a post another site's
      // page made (whatever the token): refused with a page, nothing changed.
      for (const [form, headers] of [
        [{}, {}],
        [{ csrf_token: '' }, {}],
        [{ csrf_token: token.slice(0, -2) + (token.endsWith('xx') ? 'yy' : 'xx') }, {}],
        [{ csrf_token: token + 'x' }, {}],
        [{ csrf_token: otherToken }, {}],
        [{ csrf_token: secondToken }, {}],
        [{ token }, {}],
        [{ csrf_token: token }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
        [{ csrf_token: token }, { 'sec-fetch-site': 'same-site', origin: 'https://a.127.0.0.1.nip.io' }],
        [{ csrf_token: token }, { 'sec-fetch-site': null, origin: 'https://evil.example' }],
        [{ csrf_token: token }, { 'sec-fetch-site': null, origin: 'null' }],
        [{ csrf_token: token }, { 'sec-fetch-site': null, origin: null }],
        [{ csrf_token: token }, { 'sec-fetch-site': 'none', origin: null }],
      ] as Array<[Record<string, string>, Record<string, string | null>]>) {
        const res = await browser.post(retry, form, headers);
        assert.equal(res.status, 403, JSON.stringify([form, headers]));
        assert.match(String(res.headers['content-type']), /^text\/html/);
      }
      assert.equal((await otherBrowser.post(retry, { csrf_token: otherToken })).location, '/admin/webhooks?done=not-retried', 'another account cannot act on this delivery');
      assert.equal((await db.selectFrom('webhook_deliveries').select('status').where('sid', '=', delivery.sid).executeTakeFirstOrThrow()).status, 'failed');
      // As a browser without Fetch Metadata posts it: the Origin alone is enough.
      const ok = await browser.post(retry, { csrf_token: token }, { 'sec-fetch-site': null, 'sec-fetch-mode': null, 'sec-fetch-dest': null, 'sec-fetch-user': null });
      assert.equal(ok.status, 303);
      assert.equal(ok.location, '/admin/webhooks?done=requeued');
      const row = await db.selectFrom('webhook_deliveries').select(['status', 'attempts']).where('sid', '=', delivery.sid).executeTakeFirstOrThrow();
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0);
      assert.match((await get('/admin/webhooks?done=requeued')).text, /The failed delivery is queued again/);
      assert.doesNotMatch((await get('/admin/webhooks?done=constructor')).text, /role="status"/);
      // A second retry finds nothing failed (it was queued again).
      await db.updateTable('webhook_deliveries').set({ status: 'delivered' }).where('sid', '=', delivery.sid).execute();
      assert.equal((await browser.post(retry, { csrf_token: token })).location, '/admin/webhooks?done=not-retried');
      const clear = await browser.post('/admin/limits/lockouts/clear', { csrf_token: token, key: `${serviceSid}:+14155550102` });
      assert.equal(clear.location, `/admin/limits?service=${serviceSid}&done=cleared`);
      assert.equal(await db.selectFrom('check_failures').select('key').where('key', '=', `${serviceSid}:+14155550102`).executeTakeFirst(), undefined);
    });

    it('answers a malformed Origin with 403 and a page, never 500, on every post', async () => {
      const page = await browser.get(`/admin/services/${serviceSid}`);
      const token = ConsoleClient.csrfOf(page);
      const signIn = await new ConsoleClient(v.url).signInToken();
      const posts: Array<[string, Record<string, string>]> = [
        ['/admin/limits/lockouts/clear', { csrf_token: token, key: `${serviceSid}:+14155550199` }],
        [`/admin/webhooks/deliveries/YD${'0'.repeat(32)}/retry`, { csrf_token: token }],
        ['/admin/sign-out', { csrf_token: token }],
        ['/admin/sign-in', { csrf_token: signIn, account_sid: v.accountSid, auth_token: v.authToken }],
      ];
      for (const origin of ['http://[', 'null', 'garbage', 'http://', '://x', 'http://127.0.0.1:0:0', 'https://evil.example/path', `${browser.origin}, https://evil.example`, '\u00ff\u00fe', 'x'.repeat(5000)]) {
        for (const [path, form] of posts) {
          const res = await browser.post(path, form, { 'sec-fetch-site': null, origin });
          assert.equal(res.status, 403, `${path} with Origin ${origin.slice(0, 40)}: ${res.text.slice(0, 200)}`);
          assert.match(String(res.headers['content-type']), /^text\/html/, origin);
          assert.equal(res.setCookies.filter((c) => /session=[^;]/.test(c)).length, 0, 'no session from a refused post');
        }
      }
      assert.equal((await browser.get('/admin')).status, 200, 'the session is still open: sign-out was refused');
    });

    it('answers 404 for an unknown service', async () => {
      const res = await get('/admin/services/VA' + '0'.repeat(32));
      assert.equal(res.status, 404);
      assert.equal((await get('/admin/services/%3Cx%3E')).status, 404);
    });
  });
}
