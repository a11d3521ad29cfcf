import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { issueEnrollmentCode } from '../../src/factors/push/enrollment-codes.ts';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { checkAndShoot, NARROW, overflowX, WIDE } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const IDENTITY = 'user-0000-0077';

/**
 * The virtual phone laid out like a phone (issue 17): what needs the developer now — a new code, a
 * ringing call, a pending push request — is on the first screen, at 1280 px and at 375 px, and is
 * answered from there; the apps below are tabs worked with the keyboard.
 */
describe('virtual phone layout', { skip: chromiumMissing }, () => {
  const screenshots = screenshotFolder('virtual-phone-layout', 'virtual phone layout');
  let v: TestVerity;
  let browser: Browser;
  let page: Page;
  let smsService: string;
  let callService: string;
  let pushService: string;
  let factorSid: string;
  const problems: string[] = [];

  /** Within the first screen: no scrolling needed to see or press it. */
  const assertOnFirstScreen = async (locator: Locator, what: string) => {
    const box = await locator.boundingBox();
    const viewport = page.viewportSize()!;
    assert.ok(box, `${what} is not shown`);
    assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `${what} is at y=${box.y}..${box.y + box.height}, below the ${viewport.height}-px screen`);
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `${what} is off the screen sideways`);
    // Nothing covers it (a pinned area drawn over another would pass the box check), and the
    // notification area, which scrolls by itself when full, shows all of it.
    const seen = await locator.evaluate((element) => {
      const rect = element.getBoundingClientRect();
      const top = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
      const area = document.getElementById('notifications')!.getBoundingClientRect();
      const inside = !document.getElementById('notifications')!.contains(element) || (rect.top >= area.top - 0.5 && rect.bottom <= area.bottom + 0.5);
      return { uncovered: top !== null && (element === top || element.contains(top)), inside };
    });
    assert.ok(seen.uncovered, `${what} is covered by something else`);
    assert.ok(seen.inside, `${what} is cut off by the end of the notification area`);
  };

  const useAddress = async (address: string) => {
    await page.fill('#address', address);
    await page.click('#address-form button[type="submit"]');
    await page.waitForSelector('#inbox-status:text("Live")');
    await page.waitForSelector('#calls-status:text("Live")', { state: 'attached' });
  };

  before(async () => {
    v = await startVerity({ env: { VERITY_SIMULATOR_TIME_SCALE: '0.5' } });
    smsService = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo Bank' })).body.sid as string;
    callService = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo Bank calls' })).body.sid as string;
    pushService = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo Bank' })).body.sid as string;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: WIDE });
    watchPage(page, problems);
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('starts as an idle phone: tabs, nothing pending, accessible at both widths', async () => {
    await page.goto(`${v.url}/phone`);
    await page.waitForSelector('body[data-push-ready="true"]');
    await useAddress('+14155550177');
    assert.equal(await page.locator('#quiet').isVisible(), true);
    assert.equal(await page.getAttribute('#tab-inbox', 'aria-selected'), 'true');
    await checkAndShoot(page, screenshots, '1-idle');
  });

  it('reads enrollment codes, links and tokens', async () => {
    const parsed = await page.evaluate(async () => {
      const modulePath = '/phone/enrollment-input.js';
      const { parseEnrollmentInput } = await import(modulePath);
      return [
        'abcd-efgh-jkmn',
        'ABCDEFGHJKMN',
        ' 0123 4567 89ab ',
        'ilo0-0000-0000',
        'http://localhost:4000/device/v1/EnrollmentCodes/ABCD-EFGH-JKMN',
        'https://verity.example/device/v1/EnrollmentCodes/abcdefghjkmn',
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
        'ABCD-EFGH-JKMU',
        'https://verity.example/elsewhere/ABCD-EFGH-JKMN',
        '',
      ].map((text) => parseEnrollmentInput(text));
    });
    assert.deepEqual(parsed.slice(0, 7), [
      { code: 'ABCD-EFGH-JKMN' },
      { code: 'ABCD-EFGH-JKMN' },
      { code: '0123-4567-89AB' },
      { code: '1100-0000-0000' },
      { code: 'ABCD-EFGH-JKMN' },
      { code: 'ABCD-EFGH-JKMN' },
      { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' },
    ]);
    for (const refused of parsed.slice(7)) assert.match((refused as { error: string }).error, /./);
  });

  /** A short enrollment code for a new push enrollment token of `identity`, as the enrollment hub shows it. */
  const enrollmentCode = async (identity: string) => {
    const access = await v.api('POST', `/v2/Services/${pushService}/AccessTokens`, { Identity: identity, FactorType: 'push', FactorFriendlyName: 'Virtual phone' });
    assert.equal(access.status, 201, JSON.stringify(access.body));
    return issueEnrollmentCode(v.ctx, access.body.token as string, Date.now() + 5 * 60_000);
  };
  const enroll = async (pasted: string) => {
    await page.fill('#push-token', pasted);
    await page.click('#push-form button[type="submit"]');
    await page.locator('#push-progress', { hasText: 'Enrolled and verified.' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.inputValue('#push-token'), '');
  };

  it('enrolls the push authenticator with a short code (typed in lower case, without dashes) or its link', async () => {
    await page.click('#tab-push');
    const { code } = await enrollmentCode(IDENTITY);
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await enroll(code.replace(/-/g, '').toLowerCase());
    const factor = page.locator('#push-factors li.push-factor[data-status="verified"]').first();
    await factor.locator('.stream-status', { hasText: 'Live' }).waitFor({ timeout: 10_000 });
    factorSid = (await factor.getAttribute('data-sid'))!;
    const listed = await v.api('GET', `/v2/Services/${pushService}/Entities/${IDENTITY}/Factors`);
    assert.equal((listed.body.factors as Array<{ sid: string; status: string }>).find((f) => f.sid === factorSid)?.status, 'verified');

    // The QR code's link works too; the link's host does not matter (the phone talks to its own Verity).
    const other = await enrollmentCode('user-0000-0078');
    assert.ok(other.url.endsWith(`/device/v1/EnrollmentCodes/${other.code}`), other.url);
    await enroll(other.url);
    assert.equal(await page.locator('#push-factors li.push-factor[data-status="verified"]').count(), 2);

    // A code works once.
    await page.fill('#push-token', other.code);
    await page.click('#push-form button[type="submit"]');
    await page.locator('#push-error', { hasText: 'unknown, used or expired' }).waitFor({ timeout: 5_000 });
    assert.equal(await page.getAttribute('#push-token', 'aria-invalid'), 'true');
    await page.fill('#push-token', '');
    await page.click('#tab-inbox');
  });

  for (const [index, viewport] of [WIDE, NARROW].entries()) {
    it(`at ${viewport.width}×${viewport.height}: a new SMS, a ringing call and a pending push are all on the first screen, and answered from there`, async () => {
      await page.setViewportSize(viewport);
      const number = `+1415555018${index}`;
      await useAddress(number);

      const sms = await v.api('POST', `/v2/Services/${smsService}/Verifications`, { To: number, Channel: 'sms' });
      assert.equal(sms.status, 201, JSON.stringify(sms.body));
      const code = await v.lastCode(number);
      const call = await v.api('POST', `/v2/Services/${callService}/Verifications`, { To: number, Channel: 'call', VoiceFlow: 'keypad_code' });
      assert.equal(call.status, 201, JSON.stringify(call.body));
      const challenge = await v.api('POST', `/v2/Services/${pushService}/Entities/${IDENTITY}/Challenges`, {
        FactorSid: factorSid,
        'Details.Message': 'Approve transfer?',
        'Details.Fields': [JSON.stringify({ label: 'Amount', value: '€250.00' }), JSON.stringify({ label: 'Payee', value: 'Ana Pereira' })],
      });
      assert.equal(challenge.status, 201, JSON.stringify(challenge.body));

      const banner = page.locator('#banners li.banner', { has: page.locator('mark.code', { hasText: code }) });
      const ringing = page.locator('#active-calls li.call[data-status="ringing"]');
      const push = page.locator(`#push-challenges li.push-challenge[data-sid="${challenge.body.sid as string}"]`);
      await banner.waitFor({ timeout: 5_000 });
      await ringing.locator('button.answer').waitFor({ timeout: 5_000 });
      await push.locator('button.approve').waitFor({ timeout: 5_000 });
      assert.equal(await page.locator('#quiet').isVisible(), false);

      // The page itself has not scrolled: everything is where the phone opens (at 1280 px it cannot scroll).
      assert.equal(await page.evaluate(() => window.scrollY), 0);
      if (index === 0) assert.equal(await page.evaluate(() => document.documentElement.scrollHeight), viewport.height);
      await assertOnFirstScreen(banner, 'the SMS banner');
      await assertOnFirstScreen(ringing.locator('button.answer'), 'Answer');
      await assertOnFirstScreen(ringing.locator('button.reject'), 'Reject');
      await assertOnFirstScreen(push.locator('input.push-number'), 'the number to match');
      await assertOnFirstScreen(push.locator('button.approve'), 'Approve');
      await assertOnFirstScreen(push.locator('button.deny'), 'Deny');
      assert.match(await push.locator('dl.push-fields').innerText(), /Amount\s+€250\.00/);
      assert.ok((await overflowX(page)) <= 0, 'the page scrolls sideways');
      if (index === 0) await checkAndShoot(page, screenshots, '2-push-pending');

      // Approve the push with the number, from the keyboard.
      await push.locator('input.push-number').focus();
      await page.keyboard.type(challenge.body.number_match as string);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'approve');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`#push-challenges li.push-challenge[data-sid="${challenge.body.sid as string}"][data-status="approved"]`, { timeout: 5_000 });
      const answered = await v.api('GET', `/v2/Services/${pushService}/Entities/${IDENTITY}/Challenges/${challenge.body.sid as string}`);
      assert.equal(answered.body.status, 'approved');

      // Answer the call where it rings, key the code on its keypad.
      const sid = (await ringing.getAttribute('data-sid'))!;
      const card = page.locator(`li.call[data-sid="${sid}"]`);
      await card.locator('button.answer').click();
      await page.waitForFunction((s) => document.querySelector<HTMLButtonElement>(`#active-calls li.call[data-sid="${s}"] button.key`)?.disabled === false, sid);
      await assertOnFirstScreen(card.locator('button.hangup'), 'Hang up');
      await assertOnFirstScreen(card.locator('button.key', { hasText: '5' }), 'the keypad');
      if (index === 0) await checkAndShoot(page, screenshots, '3-in-call');
      for (const key of call.body.display_code as string) await card.locator('button.key', { hasText: key }).click();
      await card.locator('.transcript li', { hasText: 'Your phone number is verified' }).waitFor({ timeout: 5_000 });
      // Ended, the call stays a moment in the notifications, then goes to Recent calls (at once with Close).
      await page.waitForSelector(`#active-calls li.call[data-sid="${sid}"][data-status="completed"]`, { timeout: 5_000 });
      if (index === 0) {
        await card.locator('button.close-call').click();
        assert.equal(await page.locator(`#call-list li.call[data-sid="${sid}"]`).count(), 1);
      } else {
        await page.waitForSelector(`#call-list li.call[data-sid="${sid}"][data-status="completed"]`, { state: 'attached', timeout: 15_000 });
      }
      assert.equal(await page.locator('#active-calls li.call').count(), 0);

      const check = await v.api('POST', `/v2/Services/${smsService}/VerificationCheck`, { To: number, Code: code });
      assert.equal(check.body.status, 'approved');
    });
  }

  it('switches apps with the arrow keys, Home and End (tabs), and dismisses a banner from the keyboard', async () => {
    await page.setViewportSize(NARROW);
    await page.focus('#tab-inbox');
    await page.click('#tab-inbox');
    const selected = () => page.locator('[role="tab"][aria-selected="true"]').getAttribute('id');
    await page.keyboard.press('ArrowRight');
    assert.equal(await selected(), 'tab-calls');
    assert.equal(await page.locator('#calls').isVisible(), true);
    assert.equal(await page.locator('#inbox').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-calls');
    assert.equal(await page.locator('#call-list li.call[data-status="completed"]').count() > 0, true);
    await page.keyboard.press('End');
    assert.equal(await selected(), 'tab-push');
    await page.keyboard.press('ArrowRight');
    assert.equal(await selected(), 'tab-inbox');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await selected(), 'tab-push');
    await page.keyboard.press('Home');
    assert.equal(await selected(), 'tab-inbox');
    assert.equal(await page.locator('#inbox').isVisible(), true);
    // Only the selected tab is in the tab order.
    assert.deepEqual(await page.locator('[role="tab"]').evaluateAll((tabs) => tabs.map((t) => (t as HTMLElement).tabIndex)), [0, -1, -1, -1]);

    const banners = page.locator('#banners li.banner');
    const before = await banners.count();
    assert.ok(before > 0, 'a banner to dismiss');
    await banners.first().locator('button.dismiss').focus();
    await page.keyboard.press('Enter');
    assert.equal(await banners.count(), before - 1);
    assert.ok(await page.evaluate(() => document.getElementById('notifications')!.contains(document.activeElement)), 'focus stays in the notifications');
    await page.click('#tab-calls');
    await checkAndShoot(page, screenshots, '4-recent-calls');
  });

  it('is as legible in the dark colour scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.click('#tab-push');
    await checkAndShoot(page, screenshots, '5-dark-push-devices');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('raised no script errors or CSP violations (beyond the refused enrollment code)', () => {
    assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  });
});
