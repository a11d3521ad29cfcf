import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { startHostedHandoff } from '../../src/hosted-factors/chooser.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { createSecretClient, HostedBrowser, plantSession } from '../handoff/handoff-support.ts';
import { chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { openOtherWays } from '../support/handoff-browser.ts';
import { assertAccessible, checkAndShoot } from '../support/page-checks.ts';
import { enrollVoiceThroughApi, withVerifiedTotp } from '../support/voiceprint-api.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const PHRASE = 'my voice is my password, verify me';
const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;
const skip = chromiumMissing || (hasSpeech ? false : 'needs espeak-ng and sox');

/** espeak-ng speech at 16 kHz, padded with 0.3 s of silence; each take a little faster and higher, as a person's repeats differ. */
function speak(voice: string, take: number, text = PHRASE): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', voice, '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', text], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024 , stdio: ['pipe', 'pipe', 'ignore'] });
}

/**
 * "Use your voice" and voice set-up in Chromium with its fake microphone: each launch plays one WAV
 * once (`%noloop`: silence before and after it), so the page's own script records it, resamples it
 * to 16 kHz and uploads it. A take of the same voice that Verity never heard signs in; another voice
 * is told it did not match; a set-up records three different takes, one browser launch each.
 */
describe('hosted hand-off voice pages in Chromium (fake microphone)', { skip }, () => {
  const folder = screenshotFolder('handoff-voiceprint', 'hand-off voice');
  const { shot } = folder;
  let v: TestVerity;
  let app: ReturnApp;
  let returnUrl: string;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let dir: string;
  const browsers: Browser[] = [];
  const problems: string[] = [];
  let counter = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verity-voice-'));
    v = await startVerity();
    app = await startReturnApp();
    returnUrl = app.url;
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    ({ sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl));
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await v?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A page in a Chromium whose microphone plays `wav` once (`allow: false`: the user refuses the
   * microphone); script errors and CSP violations are collected.
   */
  async function pageWithMicrophone(wav: Buffer, allow = true): Promise<Page> {
    const file = join(dir, `mic-${++counter}.wav`);
    writeFileSync(file, wav);
    const browser = await launchChromium([...(allow ? ['--use-fake-ui-for-media-stream'] : []), '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${file}%noloop`]);
    browsers.push(browser);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    watchPage(page, problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
    return page;
  }

  const base = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;
  const withTotp = (identity: string): Promise<void> => withVerifiedTotp(v, base(identity));
  /** Enrolled through the API with takes 0–2, so the browser's take is one Verity never heard. */
  const enrolledThroughApi = (identity: string): Promise<void> => enrollVoiceThroughApi(v, base(identity), [0, 1, 2].map((take) => speak('en-us+m3', take)));
  const requestUrl = (identity: string, state: string, factors: HandoffFactorType[] = ['totp', 'voiceprint']) => buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: identity, state, returnTo: returnUrl, factors });

  /** Record: the page's script records until the quiet after the phrase, uploads, and shows or follows the answer. */
  async function record(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Record' }).click();
    await page.locator('#voiceprint[data-state="recording"]').waitFor({ timeout: 10_000 });
  }
  /** The chooser's "Use my voice" (under "Other ways to sign in" when another method comes first): one click. */
  async function useMyVoice(page: Page): Promise<void> {
    const button = page.getByRole('button', { name: 'Use my voice' });
    if (!(await button.isVisible())) await page.locator('details.other-ways > summary').click();
    await button.click();
  }
  /** A sign-in page records by itself after the chooser's one click: no Record button to press. */
  async function recording(page: Page): Promise<void> {
    await page.locator('#voiceprint[data-state="recording"]').waitFor({ timeout: 10_000 });
  }

  /** Waits for the return to the application; on a timeout, fails with what the page and the engine said. */
  async function returnedToApp(page: Page): Promise<void> {
    try {
      await page.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 20_000 });
    } catch (error) {
      const alert = await page.locator('#vp-alert').innerText().catch(() => '');
      const attempts = v.logs().split('\n').filter((line) => line.includes('voiceprint attempt')).slice(-3).join('\n');
      throw new Error(`not back in the application: ${alert}\n${attempts}`, { cause: error });
    }
  }

  it('signs in with a fresh take of the enrolled voice: the page records, uploads and returns to the application (amr vbm)', async () => {
    const identity = `voice-user-${Date.now().toString(36)}`;
    await enrolledThroughApi(identity);
    const page = await pageWithMicrophone(speak('en-us+m3', 4));
    await page.goto(await requestUrl(identity, 'voice-state'));
    await openOtherWays(page);
    await page.getByRole('heading', { name: 'Use your voice' }).waitFor();
    await checkAndShoot(page, folder, '01-chooser');
    await useMyVoice(page);
    await page.getByRole('heading', { name: 'Sign in with your voice' }).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Try another way' }).isVisible(), "expected await page.getByRole('button', { name: 'Try another way' }).isVisible()");
    await shot(page, '02-recording-page');
    // The page records by itself at once: one axe check at this size, no time for a second width.
    await assertAccessible(page, '02-recording-page');
    await recording(page);
    await page.waitForTimeout(1200);
    await shot(page, '03-recording');
    await returnedToApp(page);
    await page.getByRole('heading', { name: 'Back in the app' }).waitFor();
    await shot(page, '04-back-in-app');
    const landed = new URL(page.url());
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: v.url, clientSid, expectedState: 'voice-state', expectedSubject: identity, jwks });
    assert.deepEqual(result.amr, ['vbm']);
    assert.deepEqual(problems, []);
  });

  it('another voice is told it did not match, may record again, and can try another way', async () => {
    const identity = `voice-other-${Date.now().toString(36)}`;
    await enrolledThroughApi(identity);
    const page = await pageWithMicrophone(speak('en-us+f4', 1));
    await page.goto(await requestUrl(identity, 'other-state'));
    await useMyVoice(page);
    await recording(page);
    const alert = page.locator('#vp-alert');
    await alert.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await alert.innerText(), /^Your voice did not match\. .*4 attempts left\.$/);
    assert.ok(await page.getByRole('button', { name: 'Record' }).isVisible(), 'another take may be recorded');
    await checkAndShoot(page, folder, '05-no-match');
    await page.getByRole('button', { name: 'Try another way' }).click();
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await checkAndShoot(page, folder, '06-another-way');
    assert.deepEqual(problems, []);
  });

  it('digits mode: the sign-in page shows the challenge\'s fresh digits, and words that are not those digits are refused', async () => {
    const digitsService = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme Digits', 'Voiceprint.Mode': 'digits' })).body.sid as string;
    const client = await createSecretClient(v, digitsService, 'Acme Digits', returnUrl);
    const identity = `voice-digits-${Date.now().toString(36)}`;
    const entity = `/v2/Services/${digitsService}/Entities/${identity}`;
    const totpFactor = await v.api('POST', `${entity}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
    const code = totp(base32Decode(totpFactor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    assert.equal((await v.api('POST', `${entity}/Factors/${totpFactor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
    const factor = await v.api('POST', `${entity}/Factors`, { FriendlyName: 'My digits', FactorType: 'voiceprint' });
    let prompt = factor.body.config.prompt as string;
    let status = '';
    for (const take of [0, 1, 2]) {
      const res = await fetch(`${v.url}${entity}/Factors/${factor.body.sid as string}/Recordings`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64')}`, 'content-type': 'audio/wav' },
        body: new Uint8Array(speak('en-us+m3', take, prompt.split(' ').join(', '))),
      });
      const body = (await res.json()) as { status: string; config: { prompt: string } };
      ({ status } = body);
      prompt = body.config.prompt;
    }
    assert.equal(status, 'verified');

    // The microphone says the pass phrase, not digits: the page must say so.
    const page = await pageWithMicrophone(speak('en-us+m3', 4));
    await page.goto(await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, state: 'digits-state', returnTo: returnUrl, factors: ['totp', 'voiceprint'] }));
    await useMyVoice(page);
    await page.getByRole('heading', { name: 'Sign in with your voice' }).waitFor();
    const challenges = await v.api('GET', `${entity}/Challenges?FactorSid=${factor.body.sid as string}`);
    const expected = (challenges.body.challenges as Array<{ details: { prompt?: string } }>)[0]?.details.prompt;
    assert.match(expected ?? '', /^\d( \d){5}$/);
    assert.equal((await page.locator('#vp-phrase').innerText()).trim(), `Say: ${expected as string}`);
    assert.match(await page.locator('#vp-phrase-label').innerText(), /Say these digits, one by one/);
    await shot(page, '13-digits-prompt');
    await assertAccessible(page, '13-digits-prompt');
    await recording(page);
    const alert = page.locator('#vp-alert');
    await alert.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await alert.innerText(), /^Those were not the digits shown\. .*4 attempts left\.$/);
    assert.equal((await page.locator('#vp-phrase').innerText()).trim(), `Say: ${expected as string}`, 'the same challenge keeps its digits');
    await checkAndShoot(page, folder, '14-digits-mismatch');
    assert.deepEqual(problems, []);
  });

  it('a refused microphone is explained, and the page still offers another way', async () => {
    const identity = `voice-nomic-${Date.now().toString(36)}`;
    await enrolledThroughApi(identity);
    const page = await pageWithMicrophone(speak('en-us+m3', 4), false);
    await page.goto(await requestUrl(identity, 'nomic-state'));
    // The one click starts the microphone, which is refused: no second click needed to learn it.
    await useMyVoice(page);
    const alert = page.locator('#vp-alert');
    await alert.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await alert.innerText(), /^Microphone access was blocked\. Allow the microphone for this page/);
    assert.ok(await page.getByRole('button', { name: 'Try another way' }).isVisible(), "expected await page.getByRole('button', { name: 'Try another way' }).isVisible()");
    await checkAndShoot(page, folder, '12-microphone-blocked');
    assert.deepEqual(problems, []);
  });

  it('sets up a voice in three takes (one browser each), returns to the set-up page, then signs in with it', async () => {
    const identity = `voice-setup-${Date.now().toString(36)}`;
    await withTotp(identity);
    const token = new URL(await requestUrl(identity, 'setup-state', ['totp', 'voiceprint'])).searchParams.get('request') as string;
    // The enrollment hub hands the session on with its grant (the user proved a factor first).
    const { session } = await startHostedHandoff(v.ctx, await verifyHandoffRequest(v.ctx, token));
    // One person's session in three browsers (one microphone file each): each carries the session's binding cookie.
    const person = new HostedBrowser();
    let sealed = await plantSession(v, { ...session, enrollment: { amr: ['otp'] } }, person);

    for (const take of [0, 1, 2]) {
      const page = await pageWithMicrophone(speak('en-us+m3', take));
      await page.context().addCookies([...person.cookies].map(([name, value]) => ({ name, value, url: v.url })));
      // As the hub's "Set up voice sign-in" form does: POST the form token from a document of Verity's
      // origin (a same-site POST: the SameSite=Lax cookie goes with it; the stylesheet has no CSP), then 303 to the session's page.
      await page.goto(`${v.url}/handoff/assets/handoff.css`);
      await page.setContent(`<form method="post" action="${v.url}/handoff/enroll/voiceprint"><input type="hidden" name="session" value="${sealed}"></form>`);
      await Promise.all([page.waitForURL(/\/handoff\/page\/[\w-]+$/), page.locator('form').evaluate((form: HTMLFormElement) => form.submit())]);
      await page.getByRole('heading', { name: 'Set up voice sign-in' }).waitFor();
      assert.equal((await page.locator('#vp-progress').innerText()).trim(), `Take ${take + 1} of 3`);
      if (take === 0) await checkAndShoot(page, folder, '07-setup-take-1');
      await record(page);
      if (take < 2) {
        await page.getByText(`Take ${take + 1} saved. Press Record for the next take.`).waitFor({ timeout: 20_000 });
        assert.equal((await page.locator('#vp-progress').innerText()).trim(), `Take ${take + 2} of 3 (${take + 1} saved)`);
        if (take === 0) await checkAndShoot(page, folder, '08-setup-take-1-saved');
        sealed = (await page.locator('#voiceprint').getAttribute('data-session')) as string;
      } else {
        await page.getByRole('button', { name: 'Continue' }).waitFor({ timeout: 20_000 });
        assert.match(await page.locator('#vp-status').innerText(), /Your voice is set up/);
        await checkAndShoot(page, folder, '09-setup-done');
        const [hub] = await Promise.all([page.waitForRequest((r) => r.url() === `${v.url}/handoff/enroll` && r.method() === 'POST'), page.getByRole('button', { name: 'Continue' }).click()]);
        assert.match(hub.postData() ?? '', /^session=/);
        await page.waitForLoadState();
        await checkAndShoot(page, folder, '10-back-to-hub');
      }
    }
    const factors = await v.api('GET', `${base(identity)}/Factors`);
    const voice = (factors.body.factors as Array<{ factor_type: string; status: string }>).find((f) => f.factor_type === 'voiceprint');
    assert.equal(voice?.status, 'verified');

    const page = await pageWithMicrophone(speak('en-us+m3', 5));
    await page.goto(await requestUrl(identity, 'after-setup'));
    await useMyVoice(page);
    assert.match(await page.locator('#vp-phrase').innerText(), /My voice is my password, verify me/);
    await recording(page);
    await returnedToApp(page);
    await shot(page, '11-signed-in-with-new-voice');
    assert.deepEqual(problems, []);
  });
});
