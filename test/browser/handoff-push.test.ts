import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHandoffRequestUrl, verifyHandoffResult } from '../../packages/sdk/src/handoff.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { chromiumMissing, screenshotFolder } from '../support/browser.ts';
import { handoffInBrowser } from '../support/handoff-browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { enrollDevice } from '../support/push-device.ts';
import type { TestVerity } from '../support/start-verity.ts';

/** The push waiting page in a real browser: its script follows the challenge and continues on approval, under the strict CSP. */
describe('hosted hand-off push page in Chromium', { skip: chromiumMissing }, () => {
  const suite = handoffInBrowser('handoff-push', 'hand-off push');
  // The suite's own folder (handoffInBrowser saves its shots there too): Verity's pages are checked at both widths.
  const folder = screenshotFolder('handoff-push');

  it('approves on the phone: the page shows the number, then returns to the application on its own', async () => {
    const { v, page, returnUrl, problems, shot } = suite;
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const identity = 'user-0000-0043';
    const device = await enrollDevice(v, serviceSid, identity);

    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, state: 'push-state', returnTo: returnUrl, factors: ['push'], now: clock.now() });
    await page.goto(url);
    await page.getByRole('button', { name: 'Send a request to my phone' }).click();
    await page.getByRole('heading', { name: 'Approve on your phone' }).waitFor();
    const number = (await page.locator('#number-match').innerText()).trim();
    assert.match(number, /^\d{2}$/);
    await checkAndShoot(page, folder, '01-waiting');

    const [challenge] = await device.pending();
    assert.ok(challenge, 'expected challenge');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 10_000 }), device.answer(challenge, 'approved', number)]);
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    await shot('02-back-in-app');
    const landed = new URL(page.url());
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: v.url, clientSid: client.sid, expectedState: 'push-state', expectedSubject: identity, jwks, now: clock.now() });
    assert.deepEqual(result.amr, ['swk']);
    assert.deepEqual(problems, []);
  });

  it('denied on the phone: the page goes back to the chooser with the reason, and nothing is sent to the application', async () => {
    const { v, page, returnUrl, problems } = suite;
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    const client = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl);
    const identity = 'user-0000-0045';
    const device = await enrollDevice(v, serviceSid, identity);
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, state: 'deny-state', returnTo: returnUrl, factors: ['push'], now: clock.now() });
    await page.goto(url);
    await page.getByRole('button', { name: 'Send a request to my phone' }).click();
    await page.getByRole('heading', { name: 'Approve on your phone' }).waitFor();
    const [challenge] = await device.pending();
    assert.ok(challenge, 'expected challenge');
    await device.answer(challenge, 'denied');
    // The page follows the stream, posts its continue form, and the server reads "denied".
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor({ timeout: 10_000 });
    assert.match(await page.getByRole('alert').innerText(), /The sign-in was denied on your phone\. If that was not you, someone may know your password\./);
    assert.ok(page.url().startsWith(v.url), 'still on Verity');
    await checkAndShoot(page, folder, '03-denied');
    // The user may try again from the chooser.
    assert.equal(await page.getByRole('button', { name: 'Send a request to my phone' }).count(), 1);
    assert.deepEqual(problems, []);
  });
});
