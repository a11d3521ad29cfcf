import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { openConsolePage, signInThroughForm } from '../support/console-browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * The console's second wave (issue 17) in Chromium: the overview's tiles and charts with real
 * refusals of the send gate (a country outside the service's list, the SMS-pumping cap), the service
 * page linking to the Limits and Webhooks pages instead of acting itself, and a hand-off client's
 * branding edited in the console (a contrast refusal at its field, then a save the API sees). Every
 * page is checked and shot at 1280 and 375 px; every post carries Chromium's own Origin.
 */
describe('admin console: overview charts, fraud blocks, hand-off branding, in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-polish', 'admin console: second wave');
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;
  let clientSid: string;

  before(async () => {
    v = await startVerity({ env: { VERITY_FRAUD_PREFIX_MAX_SENDS: '2' } });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme Bank', AllowedCountries: 'US,CA' })).body.sid as string;
    for (const to of ['+14155550101', '+14155550102', '+14155550103', '+14155550104', '+4915112345678', '+4915112345679', '+4915112345670']) {
      await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' });
    }
    await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: '+14155550101', Code: await v.lastCode('+14155550101') });
    await v.ctx.sendGate.refusalsRecorded();
    const client = await v.api('POST', `/v2/Services/${serviceSid}/HandoffClients`, { FriendlyName: 'Acme online banking', ReturnUrl: 'https://bank.example/return' });
    assert.equal(client.status, 201);
    clientSid = client.body.sid as string;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('shows the fraud blocks, links the service page to Limits and Webhooks, and edits a client\'s branding', async () => {
    // The refused branding answers 400 on purpose: documents are judged by their status.
    const { context, page, problems, posts } = await openConsolePage(browser, { ignoreFailedResourceLoads: true });

    await signInThroughForm(page, v, '/admin');
    // 3 numbers in Germany (not allowed) and 2 over the cap of +1415555 (2 sends): 5 refusals today.
    const tile = page.locator('.stat-tiles li', { hasText: 'Fraud blocks' });
    assert.match(await tile.innerText(), /Fraud blocks\s+5\s+Sends refused today/);
    const blocks = page.locator('#chart-blocks');
    assert.match(await blocks.locator('figcaption').innerText(), /Sends refused by the fraud guard per day/);
    assert.deepEqual(await blocks.locator('.chart-legend li').allInnerTexts(), ['SMS-pumping cap', 'Country not allowed', 'Per-number limit', 'Account send budget']);
    assert.equal(await blocks.locator('g[data-series="Country not allowed"] rect').getAttribute('data-value'), '3');
    assert.equal(await blocks.locator('g[data-series="SMS-pumping cap"] rect').getAttribute('data-value'), '2');
    assert.equal(await page.locator('#chart-conversion svg').count(), 1);
    assert.equal(await page.locator('#chart-provider-rate svg').count(), 1);
    await checkAndShoot(page, folder, 'overview');

    await page.getByRole('link', { name: 'Acme Bank', exact: true }).click();
    await page.waitForURL(`${v.url}/admin/services/${serviceSid}`);
    assert.equal(await page.getByRole('button', { name: 'Clear' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Limits page' }).getAttribute('href'), `/admin/limits?service=${serviceSid}`);
    await checkAndShoot(page, folder, 'service');

    await page.goto(`${v.url}/admin/handoff-clients/${clientSid}`);
    await page.getByLabel('Primary colour').fill('#7a7a7a');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await page.waitForURL(`${v.url}/admin/handoff-clients/${clientSid}`);
    assert.match(await page.getByRole('alert').innerText(), /Nothing was saved/);
    assert.equal(await page.getByLabel('Primary colour').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#brand-PrimaryColor-error').innerText(), /4\.5:1/);
    await checkAndShoot(page, folder, 'handoff-client-refused');
    await page.getByLabel('Primary colour').fill('#0b57d0');
    await page.getByLabel('Support link').fill('https://bank.example/help');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await page.waitForURL(`${v.url}/admin/handoff-clients/${clientSid}?done=saved`);
    assert.match(await page.getByRole('status').innerText(), /Branding saved/);
    const api = (await v.api('GET', `/v2/Services/${serviceSid}/HandoffClients/${clientSid}`)).body;
    assert.match(JSON.stringify(api), /#0b57d0/);
    await checkAndShoot(page, folder, 'handoff-client-saved');

    await page.goto(`${v.url}/admin/audit?action=handoff_client.update`);
    assert.match(await page.locator('main').innerText(), /handoff_client\.update/);
    await page.goto(`${v.url}/admin/delivery`);
    assert.equal(await page.locator('#chart-blocks svg').count(), 1);
    await checkAndShoot(page, folder, 'delivery');

    assert.equal(posts.length, 3, posts.map((p) => p.url()).join(', '));
    for (const post of posts) assert.equal((await post.allHeaders()).origin, new URL(v.url).origin, post.url());
    assert.deepEqual(problems, []);
    await context.close();
  });
});
