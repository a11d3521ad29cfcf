import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient, type ConsoleResponse } from './console-client.ts';
import { cspDirectives } from '../support/csp.ts';

const SESSION = '__Host-verity-admin-session';
const SIGN_IN = '__Host-verity-admin-sign-in';
const basic = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const errorOf = (page: ConsoleResponse) => /<p id="sign-in-error" class="error" role="alert">([^<]*)<\/p>/.exec(page.text)?.[1];

/**
 * Finding 1 of issue 11, console side: the console signs in through its own form, never with HTTP
 * Basic (a browser replays Basic credentials to every path of the origin, the API included).
 */
for (const database of DATABASES) {
  describe(`admin sign-in (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;

    before(async () => {
      // Many sign-ins from one IP here; throttling has its own suite below.
      v = await startVerity({ env: { VERITY_ADMIN_SIGN_IN_BURST: '1000' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
    });
    after(async () => v?.close());

    it('never challenges with WWW-Authenticate, and Basic credentials do not sign in', async () => {
      const browser = new ConsoleClient(v.url);
      const authorization = basic(v.accountSid, v.authToken);
      const token = await browser.signInToken();
      const responses = [
        await browser.get('/admin', { authorization }),
        await browser.get(`/admin/services/${serviceSid}`, { authorization }),
        await browser.get('/admin/sign-in', { authorization }),
        await browser.get('/admin/assets/admin.css'),
        await browser.post('/admin/limits/lockouts/clear', { key: `${serviceSid}:+14155550100` }, { authorization }),
        await browser.post('/admin/sign-out', {}, { authorization }),
        await browser.post('/admin/sign-in', { csrf_token: token, account_sid: v.accountSid, auth_token: 'wrong' }, { authorization }),
        await browser.get('/admin/nope', { authorization }),
      ];
      for (const res of responses) {
        assert.equal(res.headers['www-authenticate'], undefined, `${res.status} ${res.text.slice(0, 80)}`);
        assert.notEqual(res.status, 401);
        assert.ok(!res.text.includes(serviceSid), 'no account data without a session');
      }
      assert.equal(responses[0]?.status, 303);
      assert.equal(responses[0]?.location, '/admin/sign-in?next=%2Fadmin');
      assert.equal(browser.cookie(SESSION), undefined, 'Basic credentials opened no session');
    });

    it('signs in through the form: a session cookie that is __Host-, HttpOnly, SameSite=Strict, Secure, Path=/; only its digest is stored', async () => {
      const browser = new ConsoleClient(v.url);
      const form = await browser.get('/admin/sign-in?next=%2Fadmin%2Fservices%2F' + serviceSid);
      assert.equal(form.status, 200);
      assert.deepEqual(cspDirectives(form.headers['content-security-policy']).get('default-src'), ["'none'"]);
      assert.doesNotMatch(form.text, /<script/i);
      assert.match(form.text, /<input id="account_sid" name="account_sid" type="text" value="" autocomplete="username"/);
      assert.match(form.text, /<input id="auth_token" name="auth_token" type="password" autocomplete="current-password"/);
      assert.match(form.text, new RegExp(`name="next" value="/admin/services/${serviceSid}"`));
      const signInCookie = form.setCookies.find((c) => c.startsWith(`${SIGN_IN}=`)) ?? '';
      assert.match(signInCookie, /^__Host-verity-admin-sign-in=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);

      const res = await browser.signIn(v.accountSid, v.authToken, `/admin/services/${serviceSid}`);
      assert.equal(res.status, 303, res.text);
      assert.equal(res.location, `/admin/services/${serviceSid}`);
      const line = res.setCookies.find((c) => c.startsWith(`${SESSION}=`)) ?? '';
      assert.match(line, /^__Host-verity-admin-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/, line);
      assert.ok(res.setCookies.some((c) => c.startsWith(`${SIGN_IN}=;`) && c.includes('Max-Age=0')), 'the sign-in cookie is dropped');
      const id = browser.cookie(SESSION) ?? '';
      const rows = await v.ctx.db.kysely.selectFrom('admin_sessions').selectAll().execute();
      assert.ok(rows.length >= 1, 'a session row');
      assert.ok(!JSON.stringify(rows).includes(id), 'the session id itself is not stored');
      const page = await browser.get(`/admin/services/${serviceSid}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Shop<\/h1>/);
      assert.match(page.text, /<form method="post" action="\/admin\/sign-out"/);
    });

    it('says the console needs HTTPS when its Secure cookie would be dropped (plain http to a non-loopback host)', async () => {
      const page = await new ConsoleClient(v.url).get('/admin/sign-in', { host: 'verity.example.com' });
      assert.match(page.text, /role="status">This console needs HTTPS outside development/);
      assert.doesNotMatch((await new ConsoleClient(v.url).get('/admin/sign-in')).text, /needs HTTPS/, 'not on loopback');
    });

    it('refuses wrong credentials with the same answer whether or not the Account SID exists', async () => {
      const second = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      await v.ctx.db.kysely.updateTable('accounts').set({ status: 'suspended' }).where('sid', '=', second.account.sid).execute();
      const errors = new Set<string | undefined>();
      for (const [sid, token] of [
        [v.accountSid, 'wrong'],
        [v.accountSid, ''],
        [v.accountSid, v.authToken.slice(0, -1)],
        [`AC${'0'.repeat(32)}`, v.authToken],
        ['not-a-sid', v.authToken],
        ['', ''],
        [second.account.sid, second.authToken],
      ] as const) {
        const browser = new ConsoleClient(v.url);
        const res = await browser.signIn(sid, token);
        assert.equal(res.status, 400, `${sid}: ${res.text.slice(0, 200)}`);
        assert.equal(browser.cookie(SESSION), undefined);
        assert.match(res.text, /aria-invalid="true" aria-describedby="sign-in-error"/);
        assert.ok(!res.text.includes(token) || token === '', 'the token is never echoed');
        errors.add(errorOf(res));
      }
      assert.equal(errors.size, 1, [...errors].join(' | '));
      assert.ok([...errors][0]?.includes('do not match'), 'a plain error next to the fields');
    });

    it('refuses a sign-in post from another site, without or with a wrong CSRF token, or without the sign-in cookie', async () => {
      const cases: Array<[string, (b: ConsoleClient, token: string) => Promise<ConsoleResponse>]> = [
        ['cross-site', (b, token) => b.post('/admin/sign-in', { csrf_token: token, account_sid: v.accountSid, auth_token: v.authToken }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })],
        ['Origin of another site', (b, token) => b.post('/admin/sign-in', { csrf_token: token, account_sid: v.accountSid, auth_token: v.authToken }, { 'sec-fetch-site': null, origin: 'https://evil.example' })],
        ['neither header', (b, token) => b.post('/admin/sign-in', { csrf_token: token, account_sid: v.accountSid, auth_token: v.authToken }, { 'sec-fetch-site': null, origin: null })],
        ['no token', (b) => b.post('/admin/sign-in', { account_sid: v.accountSid, auth_token: v.authToken })],
        ['wrong token', (b, token) => b.post('/admin/sign-in', { csrf_token: token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), account_sid: v.accountSid, auth_token: v.authToken })],
        ['no sign-in cookie', (b, token) => {
          b.cookies.clear();
          return b.post('/admin/sign-in', { csrf_token: token, account_sid: v.accountSid, auth_token: v.authToken });
        }],
      ];
      for (const [name, attempt] of cases) {
        const browser = new ConsoleClient(v.url);
        const res = await attempt(browser, await browser.signInToken());
        assert.equal(res.status, 403, name);
        assert.equal(browser.cookie(SESSION), undefined, name);
      }
    });

    it('answers odd forms and queries with the console\'s own pages, never the API\'s JSON errors', async () => {
      const browser = new ConsoleClient(v.url);
      const token = await browser.signInToken();
      const repeated = new URLSearchParams([['csrf_token', token], ['csrf_token', token], ['account_sid', v.accountSid], ['auth_token', v.authToken]]);
      const odd = [
        ['repeated csrf_token', 403, await browser.post('/admin/sign-in', repeated)],
        ['JSON array', 403, await browser.postBody('/admin/sign-in', '[1,2]', 'application/json')],
        ['JSON with a numeric token', 403, await browser.postBody('/admin/sign-in', JSON.stringify({ csrf_token: 7 }), 'application/json')],
        ['empty body', 403, await browser.postBody('/admin/sign-in', '', 'application/x-www-form-urlencoded')],
        ['repeated reason and next', 200, await browser.get('/admin/sign-in?reason=expired&reason=x&next=%2Fadmin&next=%2Fadmin')],
      ] as const;
      for (const [name, status, res] of odd) {
        assert.equal(res.status, status, `${name}: ${res.text.slice(0, 120)}`);
        assert.match(String(res.headers['content-type']), /^text\/html/, name);
        assert.equal(browser.cookie(SESSION), undefined, name);
      }
      // Signed in: the same for the console's own forms and queries.
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
      const page = await browser.get(`/admin/services/${serviceSid}?page=1&page=2&to=a&to=b&done=cleared&done=x`);
      assert.equal(page.status, 200, page.text.slice(0, 120));
      const csrf = ConsoleClient.csrfOf(page);
      const clear = await browser.post('/admin/limits/lockouts/clear', new URLSearchParams([['csrf_token', csrf], ['key', `${serviceSid}:+14155550100`], ['key', `${serviceSid}:+14155550101`]]));
      assert.equal(clear.status, 303, 'a repeated key clears nothing, and says so');
      assert.equal(clear.location, '/admin/limits?done=not-cleared');
      const stray = await browser.postBody('/admin/sign-out', JSON.stringify({ csrf_token: [csrf] }), 'application/json');
      assert.equal(stray.status, 403, 'a token in the wrong shape is no token');
      assert.match(String(stray.headers['content-type']), /^text\/html/);
      assert.equal((await browser.post('/admin/sign-out', { csrf_token: csrf, extra: 'ignored' })).status, 303, 'a field the console does not read is ignored');
    });

    it('goes after sign-in only to a local /admin path (no open redirect)', async () => {
      for (const [next, expected] of [
        [`/admin/services/${serviceSid}?to=%2B1415`, `/admin/services/${serviceSid}?to=%2B1415`],
        ['https://evil.example/admin', '/admin'],
        ['//evil.example/admin', '/admin'],
        ['/\\evil.example', '/admin'],
        ['/admin/../v2/Services', '/admin'],
        ['/admin/%2e%2e/%2e%2e/x', '/admin'],
        ['/administrator', '/admin'],
        ['javascript:alert(1)', '/admin'],
      ]) {
        const browser = new ConsoleClient(v.url);
        const res = await browser.signIn(v.accountSid, v.authToken, next);
        assert.equal(res.status, 303, next);
        assert.equal(res.location, expected, next);
      }
      // The sign-in page itself never reflects an unchecked `next` either.
      const page = await new ConsoleClient(v.url).get('/admin/sign-in?next=' + encodeURIComponent('//evil.example'));
      assert.match(page.text, /name="next" value="\/admin"/);
    });
  });
}

