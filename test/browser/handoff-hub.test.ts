import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { enrollDevice, type TestDevice } from '../support/push-device.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** zbarimg (zbar-tools) reads the QR codes back, as a phone's camera would. */
const zbarMissing = (() => {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'zbarimg is not installed (apt-get install zbar-tools)';
  }
})();

/**
 * The enrollment hub as a product (issue 17): a user with an authenticator app, a push device,
 * recovery codes and a phone the application vouches for sees every method with when it was last
 * used; renames one and removes another (after the step-up, confirming on a page of its own); saves
 * recovery codes with Copy, Download and Print; and links a phone with a short code from a QR code.
 */
describe('enrollment hub in Chromium', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('handoff-hub', 'enrollment hub');
  let v: TestVerity;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: ReturnApp;
  const problems: string[] = [];

  before(async () => {
    v = await startVerity();
    app = await startReturnApp();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true });
    // Print opens no dialog in a test: the stub records the call.
    await context.addInitScript(() => {
      const w = window as unknown as { print: () => void; printed: number };
      w.printed = 0;
      w.print = () => {
        w.printed += 1;
      };
    });
    page = await context.newPage();
    watchPage(page, problems, { label: 'hub', ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    await app?.close();
  });

  const clipboard = (): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

  it('lists every method with its last use, renames and removes after the step-up, saves recovery codes, and links a phone by QR code', async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', app.url);
    const identity = 'hub-user-4d5e6f70';
    const entity = `/v2/Services/${serviceSid}/Entities/${identity}`;

    // An authenticator app, used once to sign in (an approved challenge: its last use).
    const created = await v.api('POST', `${entity}/Factors`, { FriendlyName: 'Phone app', FactorType: 'totp' });
    const totpSid = created.body.sid as string;
    const totp = new TOTP({ secret: Secret.fromBase32(created.body.binding.secret as string), digits: 6, period: 30 });
    assert.equal((await v.api('POST', `${entity}/Factors/${totpSid}`, { AuthPayload: totp.generate() })).body.status, 'verified');
    const signIn = await v.api('POST', `${entity}/Challenges`, { FactorSid: totpSid, AuthPayload: totp.generate({ timestamp: Date.now() + 30_000 }) });
    assert.equal(signIn.body.status, 'approved', JSON.stringify(signIn.body));
    // A push device, and recovery codes of which one was used.
    const device: TestDevice = await enrollDevice(v, serviceSid, identity);
    const codes = (await v.api('POST', `${entity}/RecoveryCodes`, {})).body.codes as string[];
    assert.equal((await v.api('POST', `${entity}/RecoveryCodes/Check`, { Code: codes[0] as string })).body.valid, true);

    const url = await buildHandoffRequestUrl({
      verityUrl: v.url,
      clientSid: client.sid,
      secret: client.secret,
      subject: identity,
      displayName: 'Alice Martin',
      phone: '+14155550142',
      state: 'hub-state',
      returnTo: app.url,
      factors: ['totp', 'push', 'recovery_code', 'sms'],
      purpose: 'enroll',
    });

    // Step-up first: the push device approves (number matching when the page shows one).
    await page.goto(url);
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await page.getByRole('button', { name: /request to my phone/i }).first().click();
    let pending: Awaited<ReturnType<TestDevice['pending']>> = [];
    for (let i = 0; i < 50 && pending.length === 0; i++) pending = await device.pending();
    const challenge = pending[0];
    assert.ok(challenge, 'the device sees the sign-in request');
    const number = challenge.number_match_required ? (await page.locator('.number-match').innerText()).trim() : undefined;
    assert.equal((await device.answer(challenge, 'approved', number)).status, 200);
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor({ timeout: 15_000 });

    // Every method: icon, name, what it is, added, last used.
    // Dates as English readers write them (Dec 7, 2026), in UTC.
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.now());
    const methods = page.locator('.factor-list.methods li.method');
    assert.equal(await methods.count(), 4);
    const rowOf = (text: string) => methods.filter({ hasText: text });
    assert.match(await rowOf('Phone app').innerText(), new RegExp(`Authenticator app · added ${today}\\s+Last used ${today}`));
    assert.match(await rowOf('Test phone').innerText(), new RegExp(`Push device · added ${today}\\s+Last used ${today}`));
    assert.match(await rowOf('Recovery codes').innerText(), new RegExp(`9 of 10 unused · added ${today}\\s+Last used ${today}`));
    assert.match(await rowOf('Phone number').innerText(), /Phone number •+42\s+Codes by text message or call\. Acme Shop manages this number\./);
    assert.equal(await methods.locator('.method-icon svg.icon').count(), 4, 'one icon per method');
    assert.equal(await page.getByText('Account: Alice Martin').isVisible(), true);
    assert.equal(await page.getByRole('heading', { name: 'Add a method' }).isVisible(), true);
    await checkAndShoot(page, folder, '01-hub');

    // Rename, with the keyboard: the disclosure, the field, Enter.
    await page.locator('summary', { hasText: 'Rename' }).first().focus();
    await page.keyboard.press('Enter');
    const field = page.getByLabel('New name for “Phone app”');
    await field.fill('Work phone');
    await checkAndShoot(page, folder, '02-rename');
    await field.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Renamed to “Work phone”.' }).waitFor();
    assert.match(await methods.first().innerText(), /Work phone/);

    // Remove the push device: a page of its own asks first.
    await page.getByRole('button', { name: 'Remove Test phone' }).click();
    await page.getByRole('heading', { name: 'Remove this sign-in method?' }).waitFor();
    assert.match(await page.locator('main').innerText(), /You will no longer be able to sign in to Acme Shop with “Test phone” \(Push device\)\./);
    await checkAndShoot(page, folder, '03-remove-confirm');
    await page.getByRole('button', { name: 'Remove “Test phone”' }).click();
    await page.getByRole('status').filter({ hasText: '“Test phone” removed.' }).waitFor();
    assert.equal(await methods.count(), 3);
    const factors = (await v.api('GET', `${entity}/Factors`)).body.factors as Array<{ friendly_name: string }>;
    assert.deepEqual(factors.map((f) => f.friendly_name), ['Work phone']);

    // Recovery codes: a new set, shown once, with Copy, Download and Print.
    await page.getByRole('button', { name: 'Replace my recovery codes' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    const shown = (await page.locator('#recovery-codes li').allInnerTexts()).map((t) => t.trim());
    assert.equal(shown.length, 10);
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    await checkAndShoot(page, folder, '04-recovery-codes');

    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('status').filter({ hasText: 'Codes copied to the clipboard.' }).waitFor();
    assert.deepEqual((await clipboard()).trim().split('\n'), shown);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    assert.equal(download.suggestedFilename(), 'acme-shop-recovery-codes.txt');
    const file = readFileSync(await download.path(), 'utf8');
    assert.match(file, /^Recovery codes for Acme Shop\. Each code works once\.\n\n/);
    for (const code of shown) assert.ok(file.includes(`${code}\n`), `${code} is in the file`);

    await page.getByRole('button', { name: 'Print' }).click();
    assert.equal(await page.evaluate(() => (window as unknown as { printed: number }).printed), 1);
    // The print stylesheet shows the codes and nothing else.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('button', { name: 'Copy' }).isVisible(), false);
    assert.equal(await page.locator('#recovery-codes').isVisible(), true);
    assert.equal(await page.locator('h1').evaluate((h) => getComputedStyle(h).visibility), 'hidden');
    await folder.shot(page, '05-recovery-codes-print');
    await page.emulateMedia({ media: 'screen' });

    await page.getByRole('button', { name: 'I saved them — back to my sign-in methods' }).click();
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    assert.match(await rowOf('Recovery codes').innerText(), /10 of 10 unused/);
    assert.match(await rowOf('Recovery codes').innerText(), /Not used to sign in yet/);
    await checkAndShoot(page, folder, '06-hub-after');
    assert.deepEqual(problems, []);
  });

  it('the push set-up page: a QR code of a short link a phone redeems once, the code in large type, and Copy', { skip: zbarMissing }, async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', app.url);
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: 'hub-user-8a9b0c1d', state: 'push-state', returnTo: app.url, factors: ['push', 'totp'], purpose: 'enroll' });
    await page.goto(url);
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    assert.match(await page.locator('main').innerText(), /None yet\./);
    await checkAndShoot(page, folder, '07-hub-new-user');

    await page.getByRole('button', { name: 'Add a push device' }).click();
    await page.getByRole('heading', { name: 'Add a push device' }).waitFor();
    const code = (await page.locator('#enroll-code').innerText()).trim();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.match(await page.locator('main').innerText(), /Works once, for 5 more minutes\./);
    await page.getByRole('button', { name: 'Copy code' }).waitFor();
    await checkAndShoot(page, folder, '08-push-code');

    await page.getByRole('button', { name: 'Copy code' }).click();
    await page.getByRole('status').filter({ hasText: 'Code copied.' }).waitFor();
    assert.equal((await clipboard()).trim(), code);

    // What a phone's camera reads: the QR code as drawn on screen.
    const png = join(folder.dir, '08-push-qr-only.png');
    await page.locator('figure.qr').screenshot({ path: png });
    const decoded = execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' }).trim();
    assert.equal(decoded, `${v.url}/device/v1/EnrollmentCodes/${code}`);
    assert.ok(decoded.length < 100, `${decoded.length} characters`);
    const first = await fetch(decoded, { method: 'POST' });
    assert.equal(first.status, 200);
    assert.match(((await first.json()) as { enrollment_token: string }).enrollment_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const second = await fetch(decoded, { method: 'POST' });
    assert.equal(second.status, 404);
    assert.equal(((await second.json()) as { details?: { error?: string } }).details?.error, 'enrollment_code_not_found');
    assert.deepEqual(problems, []);
  });
});
