import assert from 'node:assert/strict';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { bootstrapDemo } from '../../demo/bootstrap.ts';
import { freePort } from '../../demo/test/demo-harness.ts';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { hashPassword } from '../../demo/users/passwords.ts';
import { newUserId } from '../../demo/users/users-store.ts';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { openOtherWays } from '../support/handoff-browser.ts';

const PHONE = '+14155550177';
const PASSWORD = 'velvet tractor umbrella 42';
const AUTHENTICATOR = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } as const;

/**
 * Demo Bank's "Sign in with a passkey" in Chromium with a virtual authenticator (CDP WebAuthn):
 * a customer (created directly, with a verified phone) signs in with password + texted code, adds a
 * passkey through "Set up sign-in methods", signs out, and signs in with the passkey alone.
 * Verity runs on `localhost` (WebAuthn refuses an IP address as RP ID).
 */
describe('Demo Bank passkey sign-in in Chromium', { skip: chromiumMissing }, () => {
  const screenshots = screenshotFolder('demo-passkey');
  let v: TestVerity;
  let demo: RunningDemo;
  let dataDir: string;
  let verityUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let bank: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  const problems: string[] = [];
  const shot = async (name: string) => screenshots.shot(bank, name);

  before(async () => {
    v = await startVerity();
    verityUrl = v.url.replace('127.0.0.1', 'localhost');
    v.ctx.config.publicUrl = verityUrl;
    dataDir = mkdtempSync(join(tmpdir(), 'demo-passkey-browser-'));
    const port = await freePort();
    const config = await bootstrapDemo({ verityUrl, accountSid: v.accountSid, authToken: v.authToken, dataDir, publicUrl: `http://localhost:${port}`, host: '127.0.0.1', port, virtualPhoneUrl: `${verityUrl}/phone` });
    demo = await startDemo(config);
    assert.ok(demo.ctx.users.insert({ id: newUserId(), username: 'hanna', password_hash: await hashPassword(PASSWORD), phone: PHONE, created_at: Date.now() }), 'the user is stored');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 412, height: 915 } });
    context.setDefaultTimeout(10_000);
    bank = await context.newPage();
    watchPage(bank, problems, { ignoreFailedResourceLoads: true });
    cdp = await context.newCDPSession(bank);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR }));
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await v?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Verity's "Text me a code" step, with the code read from the simulated carrier. */
  async function textedCode(step: string): Promise<void> {
    await openOtherWays(bank);
    await bank.locator('button', { hasText: 'Text me a code' }).click();
    await bank.waitForSelector('#phone-code');
    await bank.fill('#phone-code', await v.lastCode(PHONE));
    await shot(step);
    await bank.locator('button', { hasText: 'Verify' }).click();
  }

  it('signs in with password + texted code, then adds a passkey through "Set up sign-in methods"', async () => {
    await bank.bringToFront();
    await bank.goto(`${demo.url}/signin`);
    await shot('01-signin-page');
    await bank.fill('#username', 'hanna');
    await bank.fill('#password', PASSWORD);
    await bank.click('form[action="/signin"] button[type="submit"]');
    await textedCode('02-verity-code');
    await bank.waitForURL(`${demo.url}/account`);
    await bank.click('form[action="/account/security/enroll"] button');
    // A user whose only proof is the phone: Verity confirms it before the hub.
    await textedCode('03-enroll-phone-code');
    await bank.locator('button', { hasText: 'Add a passkey' }).click();
    await bank.locator('#passkey-start:visible').click();
    await bank.locator('[role="status"]', { hasText: 'Passkey added' }).waitFor();
    await shot('04-passkey-added');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]?.isResidentCredential, true, 'a discoverable passkey');
    await bank.locator('button', { hasText: /^Done/ }).click();
    await bank.waitForURL(`${demo.url}/account`);
  });

  it('signs out, then "Sign in with a passkey": no username, no password', async () => {
    await bank.click('.signout button');
    await bank.goto(`${demo.url}/signin`);
    // Verity's page also asks for the passkey through autofill (conditional UI), which the virtual
    // authenticator would answer by itself at once: its automatic presence is off until the page is seen.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    await bank.click('#passkey-signin');
    await bank.locator('h1', { hasText: 'Sign in with a passkey' }).waitFor();
    await shot('05-verity-sign-in-with-a-passkey');
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await Promise.all([
      bank.waitForURL(`${demo.url}/account`, { timeout: 20_000 }),
      // The pending autofill request may win the race: then the button is gone, which is fine.
      bank.locator('#passkey-start:visible').click({ timeout: 10_000 }).catch(() => undefined),
    ]);
    assert.match(await bank.locator('#signed-in-with').innerText(), /You signed in with: passkey/);
    await shot('06-account-signed-in-with-passkey');
    assert.deepEqual(problems, []);
  });
});
