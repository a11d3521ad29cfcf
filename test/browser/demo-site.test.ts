import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemoUnderTest, type DemoUnderTest } from '../../demo/test/demo-harness.ts';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { openOtherWays } from '../support/handoff-browser.ts';

const PHONE = '+14155550142';
const PASSWORD = 'velvet tractor umbrella 42';

/**
 * Demo Bank end to end in Chromium: sign-up with a keypad-code call answered on Verity's virtual
 * phone (second tab), sign-in with a texted code on Verity's hosted page, remember the device, and
 * transfers approved and denied with the virtual phone's push authenticator.
 */
describe('Demo Bank in Chromium', { skip: chromiumMissing }, () => {
  const { shot } = screenshotFolder('demo-site', 'demo site');
  let t: DemoUnderTest;
  let browser: Browser;
  let context: BrowserContext;
  let bank: Page;
  let phone: Page;
  let base: string;
  /** The demo's return URL with the result token of the SMS sign-in. */
  let resultUrl = '';
  const problems: string[] = [];

  const watch = (page: Page, label: string) => watchPage(page, problems, { label, ignoreFailedResourceLoads: true, failedResponses: 'subresources' });

  before(async () => {
    t = await startDemoUnderTest();
    base = t.demo.url;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 412, height: 915 } });
    context.setDefaultTimeout(10_000);
    bank = await context.newPage();
    phone = await context.newPage();
    watch(bank, 'bank');
    watch(phone, 'phone');
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens the virtual phone for the new customer\'s number', async () => {
    await phone.goto(`${t.v.url}/phone`);
    await phone.waitForSelector('body[data-ready="true"]');
    await phone.fill('#address', PHONE);
    await phone.click('#address-form button[type="submit"]');
    await phone.waitForSelector('#inbox-status:text("Live")');
    // The calls stream's status is shown inside the Calls tab (not the open one): live, though not visible.
    await phone.waitForSelector('#calls-status:text("Live")', { state: 'attached' });
  });

  it('signs up: a weak password is refused with advice, then the phone is verified by a keypad-code call', async () => {
    await bank.bringToFront();
    await bank.goto(`${base}/signup`);
    await shot(bank, '01-signup');
    await bank.fill('#username', 'grace');
    await bank.fill('#password', 'qwertyuiop1234');
    await bank.fill('#phone', '+1 415 555 0142');
    await bank.click('form[action="/signup"] button[type="submit"]');
    await bank.locator('#form-error', { hasText: 'similar to a commonly used password' }).waitFor();
    assert.equal(await bank.getAttribute('#password', 'aria-invalid'), 'true');
    await shot(bank, '02-signup-weak-password');

    await bank.fill('#password', PASSWORD);
    await bank.click('form[action="/signup"] button[type="submit"]');
    await bank.waitForURL(`${base}/signup/call`);
    const displayCode = (await bank.locator('.display-code').innerText()).trim();
    assert.match(displayCode, /^\d{4,10}$/);

    await phone.bringToFront();
    // The ringing call is pinned in the phone's notifications; then followed by its sid wherever it moves.
    const ringing = phone.locator('#active-calls li.call[data-status="ringing"]').first();
    await ringing.locator('button.answer').waitFor({ timeout: 10_000 });
    const sid = (await ringing.getAttribute('data-sid')) as string;
    const call = phone.locator(`li.call[data-sid="${sid}"]`);
    await bank.locator('#call-progress', { hasText: 'ringing' }).waitFor({ timeout: 5_000 });
    await shot(bank, '03-signup-call-ringing');
    await call.locator('button.answer').click();
    await phone.waitForFunction((callSid) => document.querySelector<HTMLButtonElement>(`li.call[data-sid="${callSid}"] button.key`)?.disabled === false, sid);
    await bank.locator('#call-progress', { hasText: /type the code|call answered/i }).waitFor({ timeout: 5_000 });
    await shot(bank, '04-signup-call-answered');
    for (const key of displayCode) await call.locator('button.key', { hasText: key }).click();
    // The last digit completes the code: no #, which the call would no longer take (400).
    await call.locator('.transcript li', { hasText: 'Your phone number is verified' }).waitFor({ timeout: 5_000 });
    await shot(phone, '05-virtual-phone-keyed');

    // The page continues by itself once the demo server has seen Verity approve.
    await bank.waitForURL(`${base}/account`, { timeout: 10_000 });
    assert.match(await bank.locator('#signed-in-with').innerText(), /password \+ phone call/);
    await shot(bank, '06-account-after-signup');
  });

  it('signs in with a texted code on Verity\'s hosted page, read from the virtual phone\'s inbox', async () => {
    await bank.click('.signout button');
    await bank.waitForURL(`${base}/`);
    await bank.goto(`${base}/signin`);
    await bank.fill('#username', 'grace');
    await bank.fill('#password', PASSWORD);
    await bank.check('input[name="remember"]');
    await shot(bank, '07-signin');
    await bank.click('form[action="/signin"] button[type="submit"]');
    await bank.waitForURL(`${t.v.url}/handoff/page/**`);
    // Demo Bank's look comes along (demo/brand.ts): its logo and name in the bar, its green on the pages.
    assert.equal((await bank.locator('.brand-bar .brand-name').innerText()).trim(), 'Demo Bank');
    assert.equal(await bank.locator('.brand-bar img.brand-logo').evaluate((el) => (el as HTMLImageElement).naturalWidth), 64);
    assert.equal(await bank.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()), '#0f3d2e');
    await shot(bank, '08-verity-chooser');
    await openOtherWays(bank);
    await bank.locator('button', { hasText: 'Text me a code' }).click();
    await bank.waitForSelector('#phone-code');

    await phone.bringToFront();
    const code = (await phone.locator('#messages li mark.code').first().innerText({ timeout: 10_000 })).replace(/\D/g, '');
    assert.match(code, /^\d{4,10}$/);
    await shot(phone, '09-virtual-phone-sms');

    await bank.bringToFront();
    await bank.fill('#phone-code', code);
    await shot(bank, '10-verity-code-entered');
    const returned = bank.waitForRequest((request) => request.url().startsWith(`${base}/handoff/return?`));
    await bank.locator('button', { hasText: 'Verify' }).click();
    resultUrl = (await returned).url();
    await bank.waitForURL(`${base}/account`);
    assert.match(await bank.locator('#signed-in-with').innerText(), /password \+ text message/);
    assert.match(await bank.locator('#security').innerText(), /Chrome on Linux/);
    await shot(bank, '11-account-signed-in-with-sms');
  });

  it('refuses the same result token replayed in another browser: no session comes of it', async () => {
    const other = await browser.newContext({ viewport: { width: 412, height: 915 } });
    try {
      const thief = await other.newPage();
      await thief.goto(resultUrl);
      assert.match(await thief.locator('[role="alert"]').innerText(), /already used|No sign-in was started in this browser.*Nothing was signed in/);
      await shot(thief, '11b-replayed-result-refused');
      await thief.goto(`${base}/account`);
      assert.ok(!thief.url().endsWith('/account'), `the replay must not sign in (at ${thief.url()})`);
    } finally {
      await other.close();
    }
  });

  it('links the virtual phone as a push authenticator with an enrollment token from the account page', async () => {
    await bank.click('form[action="/account/security/push-token"] button');
    const token = (await bank.locator('#push-enrollment-token').innerText()).trim();
    assert.ok(token.length > 20, 'expected token.length > 20');
    await shot(bank, '12-push-enrollment-token');
    await phone.bringToFront();
    await phone.waitForSelector('body[data-push-ready="true"]');
    await phone.click('#tab-push');
    await phone.fill('#push-token', token);
    await phone.click('#push-form button[type="submit"]');
    await phone.locator('#push-factors li.push-factor[data-status="verified"] .stream-status', { hasText: 'Live' }).waitFor({ timeout: 10_000 });
    await phone.locator('#push').scrollIntoViewIfNeeded();
    await shot(phone, '13-virtual-phone-push-linked');
  });

  it('sends a transfer approved on the phone with the number to match', async () => {
    await bank.bringToFront();
    await bank.goto(`${base}/transfer`);
    await bank.fill('#amount', '1250.50');
    await bank.fill('#payee', 'Acme Ltd · IBAN DE89 3704');
    await shot(bank, '14-transfer-form');
    await bank.click('form[action="/transfer"] button[type="submit"]');
    await bank.waitForURL(/\/transfer\/tr_[0-9a-f]+$/);
    const number = (await bank.locator('#number-match').innerText()).trim();
    assert.match(number, /^\d{2}$/);
    await shot(bank, '15-transfer-waiting');

    await phone.bringToFront();
    const item = phone.locator('#push-challenges li.push-challenge[data-status="pending"]').first();
    await item.waitFor({ timeout: 10_000 });
    assert.equal(await item.locator('h3').innerText(), 'Approve transfer');
    const fields = await item.locator('dl.push-fields').first().innerText();
    assert.match(fields, /Amount\s+\$1,250\.50/);
    assert.match(fields, /Payee\s+Acme Ltd · IBAN DE89 3704/);
    await item.locator('input.push-number').fill(number);
    await item.scrollIntoViewIfNeeded();
    await shot(phone, '16-virtual-phone-approve');
    await item.locator('button.approve').click();

    await bank.locator('#transfer-outcome', { hasText: 'is on its way' }).waitFor({ timeout: 10_000 });
    assert.match(await bank.locator('h1').innerText(), /Transfer sent/);
    await shot(bank, '17-transfer-sent');
  });

  it('does not send a transfer denied on the phone', async () => {
    await bank.goto(`${base}/transfer`);
    await bank.fill('#amount', '75');
    await bank.fill('#payee', 'Mallory Unknown');
    await bank.click('form[action="/transfer"] button[type="submit"]');
    await bank.waitForURL(/\/transfer\/tr_[0-9a-f]+$/);
    await phone.bringToFront();
    const item = phone.locator('#push-challenges li.push-challenge[data-status="pending"]').first();
    await item.waitFor({ timeout: 10_000 });
    await item.locator('button.deny').click();
    await bank.locator('#transfer-outcome', { hasText: 'declined the transfer' }).waitFor({ timeout: 10_000 });
    assert.match(await bank.locator('h1').innerText(), /Transfer not sent/);
    await shot(bank, '18-transfer-denied');
    await bank.goto(`${base}/account`);
    assert.equal(await bank.locator('.status-executed').count(), 1);
    assert.equal(await bank.locator('.status-denied').count(), 1);
    await shot(bank, '19-account-transfers');
  });

  it('remembers the device: the next sign-in skips Verity', async () => {
    await bank.click('.signout button');
    await bank.waitForURL(`${base}/`);
    await bank.goto(`${base}/signin`);
    await bank.fill('#username', 'grace');
    await bank.fill('#password', PASSWORD);
    await bank.click('form[action="/signin"] button[type="submit"]');
    await bank.waitForURL(`${base}/account`);
    assert.match(await bank.locator('#signed-in-with').innerText(), /password \+ this remembered device/);
    await shot(bank, '20-signed-in-remembered-device');
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});
