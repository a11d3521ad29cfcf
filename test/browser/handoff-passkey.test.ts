import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { buildHandoffRequestUrl, verifyHandoffResult } from '../../packages/sdk/src/handoff.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { backInTheApp, chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { assertAccessible, checkAndShoot, NARROW, overflowX, WIDE } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** A platform authenticator with user verification, as the reference setup (browser-testing.md §1). */
const AUTHENTICATOR = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } as const;

/**
 * Passkeys on the hosted pages in a real browser: Chromium's virtual authenticator (CDP WebAuthn)
 * answers SimpleWebAuthn's browser calls under the pages' strict CSP. Enrollment from the hub, sign-in
 * through the chooser back to the application, and the refusal when the device holds no passkey.
 */
describe('hosted hand-off passkeys in Chromium', { skip: chromiumMissing }, () => {
  const screenshots = screenshotFolder('handoff-passkey', 'hand-off passkey');
  let v: TestVerity;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let app: ReturnApp;
  let origin: string;
  let returnUrl: string;
  let clientSid: string;
  let secret: string;
  const identity = 'user-0000-0077';
  const problems: string[] = [];

  /** A Verity page: screenshots at 1280 and 375 px, axe-clean, no sideways scroll. */
  const shot = async (name: string) => checkAndShoot(page, screenshots, name);
  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const handoffUrl = (state: string, purpose?: 'enroll') =>
    buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, subject: identity, state, returnTo: returnUrl, factors: ['passkeys'], now: clock().now(), ...(purpose ? { purpose } : {}) });

  before(async () => {
    v = await startVerity({ manualClock: true });
    // WebAuthn needs a secure context and a domain as RP ID: the browser opens http://localhost (never 127.0.0.1).
    origin = v.url.replace('127.0.0.1', 'localhost');
    v.ctx.config.publicUrl = origin;
    app = await startReturnApp(backInTheApp('<link rel="icon" href="data:,">'));
    returnUrl = app.url;

    const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Acme', 'Passkeys.RelyingParty.Id': 'localhost', 'Passkeys.RelyingParty.Origins': origin, 'Passkeys.UserVerification': 'required' });
    assert.equal(service.status, 201, JSON.stringify(service.body));
    ({ sid: clientSid, secret } = await createSecretClient(v, service.body.sid as string, 'Acme Shop', returnUrl));

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    // Any script error or CSP violation (reported on the console) fails the suite.
    watchPage(page, problems, { ignoreFailedResourceLoads: true, failedResponses: 'all' });
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR }));
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    await app?.close();
  });

  it('enrollment: from the hub, "Add a passkey" creates a discoverable credential on the device and the hub lists it', async () => {
    await page.goto(await handoffUrl('enroll-state', 'enroll'));
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    await shot('01-enroll-hub');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('heading', { name: 'Add a passkey' }).waitFor();
    const create = page.getByRole('button', { name: 'Create a passkey' });
    await create.waitFor();
    await shot('02-enroll-passkey-page');
    await create.click();
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Passkey added' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Passkey for Acme Shop\s+Passkey · added/);
    await shot('03-enroll-passkey-added');

    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]?.isResidentCredential, true, 'a discoverable credential (resident key)');
    assert.equal(credentials[0]?.rpId, 'localhost');
    // CDP's user handle is standard base64: it is the entity sid.
    assert.match(Buffer.from(credentials[0]?.userHandle ?? '', 'base64').toString(), /^YE[0-9a-f]{32}$/);
    assert.deepEqual(problems, []);
  });

  it('sign-in: chooser → "Use a passkey" (one click, no page between) → back at the application with a result the SDK accepts (amr swk)', async () => {
    await page.goto(await handoffUrl('passkey-state'));
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await shot('04-chooser');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 10_000 }), page.getByRole('button', { name: 'Use a passkey' }).click()]);
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    await screenshots.shot(page, '06-back-in-app');

    const landed = new URL(page.url());
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: origin, clientSid, expectedState: 'passkey-state', expectedSubject: identity, jwks, now: clock().now() });
    assert.deepEqual(result.amr, ['swk']);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials[0]?.signCount, 2, 'registration and one sign-in');
    assert.deepEqual(problems, []);
  });

  it('rejection: a device without the passkey gets a specific message, and "Try another way" leads back to the chooser', async () => {
    // Another device: a fresh authenticator that holds no credential.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
    await page.goto(await handoffUrl('rejected-state'));
    // The chooser's one click fails on this device: the passkey page takes over with the reason.
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const use = page.getByRole('button', { name: 'Use my passkey' });
    await use.waitFor();
    let alert = page.locator('#form-error');
    await alert.waitFor({ timeout: 15_000 });
    assert.match(await alert.innerText(), /this device has no passkey for your account here/);
    await shot('05-passkey-page');
    // The passkey page's own button tries again.
    await use.click();
    alert = page.locator('#form-error');
    await alert.waitFor({ timeout: 15_000 });
    assert.match(await alert.innerText(), /this device has no passkey for your account here/);
    // Fresh options: the user may try again on this page.
    await use.waitFor();
    await shot('07-rejected');
    await page.getByRole('button', { name: 'Try another way' }).click();
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Use a passkey' }).count(), 1);
    await shot('08-chooser-again');
    assert.deepEqual(problems, []);
  });

  it('without JavaScript the passkey page says passkeys need it, and offers another way', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    try {
      const bare = await noScript.newPage();
      await bare.goto(await handoffUrl('noscript-state'));
      await bare.getByRole('button', { name: 'Use a passkey' }).click();
      await bare.getByRole('heading', { name: 'Use your passkey' }).waitFor();
      assert.match(await bare.locator('main').innerText(), /Passkeys need JavaScript/);
      assert.equal(await bare.getByRole('button', { name: 'Use my passkey' }).isVisible(), false);
      assert.equal(await bare.getByRole('button', { name: 'Try another way' }).isVisible(), true);
      for (const size of [WIDE, NARROW]) {
        await bare.setViewportSize(size);
        await screenshots.shot(bare, `09-no-javascript-${size.width}`);
        assert.ok((await overflowX(bare)) <= 0, `09-no-javascript at ${size.width} px scrolls sideways`);
      }
      // axe cannot run in a page that runs no script (its timers never fire): it checks a copy of this
      // page's DOM, the <noscript> content shown and the scripts left out, in a page that runs scripts.
      const markup = (await bare.content()).replace(/<(\/?)noscript>/g, '<$1div>').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
      const copy = await browser.newPage({ viewport: WIDE });
      try {
        // A document of Verity's origin first, so the copy's stylesheets load as the page's do.
        await copy.goto(`${origin}/handoff/assets/handoff.css`);
        await copy.setContent(markup);
        assert.match(await copy.locator('main').innerText(), /Passkeys need JavaScript/);
        await assertAccessible(copy, '09-no-javascript at 1280 px');
        await copy.setViewportSize(NARROW);
        await assertAccessible(copy, '09-no-javascript at 375 px');
      } finally {
        await copy.close();
      }
    } finally {
      await noScript.close();
    }
  });
});