describe('admin sign-in throttling (database token buckets)', () => {
  let v: TestVerity;
  const BURST = 3;

  before(async () => {
    // One attempt back per hour per bucket, so only the burst counts within the test.
    v = await startVerity({ manualClock: true, env: { VERITY_ADMIN_SIGN_IN_BURST: String(BURST), VERITY_ADMIN_SIGN_IN_PER_HOUR: '1' } });
  });
  after(async () => v?.close());

  const attempt = async (ip: string, sid: string, token: string) => new ConsoleClient(v.url, ip).signIn(sid, token);

  it('limits wrong attempts per Account SID, from any IP, with the same answer whether or not the SID exists', async () => {
    const unknown = `AC${'1'.repeat(32)}`;
    for (const sid of [v.accountSid, unknown]) {
      for (let i = 0; i < BURST; i++) assert.equal((await attempt(`127.0.1.${i + 1}`, sid, 'wrong')).status, 400);
      // From fresh IPs: the account's bucket of failures is empty, so a wrong token answers 429.
      for (const ip of ['127.0.1.100', '127.0.1.101']) {
        const throttled = await attempt(ip, sid, 'wrong');
        assert.equal(throttled.status, 429, sid);
        assert.match(String(throttled.headers['retry-after']), /^\d+$/);
        assert.match(errorOf(throttled) ?? '', /^Too many sign-in attempts\. Try again in \d+ minutes?\.$/);
      }
    }
    // Another account from that IP is unaffected.
    const second = await createAccount(v.ctx.stores, v.ctx.keyring, 'Second', v.ctx.clock.now());
    assert.equal((await attempt('127.0.1.201', second.account.sid, second.authToken)).status, 303);
  });

  it('never refuses the right Auth Token because of others\' failures on its Account SID (no lock-out by SID)', async () => {
    const victim = await createAccount(v.ctx.stores, v.ctx.keyring, 'Victim', v.ctx.clock.now());
    // An attacker who knows only the SID spends its bucket from many IPs, and keeps at it.
    for (let i = 0; i < BURST + 3; i++) await attempt(`127.0.4.${i + 1}`, victim.account.sid, 'wrong');
    assert.equal((await attempt('127.0.4.100', victim.account.sid, 'still-wrong')).status, 429, 'the attacker is held back');
    // The operator, from their own IP, signs in at once: the token is 256 bits, the SID limit only stops noise.
    const operator = await attempt('127.0.4.200', victim.account.sid, victim.authToken);
    assert.equal(operator.status, 303, errorOf(operator));
    // Concurrent wrong attempts from many IPs: exactly the burst is answered as wrong, the rest 429.
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(`127.0.5.${i + 1}`, victim.account.sid, 'wrong')));
    const statuses = burst.map((r) => r.status).sort();
    assert.deepEqual(statuses, [...Array(BURST).fill(400), ...Array(8 - BURST).fill(429)], statuses.join(','));
    assert.equal((await attempt('127.0.5.100', victim.account.sid, victim.authToken)).status, 303, 'and the right token still signs in');
  });

  it('limits attempts per client IP, whatever the Account SID', async () => {
    const ip = '127.0.2.1';
    for (let i = 0; i < BURST; i++) assert.equal((await attempt(ip, `AC${'b'.repeat(31)}${i}`, 'wrong')).status, 400);
    assert.equal((await attempt(ip, v.accountSid, v.authToken)).status, 429, 'the IP is out of attempts, even for right credentials');
    assert.equal((await attempt('127.0.2.2', v.accountSid, v.authToken)).status, 303, 'another IP signs in');
  });

  it('lets no more than the burst through when the attempts arrive at once', async () => {
    const ip = '127.0.3.1';
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(ip, `AC${'a'.repeat(31)}${i.toString(16)}`, 'wrong')));
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 400).length, BURST, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 12 - BURST, statuses.join(','));
  });
});
