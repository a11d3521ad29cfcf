import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConsoleClient, type ConsoleResponse } from '../admin/console-client.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * The console's key forms answer with the secret itself (no-store, no redirect), so Back or reload
 * sends the same form again: that must create no second API key and must not rotate the Authy key
 * just shown. Each form is pinned to the state it was shown with; a deliberate new submit still works.
 */
describe('admin console: a key form sent again (Back or reload) changes nothing', () => {
  let v: TestVerity;
  let console: ConsoleClient;
  const hidden = (page: ConsoleResponse, name: string): Record<string, string> => {
    const value = new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)?.[1];
    assert.ok(value, `the form has ${name}`);
    return { csrf_token: ConsoleClient.csrfOf(page), [name]: value };
  };

  before(async () => {
    v = await startVerity();
    console = new ConsoleClient(v.url);
    assert.equal((await console.signIn(v.accountSid, v.authToken)).status, 303);
  });
  after(async () => v.close());

  it('API keys: the same create form sent twice creates one key', async () => {
    const form = { ...hidden(await console.get('/admin/keys'), 'newest_key'), friendly_name: 'ci' };
    assert.equal((await console.post('/admin/keys', form)).status, 201);
    const again = await console.post('/admin/keys', form);
    assert.equal(again.status, 303);
    assert.equal(again.headers.location, '/admin/keys?done=stale');
    assert.equal((await v.ctx.stores.apiKeys.list(v.accountSid, { limit: 10, offset: 0 })).length, 1);
    // The page shown after the create (or any later one) creates the next key.
    const next = { ...hidden(await console.get('/admin/keys'), 'newest_key'), friendly_name: 'ci 2' };
    assert.equal((await console.post('/admin/keys', next)).status, 201);
    assert.equal((await v.ctx.stores.apiKeys.list(v.accountSid, { limit: 10, offset: 0 })).length, 2);
  });

  it('Authy: the same issue/rotate form sent twice leaves the key it showed working', async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
    const path = `/admin/services/${serviceSid}/authy`;
    const details = (key: string) => fetch(`${v.url}/authy/protected/json/app/details`, { headers: { 'X-Authy-API-Key': key } }).then((r) => r.status);
    const keyOf = (page: ConsoleResponse) => /id="new-authy-key-value">([A-Za-z0-9_-]{32})</.exec(page.text)?.[1] ?? '';
    for (const label of ['issue', 'rotate']) {
      const form = hidden(await console.get(path), 'key_state');
      const shown = await console.post(`${path}/key`, form);
      assert.equal(shown.status, 201, label);
      const again = await console.post(`${path}/key`, form);
      assert.equal(again.status, 303, label);
      assert.equal(again.headers.location, `${path}?done=stale`);
      assert.equal(await details(keyOf(shown)), 200, `the ${label}d key still works`);
    }
  });
});
