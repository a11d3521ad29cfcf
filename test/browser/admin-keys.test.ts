import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { openConsolePage } from '../support/console-browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * The console's API keys page in Chromium: create a key (its secret shown once, and working with
 * HTTP Basic SK:secret), see it listed without the secret, revoke it (refused from the next
 * request). Every post carries Chromium's own Origin and Sec-Fetch-Site; a post without the page's
 * Origin, or without its CSRF token, changes nothing.
 */
describe('API keys in the admin console, in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-keys', 'admin console: API keys');
  let v: TestVerity;
  let browser: Browser;

  before(async () => {
    v = await startVerity();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('creates a key (secret shown once), lists it, revokes it', async () => {
    const { context, page, problems, posts } = await openConsolePage(browser);

    await page.goto(`${v.url}/admin/keys`);
    await checkAndShoot(page, folder, 'sign-in');
    await page.getByLabel('Account SID').fill(v.accountSid);
    await page.getByLabel('Auth Token').fill(v.authToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${v.url}/admin/keys`);
    assert.match(await page.locator('main').innerText(), /This account has no API keys/);
    await checkAndShoot(page, folder, 'empty');

    await page.getByLabel('Friendly name').fill('deploy bot');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.locator('#new-key-secret').waitFor();
    const sid = await page.locator('#new-key-sid').innerText();
    const secret = await page.locator('#new-key-secret').innerText();
    assert.match(sid, /^SK[0-9a-f]{32}$/);
    assert.match(secret, /^[A-Za-z0-9]{32}$/);
    await checkAndShoot(page, folder, 'created');
    const create = posts.find((p) => p.url() === `${v.url}/admin/keys`);
    assert.ok(create, 'the create form was posted');
    const headers = await create.allHeaders();
    assert.equal(headers.origin, new URL(v.url).origin, 'Chromium\'s real Origin');
    assert.equal(headers['sec-fetch-site'], 'same-origin');

    // The key works as HTTP Basic SK:secret.
    assert.equal((await v.api('GET', '/v2/Services', undefined, { user: sid, password: secret })).status, 200);

    // Listed, never with its secret again.
    await page.goto(`${v.url}/admin/keys`);
    const row = page.locator('tbody tr', { hasText: sid });
    assert.match(await row.innerText(), /deploy bot/);
    assert.equal((await page.content()).includes(secret), false, 'the secret is not shown again');
    await checkAndShoot(page, folder, 'listed');

    // Cross-site and token-less posts change nothing (the same protection as every console form).
    const crossSite = await fetch(`${v.url}/admin/keys/${sid}/revoke`, { method: 'POST', redirect: 'manual', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf_token=x' });
    assert.equal(crossSite.status, 403);
    const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const noToken = await fetch(`${v.url}/admin/keys/${sid}/revoke`, { method: 'POST', redirect: 'manual', headers: { origin: new URL(v.url).origin, cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf_token=wrong' });
    assert.equal(noToken.status, 403);
    const noTokenCreate = await fetch(`${v.url}/admin/keys`, { method: 'POST', redirect: 'manual', headers: { origin: new URL(v.url).origin, cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, body: 'friendly_name=forged' });
    assert.equal(noTokenCreate.status, 403);
    assert.equal((await v.ctx.stores.apiKeys.list(v.accountSid, { limit: 10, offset: 0 })).length, 1, 'nothing created or revoked by those');
    assert.equal((await v.api('GET', '/v2/Services', undefined, { user: sid, password: secret })).status, 200);

    await row.getByRole('button', { name: `Revoke ${sid}` }).click();
    await page.waitForURL(`${v.url}/admin/keys?done=revoked`);
    assert.match(await page.getByRole('status').innerText(), /revoked/);
    assert.equal(await page.locator('tbody tr', { hasText: sid }).count(), 0);
    await checkAndShoot(page, folder, 'revoked');
    const revoke = posts.find((p) => p.url().endsWith(`/admin/keys/${sid}/revoke`));
    assert.ok(revoke, 'the revoke form was posted');
    assert.equal((await revoke.allHeaders()).origin, new URL(v.url).origin);
    const refused = await v.api('GET', '/v2/Services', undefined, { user: sid, password: secret });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 20003);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
