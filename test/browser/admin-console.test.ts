import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = resolve('test-results/screenshots/admin');

/** The admin console in a real browser: it renders with its stylesheet and no CSP violation, on a desktop and a phone. */
describe('admin console in a browser', { skip: existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (apt-get install chromium)` }, () => {
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo shop' })).body.sid as string;
    await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'audit', EventTypes: '*', WebhookUrl: 'http://127.0.0.1:9/unreachable' });
    for (const [to, channel] of [['+14155550101', 'sms'], ['+14155550102', 'sms'], ['+14155550103', 'sms'], ['ann@example.com', 'email'], ['bob@example.com', 'email']] as const) {
      await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: channel });
    }
    for (const to of ['+14155550101', 'ann@example.com']) await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: await v.lastCode(to) });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    console.log(`admin console screenshots: ${SCREENSHOTS}`);
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
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      await page.goto(`${v.url}/admin`);
      assert.equal(await page.getByRole('link', { name: 'Demo shop' }).count(), 1);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-overview.png`), fullPage: true });
      await page.getByRole('link', { name: 'Demo shop' }).click();
      await page.waitForURL(`**/admin/services/${serviceSid}`);
      // The stylesheet applied (the chart is sized by it), and both charts are there.
      assert.equal(await page.locator('svg.chart').count(), 2);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-service.png`), fullPage: true });
      await page.getByLabel('Destination (exact or prefix)').fill('+1415555010');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/to=/);
      assert.equal(await page.locator('#verifications + form + div tbody tr').count(), 3);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-search.png`), fullPage: true });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
});
