import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { chromiumMissing, launchChromium, screenshotFolder } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { openConsolePage, signInThroughForm } from '../support/console-browser.ts';
import { enrollDevice } from '../support/push-device.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const IDENTITY = 'customer-4711-anna';
const THROTTLED = '+14155550166';
const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

/**
 * The console's identity views in Chromium, as an operator uses them (issue 17): sign in through the
 * form; entities list → the entity (TOTP, push, recovery codes, a real lock-out) → delete a factor
 * through its confirmation page (gone through the API too) → clear the lock-out (gone) → challenges
 * → one challenge → limits. Every page is checked and shot at 1280 and 375 px (axe-core, no
 * sideways scroll); every post carries Chromium's own Origin and Sec-Fetch-Site.
 */
describe('admin console: identities, in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-identity', 'admin console: identities');
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;
  let entitySid: string;
  let totpSid: string;
  let challengeSid: string;
  const base = () => `/v2/Services/${serviceSid}/Entities/${IDENTITY}`;

  before(async () => {
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme Bank' })).body.sid as string;
    const factor = await v.api('POST', `${base()}/Factors`, { FriendlyName: 'Authenticator app', FactorType: 'totp' });
    totpSid = factor.body.sid as string;
    entitySid = factor.body.entity_sid as string;
    await v.api('POST', `${base()}/Factors/${totpSid}`, { AuthPayload: totp(base32Decode(factor.body.binding.secret as string), v.ctx.clock.now(), OPTIONS) });
    const device = await enrollDevice(v, serviceSid, IDENTITY);
    await v.api('POST', `${base()}/RecoveryCodes`);
    for (const identity of ['customer-4712-ben', 'customer-4713-chloe']) {
      await v.api('POST', `/v2/Services/${serviceSid}/Entities`, { Identity: identity });
    }
    const challenge = await v.api('POST', `${base()}/Challenges`, {
      FactorSid: device.factorSid,
      'Details.Message': 'Approve the transfer?',
      'Details.Fields': JSON.stringify({ label: 'Amount', value: '€250.00' }),
      HiddenDetails: JSON.stringify({ ip: '203.0.113.9' }),
    });
    challengeSid = challenge.body.sid as string;
    // A real lock-out of the entity: wrong TOTP codes (the first ten are free).
    let locked = false;
    for (let i = 0; i < 12 && !locked; i++) {
      const wrong = await v.api('POST', `${base()}/Challenges`, { FactorSid: totpSid, AuthPayload: '000000' });
      locked = wrong.status === 429;
    }
    assert.ok(locked, 'the entity is locked out');
    for (let i = 0; i < 6; i++) await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: THROTTLED, Channel: 'sms' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('walks entities → entity → delete a factor → clear a lock-out → challenges → limits', async () => {
    const { context, page, problems, posts } = await openConsolePage(browser);

    await signInThroughForm(page, v, '/admin/entities');
    assert.equal(await page.locator('tbody tr').count(), 3);
    await checkAndShoot(page, folder, 'entities');

    await page.getByLabel('Identity (exact)').fill(IDENTITY);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/identity=/);
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.getByRole('link', { name: IDENTITY }).click();
    await page.waitForURL(`${v.url}/admin/entities/${entitySid}`);
    assert.equal(await page.getByRole('heading', { level: 1, name: IDENTITY }).count(), 1);
    assert.match(await page.locator('section[aria-labelledby="lockouts"]').innerText(), /locked until/);
    await checkAndShoot(page, folder, 'entity');

    await page.getByRole('button', { name: 'Delete Authenticator app' }).click();
    await page.waitForURL((url) => url.pathname === `/admin/entities/${entitySid}/factors/${totpSid}/delete`);
    await checkAndShoot(page, folder, 'delete-factor');
    await page.getByRole('button', { name: 'Delete factor' }).click();
    await page.waitForURL(`${v.url}/admin/entities/${entitySid}?done=factor-deleted`);
    assert.match(await page.getByRole('status').innerText(), /The factor is deleted/);
    assert.equal(await page.locator(`tr[data-factor="${totpSid}"]`).count(), 0);
    assert.equal((await v.api('GET', `${base()}/Factors/${totpSid}`)).status, 404, 'gone through the API too');
    const deletion = posts.at(-1);
    assert.ok(deletion, 'deletion');
    assert.equal((await deletion.allHeaders()).origin, new URL(v.url).origin, 'Chromium\'s real Origin');

    await page.locator('section[aria-labelledby="lockouts"]').getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(/\/admin\/limits\/lockouts\/clear\?/);
    await checkAndShoot(page, folder, 'clear-lockout');
    await page.getByRole('button', { name: 'Clear lock-out' }).click();
    await page.waitForURL(`${v.url}/admin/entities/${entitySid}?done=cleared`);
    assert.match(await page.getByRole('status').innerText(), /The lock-out is cleared/);
    assert.match(await page.locator('section[aria-labelledby="lockouts"]').innerText(), /No failed attempts/);
    assert.deepEqual(await v.ctx.db.kysely.selectFrom('check_failures').select('key').where('key', '=', `entity:${entitySid}`).execute(), []);
    await checkAndShoot(page, folder, 'entity-after-actions');

    await page.getByRole('link', { name: 'Challenges', exact: true }).first().click();
    await page.waitForURL(`${v.url}/admin/challenges`);
    await checkAndShoot(page, folder, 'challenges');
    await page.getByLabel('Factor type').selectOption('push');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/factor_type=push/);
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.getByRole('link', { name: challengeSid }).click();
    await page.waitForURL(`${v.url}/admin/challenges/${challengeSid}`);
    assert.match(await page.locator('main').innerText(), /Approve the transfer\?/);
    await checkAndShoot(page, folder, 'challenge');

    await page.goto(`${v.url}/admin/limits`);
    const throttling = await page.locator('section[aria-labelledby="throttling"]').innerText();
    assert.match(throttling, /Sends to one destination/);
    assert.ok(throttling.includes(THROTTLED), 'throttling.includes(THROTTLED)');
    await checkAndShoot(page, folder, 'limits');

    assert.deepEqual(problems, []);
    await context.close();
  });
});
