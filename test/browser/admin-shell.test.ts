import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ADMIN_SECTIONS } from '../../src/admin/admin-nav.ts';
import { chromiumMissing, launchChromium, screenshotFolder } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { openConsolePage } from '../support/console-browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** The sections this suite answers for (the others are built by other modules and have their own suites). */
const SHELL_SECTIONS = ['/admin', '/admin/handoff-clients', '/admin/keys', '/admin/audit'];

/**
 * The console's frame in Chromium, as an operator runs the service from it: sign in, every section
 * of the navigation, a search typed as people type numbers, the settings form (a refusal at its
 * field, then a save that the audit log shows), an API key created and revoked through the forms;
 * every page axe-clean and fitting 1280 px and 375 px (checkAndShoot). Chromium sends its own Origin
 * and Sec-Fetch-Site with every post.
 */
describe('admin console frame in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-shell', 'admin console frame');
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;
  let clientSid: string;

  before(async () => {
    v = await startVerity();
    const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Demo shop' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    serviceSid = created.body.sid as string;
    for (const to of ['+14155550123', '+14155550124', '+4915123456789']) {
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' })).status, 201);
    }
    const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: '+14155550123', Code: await v.lastCode('+14155550123') });
    assert.equal(check.body.status, 'approved');
    const client = await v.api('POST', `/v2/Services/${serviceSid}/HandoffClients`, { FriendlyName: 'Demo app', ReturnUrl: ['https://app.example.com/verity/return', 'http://localhost:3000/cb'] });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    clientSid = client.body.sid as string;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('signs in, walks every section, edits a setting, creates and revokes a key, and shows it all in the audit log', async () => {
    // The wrong sign-in and the refused settings answer 400 on purpose: documents are judged by their status.
    const { context, page, problems, posts } = await openConsolePage(browser, { ignoreFailedResourceLoads: true });

    // Sign-in: a wrong token first (the error says so and marks both fields), then the right one.
    await page.goto(`${v.url}/admin`);
    await page.waitForURL(`${v.url}/admin/sign-in?next=%2Fadmin`);
    await checkAndShoot(page, folder, 'sign-in');
    await page.getByLabel('Account SID').fill(v.accountSid);
    await page.getByLabel('Auth Token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /do not match an active account/);
    assert.equal(await page.getByLabel('Auth Token').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Auth Token').inputValue(), '', 'the token typed is never sent back');
    await checkAndShoot(page, folder, 'sign-in-error');
    await page.getByLabel('Auth Token').fill(v.authToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${v.url}/admin`);

    // Overview: headline tiles and the service list.
    const tiles = page.getByRole('list', { name: 'Today across these services' });
    assert.match(await tiles.innerText(), /Verifications today\s+3/);
    assert.match(await tiles.innerText(), /Conversion\s+33%/);
    assert.equal(await page.getByRole('link', { name: 'Demo shop', exact: true }).count(), 1);
    await checkAndShoot(page, folder, 'overview');

    // Every section of the navigation; this suite's own answer 200 and are marked current.
    const nav = page.getByRole('navigation', { name: 'Sections' });
    assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ADMIN_SECTIONS.map((s) => s.label));
    for (const section of ADMIN_SECTIONS) {
      const response = await page.goto(`${v.url}${section.path}`);
      if (!SHELL_SECTIONS.includes(section.path)) continue;
      assert.equal(response?.status(), 200, section.path);
      assert.equal(await nav.locator('[aria-current="page"]').innerText(), section.label);
    }

    // A number typed as people type it finds the E.164 destination.
    await page.goto(`${v.url}/admin/services/${serviceSid}`);
    await page.getByLabel('Destination (exact or prefix)').fill('(415) 555-0123');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/to=/);
    const found = page.getByRole('region', { name: 'Recent verifications' }).locator('tbody tr');
    assert.equal(await found.count(), 1);
    assert.match(await found.innerText(), /\+14155550123/);
    await page.getByLabel('Destination (exact or prefix)').fill('0049 151');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/to=0049/);
    assert.match(await found.innerText(), /\+4915123456789/);

    // Settings: a refused value is shown at its field, nothing saved; then a good one is saved.
    await page.getByRole('link', { name: 'Settings', exact: true }).first().click();
    await page.waitForURL(`${v.url}/admin/services/${serviceSid}/settings`);
    await page.getByLabel('Code length').fill('12');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const fieldError = page.locator('#f-CodeLength-error');
    await fieldError.waitFor();
    assert.equal(await fieldError.innerText(), 'Expected an integer from 4 to 10.');
    assert.equal(await page.getByLabel('Code length').getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByRole('alert').innerText(), /Nothing was saved/);
    await checkAndShoot(page, folder, 'settings-error');
    await page.getByLabel('Code length').fill('8');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(`${v.url}/admin/services/${serviceSid}/settings?done=saved`);
    assert.match(await page.getByRole('status').innerText(), /Settings saved/);
    assert.equal(await page.getByLabel('Code length').inputValue(), '8');
    assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).body.code_length, 8);
    await checkAndShoot(page, folder, 'settings');

    // Hand-off clients: the list and one client.
    await page.goto(`${v.url}/admin/handoff-clients`);
    await checkAndShoot(page, folder, 'handoff-clients');
    await page.getByRole('link', { name: 'Demo app' }).click();
    await page.waitForURL(`${v.url}/admin/handoff-clients/${clientSid}`);
    assert.match(await page.locator('main').innerText(), /https:\/\/app\.example\.com\/verity\/return/);
    await checkAndShoot(page, folder, 'handoff-client');

    // API keys: create one (its secret shown once), then revoke it.
    await page.goto(`${v.url}/admin/keys`);
    await page.getByLabel('Friendly name').fill('deploy bot');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.locator('#new-key-secret').waitFor();
    const keySid = await page.locator('#new-key-sid').innerText();
    await checkAndShoot(page, folder, 'keys-created');
    await page.goto(`${v.url}/admin/keys`);
    await page.getByRole('button', { name: `Revoke ${keySid}` }).click();
    await page.waitForURL(`${v.url}/admin/keys?done=revoked`);
    await checkAndShoot(page, folder, 'keys');

    // The audit log shows every action, newest first, and filters by action.
    await page.goto(`${v.url}/admin/audit`);
    const log = page.getByRole('region', { name: 'Audit log entries' });
    const actions = await log.locator('tbody tr td:nth-child(2) > code').allInnerTexts();
    assert.deepEqual(actions, ['api_key.revoke', 'api_key.create', 'service.update', 'session.sign_in', 'session.sign_in_failed']);
    assert.match(await log.locator('tbody tr', { hasText: 'service.update' }).innerText(), /fields: CodeLength/);
    await checkAndShoot(page, folder, 'audit');
    await page.getByLabel('Action').selectOption('service.update');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=service.update/);
    assert.deepEqual(await log.locator('tbody tr td:nth-child(2) > code').allInnerTexts(), ['service.update']);

    // Every post carried Chromium's own Origin and Sec-Fetch-Site.
    assert.ok(posts.length >= 5, `the forms were posted (${posts.length})`);
    for (const post of posts) {
      const headers = await post.allHeaders();
      assert.equal(headers.origin, new URL(v.url).origin, post.url());
      assert.equal(headers['sec-fetch-site'], 'same-origin', post.url());
    }

    // Sign out from the header.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${v.url}/admin/sign-in?reason=signed-out`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
