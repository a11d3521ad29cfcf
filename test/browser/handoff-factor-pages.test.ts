import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { backInTheApp, chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { enrollDevice } from '../support/push-device.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** A platform authenticator with user verification (as in handoff-passkey.test.ts). */
const AUTHENTICATOR = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } as const;
const PHRASE = 'my voice is my password, verify me';
const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;

/** espeak-ng speech at 16 kHz, with `lead` seconds of silence before it (time for the page checks while it records). */
function speak(take: number, lead = 0.3): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', 'en-us+m3', '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', PHRASE], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', String(lead), '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024, stdio: ['pipe', 'pipe', 'ignore'] });
}

/**
 * Every factor page of the hosted sign-in as a user walks it (issue 17): a passkey in one click from
 * the chooser, the voice recorded from the chooser's one click, the push waiting page (resend refused
 * before its cooldown, then approved on the device), a texted code (a wrong code shows the attempts
 * left, a resend too early is refused with the time to wait, then the right code), and TOTP wrong then
 * right. Each page is checked (axe-core, no sideways scroll) and shot at 1280 and 375 px.
 */
describe('hosted sign-in factor pages in Chromium', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('handoff-factor-pages', 'hand-off factor pages');
  let v: TestVerity;
  let app: ReturnApp;
  let origin: string;
  let returnUrl: string;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  const browsers: Browser[] = [];
  const problems: string[] = [];
  const clock = () => v.clock as NonNullable<TestVerity['clock']>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verity-factor-pages-'));
    v = await startVerity({ manualClock: true });
    // WebAuthn needs a domain as RP ID: the browser opens http://localhost (never 127.0.0.1).
    origin = v.url.replace('127.0.0.1', 'localhost');
    v.ctx.config.publicUrl = origin;
    app = await startReturnApp(backInTheApp('<link rel="icon" href="data:,">'));
    returnUrl = app.url;
    const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Acme', 'Passkeys.RelyingParty.Id': 'localhost', 'Passkeys.RelyingParty.Origins': origin, 'Passkeys.UserVerification': 'required' });
    assert.equal(service.status, 201, JSON.stringify(service.body));
    serviceSid = service.body.sid as string;
    ({ sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl));
    browser = await launchChromium();
    browsers.push(browser);
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    watchPage(page, problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await v?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const requestUrl = (identity: string, state: string, factors: HandoffFactorType[], extra: { purpose?: 'enroll'; phone?: string } = {}) =>
    buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, subject: identity, state, returnTo: returnUrl, factors, now: clock().now(), ...extra });

  /** Back at the application with a result the SDK accepts; its amr. */
  async function landedAmr(on: Page, identity: string, state: string): Promise<string[]> {
    await on.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 20_000 });
    await on.getByRole('heading', { name: 'Back in the app' }).waitFor();
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const token = new URL(on.url()).searchParams.get('result') as string;
    const result = await verifyHandoffResult({ token, verityUrl: origin, clientSid, expectedState: state, expectedSubject: identity, jwks, now: clock().now() });
    return result.amr;
  }

  const base = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;
  /** A verified TOTP factor; its secret, to compute codes. */
  async function withTotp(identity: string): Promise<Uint8Array> {
    const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'Authenticator', FactorType: 'totp' });
    const key = base32Decode(factor.body.binding.secret as string);
    const code = totp(key, clock().now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    assert.equal((await v.api('POST', `${base(identity)}/Factors/${factor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
    return key;
  }

  it('passkey in one click: the chooser card starts WebAuthn itself and returns to the application (amr swk)', async () => {
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
    const identity = 'user-pk-one-click';
    // Enrolled from the hub, as a user would.
    await page.goto(await requestUrl(identity, 'enroll-state', ['passkeys'], { purpose: 'enroll' }));
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.getByRole('status').filter({ hasText: 'Passkey added' }).waitFor();

    await page.goto(await requestUrl(identity, 'pk-state', ['passkeys']));
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await checkAndShoot(page, folder, '01-passkey-chooser');
    // One click: no passkey page in between.
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    assert.deepEqual(await landedAmr(page, identity, 'pk-state'), ['swk']);

    // Usernameless ("identify"): where autofill can offer passkeys the field is shown and a conditional
    // request waits for the user (the virtual authenticator's automatic presence is off meanwhile, so
    // nothing answers it); with presence back, the button's modal prompt (or the pending request) signs in.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    const url = await buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, purpose: 'identify', factors: ['passkeys'], state: 'identify-state', returnTo: returnUrl, now: clock().now() });
    await page.goto(url);
    await page.getByRole('heading', { name: 'Sign in with a passkey' }).waitFor();
    const conditional = await page.evaluate(() => PublicKeyCredential.isConditionalMediationAvailable?.() ?? false);
    if (conditional) await page.getByRole('textbox', { name: 'Username' }).waitFor();
    assert.equal(await page.locator('#passkey-username').getAttribute('autocomplete'), 'username webauthn');
    await checkAndShoot(page, folder, '01b-passkey-identify');
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 20_000 }),
      // The pending autofill request may win the race: then the button is gone, which is fine.
      page.getByRole('button', { name: 'Sign in with a passkey' }).click({ timeout: 10_000 }).catch(() => undefined),
    ]);
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: new URL(page.url()).searchParams.get('result') as string, verityUrl: origin, clientSid, expectedState: 'identify-state', jwks, now: clock().now() });
    assert.equal(result.subject, identity);
    await cdp.detach();
    assert.deepEqual(problems, []);
  });

  it('voice in one click: the recording page records by itself and signs in (amr vbm)', { skip: hasSpeech ? false : 'needs espeak-ng and sox' }, async () => {
    const identity = 'user-voice-one-click';
    await withTotp(identity);
    const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'My voice', FactorType: 'voiceprint' });
    for (const take of [0, 1, 2]) {
      await fetch(`${v.url}${base(identity)}/Factors/${factor.body.sid as string}/Recordings`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64')}`, 'content-type': 'audio/wav' },
        body: new Uint8Array(speak(take)),
      });
    }
    const file = join(dir, 'mic.wav');
    // Two seconds of quiet first: the page's checks run while it records.
    writeFileSync(file, speak(4, 2));
    const mic = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${file}%noloop`]);
    browsers.push(mic);
    const voice = await mic.newPage({ viewport: { width: 390, height: 844 } });
    watchPage(voice, problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
    await voice.goto(await requestUrl(identity, 'voice-state', ['voiceprint']));
    await voice.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await checkAndShoot(voice, folder, '02-voice-chooser');
    await voice.getByRole('button', { name: 'Use my voice' }).click();
    // No Record button to press: the page is recording after the one click.
    await voice.locator('#voiceprint[data-state="recording"]').waitFor({ timeout: 10_000 });
    await folder.shot(voice, '03-voice-recording-375');
    assert.deepEqual(await landedAmr(voice, identity, 'voice-state'), ['vbm']);
    assert.deepEqual(problems, []);
  });

  it('push: the waiting page shows the number, the expiry, refuses an early resend with the time to wait, and continues on approval', async () => {
    const identity = 'user-push-wait';
    const device = await enrollDevice(v, serviceSid, identity);
    await page.goto(await requestUrl(identity, 'push-state', ['push']));
    await page.getByRole('button', { name: 'Send a request to my phone' }).click();
    await page.getByRole('heading', { name: 'Approve on your phone' }).waitFor();
    const number = (await page.locator('#number-match').innerText()).trim();
    assert.match(number, /^\d{2}$/);
    assert.match(await page.locator('#push-expiry').innerText(), /^Expires in [45]:\d\d$/);
    assert.equal(await page.getByRole('button', { name: 'Try another way' }).count(), 1);
    await checkAndShoot(page, folder, '04-push-waiting');

    // The page's countdown runs on the browser's clock (Verity's is pinned here): posted at once, the server refuses it.
    assert.equal(Number(await page.locator('#push-resend-timer').getAttribute('data-until')), clock().now() + 30_000);
    await page.evaluate(() => (document.getElementById('push-resend') as HTMLFormElement).submit());
    await page.getByRole('status').filter({ hasText: /Please wait \d+ seconds before sending again\./ }).waitFor();
    await checkAndShoot(page, folder, '05-push-resend-too-early');

    clock().advance(31_000);
    await page.evaluate(() => (document.getElementById('push-resend') as HTMLFormElement).submit());
    await page.getByRole('status').filter({ hasText: 'We sent the request to your phone again.' }).waitFor();
    assert.equal((await page.locator('#number-match').innerText()).trim(), number, 'the same request, the same number');

    const [challenge] = await device.pending();
    assert.ok(challenge, 'expected the pending challenge');
    await device.answer(challenge, 'approved', number);
    assert.deepEqual(await landedAmr(page, identity, 'push-state'), ['swk']);
    assert.deepEqual(problems, []);
  });

  it('SMS code: a wrong code shows the attempts left, an early resend is refused with the time, then the right code signs in', async () => {
    const identity = 'user-sms-code';
    const phone = '+14155550190';
    await page.goto(await requestUrl(identity, 'sms-state', ['sms', 'call'], { phone }));
    await page.getByRole('button', { name: 'Text me a code' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    assert.match(await page.locator('main').innerText(), /We texted a code to •+90\./);
    assert.equal(await page.getByRole('textbox', { name: 'Code' }).getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await page.getByRole('button', { name: 'Call me instead' }).count(), 1);
    await checkAndShoot(page, folder, '06-sms-code');

    const code = await v.lastCode(phone);
    await page.getByRole('textbox', { name: 'Code' }).fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right. Check it and try again.' }).waitFor();
    assert.equal(await page.locator('#phone-code-attempts').innerText(), '4 attempts left');
    assert.equal(await page.getByRole('textbox', { name: 'Code' }).getAttribute('aria-invalid'), 'true');
    await checkAndShoot(page, folder, '07-sms-wrong-code');

    assert.equal(await page.getByRole('button', { name: 'Text me a new code' }).count(), 1);
    assert.ok(Number(await page.locator('#phone-resend-timer').getAttribute('data-until')) > clock().now(), 'the resend waits for its cooldown');
    await page.evaluate(() => (document.getElementById('phone-resend') as HTMLFormElement).submit());
    await page.getByRole('status').filter({ hasText: /Please wait \d+ seconds before sending again\./ }).waitFor();
    await checkAndShoot(page, folder, '08-sms-resend-too-early');

    await page.getByRole('textbox', { name: 'Code' }).fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.deepEqual(await landedAmr(page, identity, 'sms-state'), ['sms']);
    assert.deepEqual(problems, []);
  });

  it('TOTP: a wrong code shows the attempts left at the focused field, then the right code signs in', async () => {
    const identity = 'user-totp-code';
    const key = await withTotp(identity);
    await page.goto(await requestUrl(identity, 'totp-state', ['totp']));
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await checkAndShoot(page, folder, '09-totp-chooser');
    const field = page.getByRole('textbox', { name: 'Code' });
    await field.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: /That code is not right \(or was already used\)\./ }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /4 attempts left/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'code', 'the field has focus');
    await checkAndShoot(page, folder, '10-totp-wrong');
    clock().advance(30_000);
    await field.fill(totp(key, clock().now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 0 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    assert.deepEqual(await landedAmr(page, identity, 'totp-state'), ['otp']);
    assert.deepEqual(problems, []);
  });
});
