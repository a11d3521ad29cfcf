import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient } from './console-client.ts';

/**
 * Issue 17 security review (notes/i17-review-security.md): every operator action of the console is
 * refused when the browser says the post came from anywhere but the console's own pages (another
 * site, a sibling port of the same host, a sandboxed frame's `Origin: null`, a client sending no
 * Fetch Metadata or Origin at all), even with the session's CSRF token; a refused post changes
 * nothing and writes no audit entry. And an operator cannot act on another account's objects.
 */
describe('admin console: review-security (cross-site posts, other accounts)', () => {
  let v: TestVerity;
  let browser: ConsoleClient;
  let serviceSid: string;
  let clientSid: string;
  let other: { serviceSid: string; clientSid: string; keySid: string; webhookSid: string; clientName: string };

  const ZERO = '0'.repeat(32);
  const auditCount = async (accountSid: string) => (await v.ctx.stores.adminAudit.list(accountSid, { page: 0 })).rows.length;

  before(async () => {
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Review' })).body.sid as string;
    const client = await v.api('POST', `/v2/Services/${serviceSid}/HandoffClients`, { FriendlyName: 'Shop', ReturnUrl: 'http://localhost:9999/back' });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    clientSid = client.body.sid as string;

    // Another account with a service, a hand-off client, an API key and a webhook whose breaker is open.
    const b = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
    const as = { user: b.account.sid, password: b.authToken };
    const bService = (await v.api('POST', '/v2/Services', { FriendlyName: 'Theirs' }, as)).body.sid as string;
    const bClient = await v.api('POST', `/v2/Services/${bService}/HandoffClients`, { FriendlyName: 'Their shop', ReturnUrl: 'http://localhost:9999/back' }, as);
    const bKey = await v.api('POST', `/2010-04-01/Accounts/${b.account.sid}/Keys.json`, { FriendlyName: 'their key' }, as);
    assert.equal(bKey.status, 201, JSON.stringify(bKey.body));
    const bHook = await v.api('POST', `/v2/Services/${bService}/Webhooks`, { FriendlyName: 'hook', EventTypes: '*', WebhookUrl: 'https://hooks.example/x', Status: 'enabled' }, as);
    assert.equal(bHook.status, 201, JSON.stringify(bHook.body));
    await v.ctx.db.kysely.updateTable('webhooks').set({ breaker_failures: 3, breaker_open_until: v.ctx.clock.now() + 3_600_000 } as never).where('sid', '=', bHook.body.sid as string).execute();
    other = { serviceSid: bService, clientSid: bClient.body.sid as string, keySid: bKey.body.sid as string, webhookSid: bHook.body.sid as string, clientName: 'Their shop' };

    browser = new ConsoleClient(v.url);
    assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
  });
  after(async () => v?.close());

  it('refuses every console action posted from outside its pages, token or not, and records nothing', async () => {
    const csrf = ConsoleClient.csrfOf(await browser.get('/admin/keys'));
    const actions: Array<[string, Record<string, string>]> = [
      ['/admin/keys', { friendly_name: 'pwned' }],
      [`/admin/keys/SK${ZERO}/revoke`, {}],
      [`/admin/services/${serviceSid}/settings`, { FriendlyName: 'Pwned' }],
      [`/admin/services/${serviceSid}/authy/key`, {}],
      [`/admin/services/${serviceSid}/authy/revoke`, {}],
      [`/admin/handoff-clients/${clientSid}`, { FriendlyName: 'Pwned', PrimaryColor: '#000000' }],
      [`/admin/entities/YE${ZERO}/factors/YF${ZERO}/delete`, {}],
      [`/admin/entities/YE${ZERO}/factors/YF${ZERO}/reset`, {}],
      [`/admin/entities/YE${ZERO}/recovery-codes/revoke`, {}],
      ['/admin/limits/lockouts/clear', { key: `entity:YE${ZERO}`, from: 'limits' }],
      [`/admin/webhooks/deliveries/WD${ZERO}/retry`, {}],
      [`/admin/webhooks/WH${ZERO}/breaker/reset`, {}],
      ['/admin/sign-out', {}],
    ];
    const hostile: Record<string, Record<string, string | null>> = {
      'another site': { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      'a sibling port of this host (same-site)': { origin: 'http://localhost:1', 'sec-fetch-site': 'same-site' },
      'a sandboxed frame (Origin: null)': { origin: 'null', 'sec-fetch-site': 'cross-site' },
      'Origin: null without Fetch Metadata': { origin: 'null', 'sec-fetch-site': null },
      'no Origin, no Fetch Metadata': { origin: null, 'sec-fetch-site': null },
      'another origin without Fetch Metadata': { origin: 'https://evil.example', 'sec-fetch-site': null },
      'a typed URL (Sec-Fetch-Site: none)': { 'sec-fetch-site': 'none' },
    };
    const audited = await auditCount(v.accountSid);
    for (const [path, fields] of actions) {
      for (const [who, headers] of Object.entries(hostile)) {
        const answer = await browser.post(path, { csrf_token: csrf, ...fields }, headers);
        assert.equal(answer.status, 403, `${path} from ${who}`);
      }
    }
    assert.equal(await auditCount(v.accountSid), audited, 'a refused post writes no audit entry');
    const keys = await v.api('GET', `/2010-04-01/Accounts/${v.accountSid}/Keys.json`);
    assert.equal((keys.body.keys as unknown[]).length, 0, 'no key was created');
    assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/HandoffClients/${clientSid}`)).body.friendly_name, 'Shop');
    assert.equal((await browser.get('/admin')).status, 200, 'still signed in: the sign-out was refused too');
  });

  it('cannot act on another account\'s hand-off client, service, API key or webhook', async () => {
    const csrf = ConsoleClient.csrfOf(await browser.get('/admin/keys'));
    assert.equal((await browser.get(`/admin/handoff-clients/${other.clientSid}`)).status, 404);
    assert.equal((await browser.post(`/admin/handoff-clients/${other.clientSid}`, { csrf_token: csrf, version: '0', FriendlyName: 'Pwned' })).status, 404);
    assert.equal((await browser.post(`/admin/services/${other.serviceSid}/settings`, { csrf_token: csrf, FriendlyName: 'Pwned' })).status, 404);
    assert.equal((await browser.post(`/admin/services/${other.serviceSid}/authy/key`, { csrf_token: csrf })).status, 404);
    assert.equal((await browser.post(`/admin/keys/${other.keySid}/revoke`, { csrf_token: csrf })).location, '/admin/keys?done=not-revoked');
    assert.equal((await browser.post(`/admin/webhooks/${other.webhookSid}/breaker/reset`, { csrf_token: csrf })).location, '/admin/webhooks?done=breaker-not-reset');

    const client = await v.ctx.stores.handoffClients.get(other.clientSid);
    assert.equal(client?.friendly_name, other.clientName);
    assert.ok(await v.ctx.stores.apiKeys.newest(client?.account_sid as string), 'their key is still there');
    const hook = await v.ctx.db.kysely.selectFrom('webhooks').selectAll().where('sid', '=', other.webhookSid).executeTakeFirst();
    assert.equal((hook as unknown as { breaker_failures: number }).breaker_failures, 3, 'their breaker is still open');
    assert.equal((await v.ctx.stores.adminAudit.list(v.accountSid, { page: 0 })).rows.filter((r) => r.action !== 'session.sign_in').length, 0, 'nothing done, nothing recorded');
  });
});
