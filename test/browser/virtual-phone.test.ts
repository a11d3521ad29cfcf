import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { cspDirectives } from '../support/csp.ts';

const RFC6238 = JSON.parse(readFileSync(new URL('../vectors/rfc6238-appendix-b.json', import.meta.url), 'utf8')) as {
  seeds: Record<'sha1' | 'sha256' | 'sha512', string>;
  values: Array<{ unixSeconds: number; totp: Record<'sha1' | 'sha256' | 'sha512', string> }>;
};

/** The virtual phone page (GET /phone) in a real browser, against a real Verity and its simulated carrier. */
describe('virtual phone page', { skip: chromiumMissing }, () => {
  const screenshots = screenshotFolder('virtual-phone', 'virtual phone');
  let v: TestVerity;
  let browser: Browser;
  let page: Page;
  let serviceSid: string;
  const problems: string[] = [];
  const number = '+14155550142';

  /** Screenshots at 1280 and 375 px, axe-clean, no sideways scroll (issue 17). */
  const shot = async (name: string) => checkAndShoot(page, screenshots, name);

  before(async () => {
    v = await startVerity({ env: { VERITY_SIMULATOR_TIME_SCALE: '0.5', VERITY_FLASHCALL_RING_SECONDS: '2' } });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo' })).body.sid as string;
    browser = await launchChromium();
    // A phone-sized viewport: the page is meant for one.
    page = await browser.newPage({ viewport: { width: 412, height: 915 } });
    // Any script error or CSP violation (reported on the console) fails the suite.
    watchPage(page, problems);
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('serves the page and its modules with their content types and a strict CSP, and nothing else', async () => {
    const page = await fetch(`${v.url}/phone`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.deepEqual(cspDirectives(csp).get('default-src'), ["'none'"]);
    assert.deepEqual(cspDirectives(csp).get('script-src'), ["'self'"]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const script = await fetch(`${v.url}/phone/main.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal((await fetch(`${v.url}/phone/virtual-phone.css`)).headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal((await fetch(`${v.url}/phone/nope.js`)).status, 404);
    assert.equal((await fetch(`${v.url}/phone/..%2Fvirtual-phone-routes.ts`)).status, 404);
  });

  it('computes the RFC 6238 Appendix B test vectors with WebCrypto in the page', async () => {
    await page.goto(`${v.url}/phone`);
    const results = await page.evaluate(async (vectors) => {
      const modulePath = '/phone/totp.js';
      const { hotp } = await import(modulePath);
      const out: string[] = [];
      for (const value of vectors.values) {
        for (const [name, algorithm] of [['sha1', 'SHA1'], ['sha256', 'SHA256'], ['sha512', 'SHA512']] as const) {
          const secret = new TextEncoder().encode(vectors.seeds[name]);
          out.push(`${value.unixSeconds}/${name}=${await hotp(secret, Math.floor(value.unixSeconds / 30), { algorithm, digits: 8 })}`);
        }
      }
      return out;
    }, RFC6238);
    const expected = RFC6238.values.flatMap((value) => (['sha1', 'sha256', 'sha512'] as const).map((name) => `${value.unixSeconds}/${name}=${value.totp[name]}`));
    assert.deepEqual(results, expected);
  });

  it('remembers the number and shows an SMS code as it arrives', async () => {
    await page.goto(`${v.url}/phone`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#address', '+1 (415) 555-0142');
    await page.click('#address-form button[type="submit"]');
    await page.waitForSelector('#inbox-status:text("Live")');
    // Recent calls is a tab of its own, not the one open.
    await page.waitForSelector('#calls-status:text("Live")', { state: 'attached' });
    await shot('1-number-entered');

    const sent = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: number, Channel: 'sms' });
    assert.equal(sent.status, 201);
    const code = await v.lastCode(number);
    const mark = page.locator('#messages li mark.code', { hasText: code });
    await mark.waitFor({ timeout: 5_000 });
    assert.match(await page.locator('#messages li').first().innerText(), new RegExp(code));
    await shot('2-sms-received');

    const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: number, Code: await mark.innerText() });
    assert.equal(check.body.status, 'approved');

    await page.reload();
    assert.equal(await page.inputValue('#address'), number);
    await page.locator('#messages li mark.code', { hasText: code }).waitFor({ timeout: 5_000 });
  });

  it('answers a keypad_code call, shows the transcript, and approves with the code keyed on the keypad', async () => {
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: number, Channel: 'call', VoiceFlow: 'keypad_code' });
    assert.equal(created.status, 201);
    const displayCode = created.body.display_code as string;
    // A ringing or ongoing call is pinned in the notifications, at the top of the phone.
    const ringing = page.locator('#active-calls li.call[data-status="ringing"]').first();
    await ringing.locator('button.answer').waitFor({ timeout: 5_000 });
    const call = page.locator(`li.call[data-sid="${await ringing.getAttribute('data-sid')}"]`);
    assert.match(await call.locator('.call-title').innerText(), /^Incoming call from \+/);
    await shot('3-call-ringing');

    await call.locator('button.answer').click();
    await call.locator('.transcript li', { hasText: 'Please enter the code shown on your screen' }).waitFor({ timeout: 5_000 });
    await page.waitForFunction(() => document.querySelector<HTMLButtonElement>('#active-calls li.call button.key')?.disabled === false);
    await shot('4-call-answered');

    for (const key of displayCode) await call.locator('button.key', { hasText: key }).click();
    // The last digit completes the code (no flow waits for #): pressing # after it would be a key the
    // call no longer asks for, refused 400 by the phone API while the keypad catches up.
    await call.locator('.transcript li', { hasText: 'Thank you. Your phone number is verified.' }).waitFor({ timeout: 5_000 });
    assert.match(await call.locator('.keyed').innerText(), new RegExp(`^${displayCode}$`));
    // Like Twilio, the API no longer shows an approved verification (404): read its row.
    const row = await v.ctx.db.kysely.selectFrom('verifications').select('status').where('sid', '=', created.body.sid as string).executeTakeFirstOrThrow();
    assert.equal(row.status, 'approved');
    // Ended, it stays a moment in the notifications with its outcome.
    await page.waitForSelector('#active-calls li.call[data-status="completed"]');
    await shot('5-call-approved');
  });

  it('shows an unanswered flash call as a missed call from its caller id', async () => {
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: number, Channel: 'flashcall' });
    assert.equal(created.status, 201);
    const missed = page.locator('li.call[data-status="no-answer"] .call-title');
    await missed.waitFor({ timeout: 8_000 });
    const title = await missed.innerText();
    assert.match(title, /^Missed call from \+1500555\d{4}$/);
    const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: number, Code: title.slice(-4) });
    assert.equal(check.body.status, 'approved');
    await shot('6-missed-flash-call');
  });

  it('adds a TOTP URI and shows a code that verifies the factor', async () => {
    const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/user-0000-0042/Factors`, { FriendlyName: 'App', FactorType: 'totp' });
    assert.equal(factor.status, 201);
    const uri = (factor.body.binding as { uri: string }).uri;

    await page.click('#tab-totp');
    await page.fill('#totp-uri', 'otpauth://hotp/Nope?secret=JBSWY3DP');
    await page.click('#totp-form button[type="submit"]');
    assert.match(await page.locator('#totp-error').innerText(), /Only TOTP/);

    await page.fill('#totp-uri', uri);
    await page.click('#totp-form button[type="submit"]');
    const code = page.locator('#totp-list .totp-code').first();
    await page.waitForSelector('#totp-list .totp-code[data-code]');
    await page.locator('#totp').scrollIntoViewIfNeeded();
    await shot('7-totp-code');
    const value = (await code.getAttribute('data-code'))!;
    assert.match(value, /^\d{6}$/);
    assert.equal((await code.innerText()).replace(/\s/g, ''), value);
    const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/user-0000-0042/Factors/${factor.body.sid as string}`, { AuthPayload: value });
    assert.equal(verified.status, 200);
    assert.equal(verified.body.status, 'verified');

    await page.reload();
    await page.waitForSelector('#totp-list .totp-code[data-code]');
  });

  it('plays an email inbox too, without a phone', async () => {
    const email = 'ana@example.com';
    await page.click('#tab-inbox');
    await page.fill('#address', email);
    await page.click('#address-form button[type="submit"]');
    await page.waitForSelector('#inbox-status:text("Live")');
    assert.equal(await page.isVisible('#calls'), false);
    assert.equal(await page.isVisible('#tab-calls'), false);
    const sent = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: email, Channel: 'email' });
    assert.equal(sent.status, 201);
    const code = await v.lastCode(email);
    await page.locator('#messages li.email mark.code', { hasText: code }).waitFor({ timeout: 5_000 });
    await shot('8-email-inbox');
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});

describe('virtual phone page without the simulator', () => {
  it('is not served: it is a development tool', async () => {
    const v = await startVerity({ env: { VERITY_SMS_PROVIDER: 'console', VERITY_EMAIL_PROVIDER: 'console', VERITY_VOICE_PROVIDER: 'console', VERITY_WHATSAPP_PROVIDER: 'console' } });
    try {
      assert.equal(v.ctx.simulator, undefined);
      assert.equal((await fetch(`${v.url}/phone`)).status, 404);
      assert.equal((await fetch(`${v.url}/phone/main.js`)).status, 404);
    } finally {
      await v.close();
    }
  });
});
