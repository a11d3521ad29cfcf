import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHandoffRequestUrl, verifyHandoffResult } from '../../packages/sdk/src/handoff.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { chromiumMissing, screenshotFolder } from '../support/browser.ts';
import { handoffInBrowser } from '../support/handoff-browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import type { TestVerity } from '../support/start-verity.ts';

const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

/** The hosted hand-off page in a real browser: the TOTP path from the application's redirect back to its return URL. */
describe('hosted hand-off page in Chromium', { skip: chromiumMissing }, () => {
  const suite = handoffInBrowser('handoff', 'hand-off');
  // The suite's own folder (handoffInBrowser saves its shots there too): Verity's pages are checked at both widths.
  const folder = screenshotFolder('handoff');

  it('runs the TOTP path: chooser, wrong code, right code, back to the application with a result', async () => {
    const { v, page, returnUrl, problems, shot } = suite;
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const identity = 'user-0000-0042';
    const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Pixel 9', FactorType: 'totp' });
    const secret = factor.body.binding.secret as string;
    const codeAt = (offsetSteps: number) => totp(base32Decode(secret), clock.now() + offsetSteps * 30_000, OPTIONS);
    await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.body.sid as string}`, { AuthPayload: codeAt(0) });
    await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes`);
    clock.advance(30_000);

    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, state: 'browser-state', returnTo: returnUrl, factors: ['totp', 'recovery_code'], now: clock.now() });
    await page.goto(url);
    assert.equal(await page.title(), 'Verify it’s you · Verity');
    const code = page.getByLabel('Code', { exact: true });
    // The first method has the focus: the user can type at once.
    assert.equal(await code.evaluate((el) => el === document.activeElement), true);
    // The other methods wait, collapsed, under "Other ways to sign in" (issue 17).
    assert.equal(await page.locator('details.other-ways h2', { hasText: 'Recovery code' }).count(), 1);
    // The stylesheet applied (no inline styles are allowed): the button has the accent colour.
    assert.notEqual(await page.getByRole('button', { name: 'Verify' }).evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)');
    await checkAndShoot(page, folder, '01-chooser');

    await code.fill(codeAt(20));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /That code is not right .* 4 attempts left\./);
    assert.equal(await page.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true');
    await checkAndShoot(page, folder, '02-wrong-code');

    await page.getByLabel('Code', { exact: true }).fill(codeAt(0));
    await Promise.all([page.waitForURL((u) => u.href.startsWith(returnUrl)), page.getByRole('button', { name: 'Verify' }).click()]);
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    await shot('03-back-in-app');
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get('state'), 'browser-state');
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: v.url, clientSid: client.sid, expectedState: 'browser-state', expectedSubject: identity, jwks, now: clock.now() });
    assert.deepEqual(result.amr, ['otp']);

    // The hand-off URL opened again in this browser: its session's page, which says it is done (never "already used").
    await page.goto(url);
    await page.getByRole('heading', { name: 'You are done here' }).waitFor();
    assert.match(await page.getByRole('status').innerText(), /You already confirmed this sign-in to Acme Shop\./);
    assert.equal(await page.getByRole('link', { name: 'Continue to Acme Shop' }).count(), 1);
    await checkAndShoot(page, folder, '04-reopened-done');
    assert.deepEqual(problems, []);
  });

  it('signs in with a recovery code: a wrong one is refused, a right one returns amr otp and is spent', async () => {
    const { v, page, returnUrl, problems, shot } = suite;
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const identity = 'user-0000-0044';
    const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Lost phone', FactorType: 'totp' });
    await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.body.sid as string}`, { AuthPayload: totp(base32Decode(factor.body.binding.secret as string), clock.now(), OPTIONS) });
    const codes = (await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes`)).body.codes as string[];
    const signIn = (state: string) => buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, state, returnTo: returnUrl, factors: ['totp', 'recovery_code'], now: clock.now() });

    await page.goto(await signIn('recovery-state'));
    await page.getByText('Other ways to sign in').click();
    const field = page.getByRole('textbox', { name: 'Recovery code' });
    assert.match(await page.getByText(/single-use recovery codes \(\d+ left\)/).innerText(), new RegExp(`\\(${codes.length} left\\)`));
    await field.fill('AAAA-BBBB-CCCC');
    await page.getByRole('button', { name: 'Use recovery code' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /That recovery code is not right, or was already used\./);
    assert.equal(await page.getByRole('textbox', { name: 'Recovery code' }).getAttribute('aria-invalid'), 'true');
    await checkAndShoot(page, folder, '05-recovery-wrong');

    await page.getByRole('textbox', { name: 'Recovery code' }).fill((codes[0] as string).toLowerCase());
    await Promise.all([page.waitForURL((u) => u.href.startsWith(returnUrl)), page.getByRole('button', { name: 'Use recovery code' }).click()]);
    await shot('06-recovery-back-in-app');
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: new URL(page.url()).searchParams.get('result') as string, verityUrl: v.url, clientSid: client.sid, expectedState: 'recovery-state', expectedSubject: identity, jwks, now: clock.now() });
    assert.deepEqual(result.amr, ['otp']);

    // The same code on a new sign-in: spent, and the count went down.
    await page.goto(await signIn('recovery-state-2'));
    await page.getByText('Other ways to sign in').click();
    assert.match(await page.getByText(/single-use recovery codes/).innerText(), new RegExp(`\\(${codes.length - 1} left\\)`));
    await page.getByRole('textbox', { name: 'Recovery code' }).fill(codes[0] as string);
    await page.getByRole('button', { name: 'Use recovery code' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /not right, or was already used/);
    await checkAndShoot(page, folder, '07-recovery-reused');
    assert.deepEqual(problems, []);
  });
});
