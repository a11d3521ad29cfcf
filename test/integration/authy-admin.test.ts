import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConsoleClient } from '../admin/console-client.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** The console's Authy page: a key shown once on issue and rotation, revocation, forms protected like the console's others. */
describe('admin console: the Authy API key of a service', () => {
  let v: TestVerity;
  let serviceSid: string;
  let browser: ConsoleClient;
  const details = (key: string) => fetch(`${v.url}/authy/protected/json/app/details`, { headers: { 'X-Authy-API-Key': key } }).then((r) => r.status);
  const keyOf = (page: string): string => {
    const match = /id="new-authy-key-value">([A-Za-z0-9_-]{32})</.exec(page);
    assert.ok(match?.[1], 'the page shows the new key');
    return match[1];
  };

  before(async () => {
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
    browser = new ConsoleClient(v.url);
    assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
  });
  after(async () => v.close());

  it('links the page from the service page and shows no key before one is issued', async () => {
    const service = await browser.get(`/admin/services/${serviceSid}`);
    assert.match(service.text, new RegExp(`/admin/services/${serviceSid}/authy`));
    const page = await browser.get(`/admin/services/${serviceSid}/authy`);
    assert.equal(page.status, 200);
    assert.match(page.text, /none yet/);
    assert.match(page.text, /\/authy<\/code>/);
  });

  it('issues, rotates (the key shown once each time) and revokes', async () => {
    const token = ConsoleClient.csrfOf(await browser.get(`/admin/services/${serviceSid}/authy`));
    const issued = await browser.post(`/admin/services/${serviceSid}/authy/key`, { csrf_token: token });
    assert.equal(issued.status, 201);
    const first = keyOf(issued.text);
    assert.equal(await details(first), 200);
    const again = await browser.get(`/admin/services/${serviceSid}/authy`);
    assert.doesNotMatch(again.text, new RegExp(first), 'the key is not shown again');
    const rotated = await browser.post(`/admin/services/${serviceSid}/authy/key`, { csrf_token: token });
    const second = keyOf(rotated.text);
    assert.notEqual(second, first);
    assert.equal(await details(first), 401);
    assert.equal(await details(second), 200);
    const revoked = await browser.post(`/admin/services/${serviceSid}/authy/revoke`, { csrf_token: token });
    assert.equal(revoked.status, 303);
    assert.equal(await details(second), 401);
  });

  it('refuses a post without the session\'s CSRF token or from another origin', async () => {
    const token = ConsoleClient.csrfOf(await browser.get(`/admin/services/${serviceSid}/authy`));
    const noToken = await browser.post(`/admin/services/${serviceSid}/authy/key`, {});
    assert.equal(noToken.status, 403);
    const crossSite = await browser.post(`/admin/services/${serviceSid}/authy/key`, { csrf_token: token }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/AuthyApp`)).body.key_status, 'revoked', 'no key was issued by the refused posts');
  });

  it('answers 404 for a service of another account', async () => {
    assert.equal((await browser.get('/admin/services/VA00000000000000000000000000000000/authy')).status, 404);
  });
});
