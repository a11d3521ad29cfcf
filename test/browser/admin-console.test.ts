import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** The admin console in a real browser: it renders with its stylesheet and no CSP violation, on a desktop and a phone. */
describe('admin console in a browser', { skip: chromiumMissing }, () => {
  const { shot } = screenshotFolder('admin', 'admin console');
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;

  before(async () => {
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo shop' })).body.sid as string;
    await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'audit', EventTypes: '*', WebhookUrl: 'http://127.0.0.1:9/unreachable' });
    for (const [to, channel] of [['+14155550101', 'sms'], ['+14155550102', 'sms'], ['+14155550103', 'sms'], ['ann@example.com', 'email'], ['bob@example.com', 'email']] as const) {
      await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: channel });
    }
    for (const to of ['+14155550101', 'ann@example.com']) await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: await v.lastCode(to) });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 412, height: 915 }]] as const) {
    it(`renders the overview and the service page (${name})`, async () => {
      const context = await browser.newContext({ viewport, httpCredentials: { username: v.accountSid, password: v.authToken } });
      const page = await context.newPage();
      const problems: string[] = [];
      watchPage(page, problems);
      await page.goto(`${v.url}/admin`);
      assert.equal(await page.getByRole('link', { name: 'Demo shop' }).count(), 1);
      await shot(page, `${name}-overview`);
      await page.getByRole('link', { name: 'Demo shop' }).click();
      await page.waitForURL(`**/admin/services/${serviceSid}`);
      // The stylesheet applied (the chart is sized by it), and both charts are there.
      assert.equal(await page.locator('svg.chart').count(), 2);
      await shot(page, `${name}-service`);
      await page.getByLabel('Destination (exact or prefix)').fill('+1415555010');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/to=/);
      assert.equal(await page.locator('#verifications + form + div tbody tr').count(), 3);
      await shot(page, `${name}-search`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
