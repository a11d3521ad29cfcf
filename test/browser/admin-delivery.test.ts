import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Request } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';

const UK = '+447400123456';

/**
 * The failover demo as an operator plays it with no account anywhere: two simulated carriers for UK
 * numbers, the first reporting every code undelivered. Chromium shows the same code twice on the
 * virtual phone (first "Not delivered", then "Delivered"), the verification's timeline in the
 * console (sim-a undelivered, failover, sim-b delivered), and the Delivery page; then signs out
 * from that page with Chromium's own Origin.
 */
describe('delivery in the admin console and the virtual phone, in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-delivery', 'admin console: delivery');
  const { shot } = folder;
  const configDir = mkdtempSync(join(tmpdir(), 'verity-browser-delivery-'));
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;
  let verificationSid: string;

  before(async () => {
    const configFile = join(configDir, 'messaging.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        instances: {
          'sim-a': { plugin: 'simulator', settings: { VERITY_SIMULATOR_DELIVERY: '*=undelivered:30006', VERITY_SIMULATOR_LATENCY_MS: '200' } },
          'sim-b': { plugin: 'simulator', settings: { VERITY_SIMULATOR_LATENCY_MS: '200' } },
        },
        routes: [{ id: 'uk-sms', channel: 'sms', prefixes: ['+44'], targets: [{ instance: 'sim-a', tier: 1 }, { instance: 'sim-b', tier: 2 }] }],
      }),
    );
    v = await startVerity({ env: { VERITY_MESSAGING_CONFIG: configFile } });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo shop' })).body.sid as string;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('shows the code failing over on the phone, its timeline and the Delivery page; signs out from there', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems);

    // The virtual phone, following the UK number before the code is sent.
    await page.goto(`${v.url}/phone`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#address', UK);
    await page.click('#address-form button[type="submit"]');
    await page.waitForSelector('#inbox-status:text("Live")');
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: UK, Channel: 'sms' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    verificationSid = created.body.sid as string;
    const code = await v.lastCode(UK);
    // Live status changes: sim-a's message ends "Not delivered", sim-b's (the same code) "Delivered".
    await page.locator('#messages li[data-status="undelivered"] .delivery', { hasText: 'Not delivered (carrier error 30006)' }).waitFor({ timeout: 10_000 });
    await page.locator('#messages li[data-status="delivered"] .delivery', { hasText: 'Delivered' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#messages li mark.code', { hasText: code }).count(), 2, 'the same code, twice');
    await shot(page, 'phone-failover');
    await waitUntil('both attempts are final', async () => {
      const rows = await v.ctx.db.kysely.selectFrom('delivery_attempts').select('status').where('verification_sid', '=', verificationSid).execute();
      return rows.length === 2 && rows.every((r) => r.status === 'delivered' || r.status === 'undelivered');
    });

    // The console: sign in, open the verification from the service page.
    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request);
    });
    await page.goto(`${v.url}/admin/services/${serviceSid}`);
    await page.getByLabel('Account SID').fill(v.accountSid);
    await page.getByLabel('Auth Token').fill(v.authToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${v.url}/admin/services/${serviceSid}`);
    await page.getByRole('link', { name: `Delivery of ${verificationSid}` }).click();
    await page.waitForURL(`${v.url}/admin/services/${serviceSid}/verifications/${verificationSid}`);
    const attempts = page.locator('ol.timeline > li.attempt');
    assert.equal(await attempts.count(), 2);
    assert.match(await attempts.nth(0).innerText(), /Attempt 1 via sim-a\s+undelivered[\s\S]*30006 Landline or unreachable carrier[\s\S]*Failover: the carrier reported it not delivered/);
    assert.match(await attempts.nth(1).innerText(), /Attempt 2 via sim-b\s+delivered[\s\S]*0\.0079 USD/);
    // The stylesheet applied: the timeline's markers are drawn.
    assert.equal(await attempts.nth(1).evaluate((li) => getComputedStyle(li, '::before').content), '""');
    await checkAndShoot(page, folder, 'verification-timeline');

    // The Delivery page from the header: this account's rates per provider and country, the route, the breakers.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Delivery' }).click();
    await page.waitForURL(`${v.url}/admin/delivery`);
    assert.match(await page.locator('tr[data-provider="sim-a"][data-country="GB"]').innerText(), /\b1\s+0\s+1\s+0\s+0\s+0\s+1\s+0\.0%/);
    assert.match(await page.locator('tr[data-provider="sim-b"][data-country="GB"]').innerText(), /\b1\s+1\s+0\s+0\s+0\s+0\s+0\s+100\.0%/);
    assert.match(await page.locator('tr[data-route="uk-sms"]').innerText(), /sim-a \(simulator\) tier 1[\s\S]*sim-b \(simulator\) tier 2/);
    assert.equal(await page.locator('tr[data-breaker="sim-a:GB"]').count(), 1);
    await page.getByLabel('Window').selectOption('168');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`${v.url}/admin/delivery?hours=168`);
    // Charts and tables of the Delivery page: axe-clean (scrollable tables are focusable regions), no sideways scroll at 375 px.
    assert.equal(await page.locator('svg[data-chart="chart-provider-rate"] g.chart-row').count(), 2);
    await checkAndShoot(page, folder, 'delivery-page');

    // A post from this page: Chromium's real Origin and Sec-Fetch-Site, and the page's CSRF token.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${v.url}/admin/sign-in?reason=signed-out`);
    const signOut = posts.find((p) => p.url().endsWith('/admin/sign-out'));
    assert.ok(signOut, 'the sign-out was posted');
    const headers = await signOut.allHeaders();
    assert.equal(headers.origin, new URL(v.url).origin);
    assert.equal(headers['sec-fetch-site'], 'same-origin');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
