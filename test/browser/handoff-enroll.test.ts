import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildHandoffRequestUrl, verifyHandoffResult } from '../../packages/sdk/src/handoff.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { assertErrorAtField, chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * A new user sets up an authenticator app from the QR page and a push device through the virtual
 * phone, then "Done" takes them back to the application with a result the SDK accepts.
 */
describe('hosted enrollment hub in Chromium', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('handoff-enroll', 'hand-off enrollment');
  let v: TestVerity;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: ReturnApp;
  let returnUrl: string;
  const problems: string[] = [];

  const watch = (p: Page, label: string) => watchPage(p, problems, { label, ignoreFailedResourceLoads: true, failedResponses: 'all' });

  before(async () => {
    v = await startVerity();
    app = await startReturnApp();
    returnUrl = app.url;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    watch(page, 'hub');
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    await app?.close();
  });

  it('enrolls TOTP from the QR page and a push device on the virtual phone, then returns to the app', async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const identity = 'user-0000-0077';
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, displayName: 'Alice Martin', state: 'enroll-state', returnTo: returnUrl, factors: ['totp', 'push', 'recovery_code'], purpose: 'enroll' });

    // A new user: the hub at once.
    await page.goto(url);
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    await checkAndShoot(page, folder, '01-hub');

    // Authenticator app: read the key from the page, compute the code as the app would.
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await page.getByRole('heading', { name: 'Add an authenticator app' }).waitFor();
    assert.equal(await page.getByRole('img', { name: 'QR code for your authenticator app' }).isVisible(), true);
    await checkAndShoot(page, folder, '02-totp-qr');
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await page.getByLabel('Code from the app').fill(new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate());
    await page.getByRole('button', { name: 'Verify and add' }).click();
    await page.getByRole('status').filter({ hasText: 'Authenticator app added.' }).waitFor();
    await checkAndShoot(page, folder, '03-totp-added');

    // Push device: the short enrolment code goes to the virtual phone's push authenticator.
    await page.getByRole('button', { name: 'Add a push device' }).click();
    await page.getByRole('heading', { name: 'Add a push device' }).waitFor();
    await checkAndShoot(page, folder, '04-push-token');
    // The short code the QR code stands for (the full token stays one click away for older authenticators).
    const code = (await page.locator('#enroll-code').innerText()).trim();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.match((await page.locator('#enroll-token').inputValue()).trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const phone = await context.newPage();
    watch(phone, 'phone');
    await phone.goto(`${v.url}/phone`);
    await phone.waitForSelector('body[data-push-ready="true"]');
    // The phone's push authenticator is a tab of its own.
    await phone.click('#tab-push');
    await phone.fill('#push-token', code);
    await phone.click('#push-form button[type="submit"]');
    await phone.locator('#push-factors li.push-factor[data-status="verified"]').waitFor({ timeout: 10_000 });
    // The device names the account as the user knows it, not by the application's id.
    const shown = await phone.locator('#push-factors li.push-factor').innerText();
    assert.match(shown, /Alice Martin/);
    assert.doesNotMatch(shown, new RegExp(identity));
    await phone.locator('#push').scrollIntoViewIfNeeded();
    await checkAndShoot(phone, folder, '05-virtual-phone-enrolled');
    await phone.close();

    // The set-up page's script notices the device on its own and goes back to the hub.
    await page.getByRole('status').filter({ hasText: 'Push device added.' }).waitFor({ timeout: 10_000 });
    const listed = await page.locator('.factor-list li').allInnerTexts();
    assert.equal(listed.length, 2);
    assert.ok(listed.some((t) => t.includes('Authenticator app')) && listed.some((t) => t.includes('Push device')), listed.join(' | '));
    await checkAndShoot(page, folder, '06-push-added');

    await Promise.all([page.waitForURL((u) => u.href.startsWith(returnUrl)), page.getByRole('button', { name: 'Done — back to Acme Shop' }).click()]);
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    await folder.shot(page, '07-back-in-app');
    const landed = new URL(page.url());
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: v.url, clientSid: client.sid, expectedState: 'enroll-state', expectedSubject: identity });
    assert.deepEqual([...result.amr].sort(), ['otp', 'swk']);
    assert.deepEqual(problems, []);
  });

  it('a wrong code for the new authenticator app: the error is next to the field, in the viewport, announced and tied to the input; cancel tells the app why', async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: 'user-0000-0079', state: 'wrong-totp-state', returnTo: returnUrl, factors: ['totp', 'recovery_code'], purpose: 'enroll' });
    await page.goto(url);
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await page.getByRole('heading', { name: 'Add an authenticator app' }).waitFor();
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    const input = page.getByLabel('Code from the app');
    // A code of another time window: the shape is right, the code is not.
    await input.fill(new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: Date.now() + 600_000 }));
    await page.getByRole('button', { name: 'Verify and add' }).click();

    const error = page.getByRole('alert').filter({ hasText: 'That code is not right' });
    await error.waitFor();
    await assertErrorAtField(page, error, input, 'totp-code');
    assert.equal(await page.getByRole('alert').count(), 1, 'one error, not a second copy at the top');
    await checkAndShoot(page, folder, '08-totp-wrong-code');

    // Leaving from the hub: the application hears why (a signed access_denied), not a bare return.
    await page.getByRole('button', { name: 'Back to my sign-in methods' }).click();
    await Promise.all([page.waitForURL((u) => u.href.startsWith(returnUrl)), page.getByRole('link', { name: 'Cancel and go back to Acme Shop' }).click()]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get('error'), 'access_denied');
    assert.equal(landed.searchParams.get('state'), 'wrong-totp-state');
    assert.match(landed.searchParams.get('error_result') ?? '', /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(problems, []);
  });

  it('a user with a factor confirms it first, then adds a phone number by SMS and recovery codes', async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const identity = 'user-0000-0078';
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Old phone', FactorType: 'totp' });
    const totp = new TOTP({ secret: Secret.fromBase32(created.body.binding.secret as string), digits: 6, period: 30 });
    const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${created.body.sid as string}`, { AuthPayload: totp.generate() });
    assert.equal(verified.body.status, 'verified');
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, state: 'step-up-state', returnTo: returnUrl, factors: ['totp', 'recovery_code', 'sms', 'call'], purpose: 'enroll' });

    await page.goto(url);
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await checkAndShoot(page, folder, '11-step-up-chooser');
    // The code of the next time step: the current one was spent verifying the factor.
    await page.getByLabel('Code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    await checkAndShoot(page, folder, '12-hub-after-step-up');

    const phone = '+14155550178';
    await page.getByLabel('Your phone number').fill('+1 415 555 0178');
    await page.getByRole('button', { name: 'Send a code' }).click();
    await page.getByRole('heading', { name: 'Confirm your phone number' }).waitFor();
    await checkAndShoot(page, folder, '13-phone-code');
    await page.getByLabel('Code').fill(await v.lastCode(phone));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'confirmed' }).waitFor();

    await page.getByRole('button', { name: 'Get recovery codes' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await checkAndShoot(page, folder, '14-recovery-codes');
    await page.getByRole('button', { name: 'I saved them — back to my sign-in methods' }).click();
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    await checkAndShoot(page, folder, '15-hub-done');

    await Promise.all([page.waitForURL((u) => u.href.startsWith(returnUrl)), page.getByRole('button', { name: 'Done — back to Acme Shop' }).click()]);
    const landed = new URL(page.url());
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: v.url, clientSid: client.sid, expectedState: 'step-up-state', expectedSubject: identity });
    assert.deepEqual(result.amr, ['otp']);
    assert.equal(result.phoneNumber, phone);
    assert.deepEqual(problems, []);
  });

  it('lists the methods with the user’s name, renames one, removes one after confirming, and refuses to remove the last', async () => {
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const identity = 'demo-5a6b7c8d9e0f';
    const entity = `/v2/Services/${serviceSid}/Entities/${identity}`;
    const enroll = async (name: string) => {
      const created = await v.api('POST', `${entity}/Factors`, { FriendlyName: name, FactorType: 'totp' });
      const totp = new TOTP({ secret: Secret.fromBase32(created.body.binding.secret as string), digits: 6, period: 30 });
      assert.equal((await v.api('POST', `${entity}/Factors/${created.body.sid as string}`, { AuthPayload: totp.generate() })).body.status, 'verified');
      return totp;
    };
    const main = await enroll('Old phone');
    await enroll('Spare');
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, displayName: 'alice', state: 'manage-state', returnTo: returnUrl, factors: ['totp'], purpose: 'enroll' });

    await page.goto(url);
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await page.getByLabel('Code').first().fill(main.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).first().click();
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    assert.equal(await page.getByText('Account: alice').isVisible(), true);
    assert.equal((await page.content()).includes(identity), false, 'the opaque id never shows');
    assert.equal(await page.locator('.factor-list li').count(), 2);
    await checkAndShoot(page, folder, '21-hub-methods');

    // Rename: the disclosure opens a labelled field with the current name.
    await page.locator('summary', { hasText: 'Rename' }).first().click();
    const field = page.getByLabel('New name for “Old phone”');
    await field.fill('Work phone');
    await checkAndShoot(page, folder, '22-rename');
    await page.getByRole('button', { name: 'Save the name' }).first().click();
    await page.getByRole('status').filter({ hasText: 'Renamed to “Work phone”.' }).waitFor();
    assert.match(await page.locator('.factor-list').innerText(), /Work phone/);

    // Remove: asks first, then removes.
    await page.getByRole('button', { name: 'Remove Spare' }).click();
    await page.getByRole('heading', { name: 'Remove this sign-in method?' }).waitFor();
    await checkAndShoot(page, folder, '23-remove-confirm');
    await page.getByRole('button', { name: 'Remove “Spare”' }).click();
    await page.getByRole('status').filter({ hasText: '“Spare” removed.' }).waitFor();
    assert.equal(await page.locator('.factor-list li').count(), 1);
    await checkAndShoot(page, folder, '24-removed');

    assert.equal(problems.length, 0, problems.join(' | '));

    // The last method stays: the hub again (409: refused), with the reason above the list.
    await page.getByRole('button', { name: 'Remove Work phone' }).click();
    await page.getByRole('alert').filter({ hasText: 'This is your only sign-in method' }).waitFor();
    await checkAndShoot(page, folder, '25-last-refused');
    const factors = (await v.api('GET', `${entity}/Factors`)).body.factors as Array<{ friendly_name: string }>;
    assert.deepEqual(factors.map((f) => f.friendly_name), ['Work phone']);
    assert.deepEqual(problems.map((p) => p.replace(/http\S+/, '<page>')), ['hub 409 <page>']);
    problems.length = 0;
  });
});
