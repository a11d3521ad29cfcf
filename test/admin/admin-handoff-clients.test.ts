import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient } from './console-client.ts';

/** The console's hand-off clients: listed per service, one client's return URLs and branding; another account's is not found. */
describe('admin console: hand-off clients', () => {
  let v: TestVerity;
  let browser: ConsoleClient;
  let clientSid: string;
  let other: ConsoleClient;

  before(async () => {
    v = await startVerity();
    const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' });
    const client = await v.api('POST', `/v2/Services/${service.body.sid as string}/HandoffClients`, { FriendlyName: 'Shop app', ReturnUrl: 'https://shop.example.com/back' });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    clientSid = client.body.sid as string;
    // The API refuses markup in a name; the console must still escape whatever is stored.
    await v.ctx.db.kysely.updateTable('handoff_clients').set({ friendly_name: 'Shop <app>' }).where('sid', '=', clientSid).execute();
    browser = new ConsoleClient(v.url);
    assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
    const second = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
    other = new ConsoleClient(v.url);
    assert.equal((await other.signIn(second.account.sid, second.authToken)).status, 303);
  });
  after(async () => v?.close());

  it('lists the clients of each service, escaped', async () => {
    const page = await browser.get('/admin/handoff-clients');
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`<a href="/admin/handoff-clients/${clientSid}">Shop &lt;app&gt;</a>`));
    assert.match(page.text, /Verity default/);
    assert.doesNotMatch((await other.get('/admin/handoff-clients')).text, /Shop &lt;app&gt;/);
  });

  it('shows one client\'s return URLs and, when set, its branding', async () => {
    let page = await browser.get(`/admin/handoff-clients/${clientSid}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<code>https:\/\/shop\.example\.com\/back<\/code>/);
    assert.match(page.text, /No branding/);
    await v.ctx.db.kysely.updateTable('handoff_clients').set({ primary_color: '#1a7f37', support_url: 'https://shop.example.com/help' }).where('sid', '=', clientSid).execute();
    page = await browser.get(`/admin/handoff-clients/${clientSid}`);
    assert.match(page.text, /<rect width="16" height="16" rx="3" fill="#1a7f37"/);
    assert.match(page.text, /<code>https:\/\/shop\.example\.com\/help<\/code>/);
  });

  it('answers 404 for another account\'s client and a malformed SID', async () => {
    assert.equal((await other.get(`/admin/handoff-clients/${clientSid}`)).status, 404);
    assert.equal((await browser.get('/admin/handoff-clients/HCnope')).status, 404);
  });
});
