import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * Finding 1 of issue 11, API side: a page on another site makes the operator's browser post a form to
 * /v2 with credentials the browser holds for Verity's origin. The browser marks such a request
 * (`Sec-Fetch-Site: cross-site`, `Origin: https://evil.example`); Verity refuses it before anything
 * happens, while server-to-server clients (which send neither header) keep working.
 */
for (const database of DATABASES) {
  describe(`the /v2 API refuses browser cross-site requests (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    const basic = () => 'Basic ' + Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64');

    /** A form post as a browser sends it: valid Basic credentials (cached by the browser) plus `headers`. */
    const formPost = async (path: string, form: Record<string, string>, headers: Record<string, string>) => {
      const res = await fetch(v.url + path, { method: 'POST', headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
      const text = await res.text();
      return { status: res.status, text, json: (() => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return undefined; } })() };
    };

    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
    });
    after(async () => v?.close());

    const CROSS_SITE: Array<[string, Record<string, string>]> = [
      ['a cross-site form (Chromium)', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }],
      ['Origin of another site only', { origin: 'https://evil.example' }],
      ['Sec-Fetch-Site cross-site only', { 'sec-fetch-site': 'cross-site' }],
      ['a sibling subdomain (same-site)', { 'sec-fetch-site': 'same-site', origin: 'https://a.evil.example' }],
      ['an opaque origin (sandboxed frame, data: URL)', { origin: 'null' }],
      ['a malformed Origin', { origin: 'http://[' }],
      ['a garbage Origin', { origin: '\u00ff\u00fe garbage' }],
      ['Verity\'s host on another scheme', { origin: 'https://127.0.0.1' }],
      ['two Origin values', { origin: 'https://evil.example, http://127.0.0.1' }],
    ];

    it('refuses a cross-site rename of a service with 403 / 20403 and renames nothing', async () => {
      for (const [name, headers] of CROSS_SITE) {
        const res = await formPost(`/v2/Services/${serviceSid}`, { FriendlyName: 'Pwned' }, headers);
        assert.equal(res.status, 403, `${name}: ${res.text}`);
        assert.equal(res.json?.code, 20403, name);
        assert.equal(res.json?.status, 403, name);
        assert.equal(typeof res.json?.message, 'string', name);
        assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).body.friendly_name, 'Shop', name);
      }
    });

    it('refuses a cross-site webhook creation and creates none', async () => {
      for (const [name, headers] of CROSS_SITE) {
        const res = await formPost(`/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'exfil', EventTypes: '*', WebhookUrl: 'https://evil.example/hook' }, headers);
        assert.equal(res.status, 403, `${name}: ${res.text}`);
      }
      assert.deepEqual((await v.api('GET', `/v2/Services/${serviceSid}/Webhooks`)).body.webhooks, []);
    });

    it('refuses a cross-site approval of a pending verification; it stays pending', async () => {
      const to = '+14155550123';
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' })).status, 201);
      const sid = (await v.ctx.db.kysely.selectFrom('verifications').select('sid').where('service_sid', '=', serviceSid).executeTakeFirstOrThrow()).sid;
      for (const [name, headers] of CROSS_SITE) {
        const res = await formPost(`/v2/Services/${serviceSid}/Verifications/${sid}`, { Status: 'approved' }, headers);
        assert.equal(res.status, 403, `${name}: ${res.text}`);
        const check = await formPost(`/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: await v.lastCode(to) }, headers);
        assert.equal(check.status, 403, `${name}: ${check.text}`);
      }
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/Verifications/${sid}`)).body.status, 'pending');
    });

    it('refuses cross-site reads too, and without credentials answers 403 before any Basic challenge', async () => {
      const res = await fetch(`${v.url}/v2/Services`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('www-authenticate'), null, 'a cross-site request never triggers the browser\'s credentials dialog');
      assert.equal(((await res.json()) as { code: number }).code, 20403);
    });

    it('accepts the same requests without browser headers (server to server), and from Verity\'s own pages', async () => {
      const own = new URL(v.url).origin;
      for (const headers of [{}, { 'sec-fetch-site': 'same-origin', origin: own }, { 'sec-fetch-site': 'none' }, { origin: own }, { 'sec-fetch-mode': 'cors' }] as Array<Record<string, string>>) {
        const res = await formPost(`/v2/Services/${serviceSid}`, { FriendlyName: 'Renamed' }, headers);
        assert.equal(res.status, 200, `${JSON.stringify(headers)}: ${res.text}`);
      }
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).body.friendly_name, 'Renamed');
      const to = '+14155550124';
      await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms' });
      const approved = await formPost(`/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: await v.lastCode(to) }, {});
      assert.equal(approved.json?.status, 'approved', approved.text);
      // The official twilio client sends neither header either.
      assert.equal((await v.client.verify.v2.services(serviceSid).fetch()).friendlyName, 'Renamed');
    });
  });
}
