import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { startHostedHandoff } from '../../src/hosted-factors/chooser.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { createSecretClient, HostedBrowser, plantSession } from '../handoff/handoff-support.ts';
import { chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { openOtherWays } from '../support/handoff-browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { enrollVoiceThroughApi, withVerifiedTotp } from '../support/voiceprint-api.ts';
import { startVerity, type SimCall, type TestVerity } from '../support/start-verity.ts';

const PHRASE = 'my voice is my password, verify me';
const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;
const skip = chromiumMissing || (hasSpeech ? false : 'needs espeak-ng and sox');

/** espeak-ng speech at 8 kHz (a phone line); each take a little faster and higher, as a person's repeats differ. */
function speak(take: number): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', 'en-us+m3', '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', PHRASE], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', '8000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024, stdio: ['pipe', 'pipe', 'ignore'] });
}

/**
 * "Call me and I will say my phrase" in Chromium: the hosted sign-in and the enrollment hub place a
 * call to the trusted number; the simulated phone answers and plays espeak WAVs into the call; the
 * page follows the call live (its progress stream) and finishes by itself. Also: pressing the button
 * again places no second call, a stream token opens its own call only, and without JavaScript the
 * page shows the progress so far with a Refresh button.
 */
describe('hosted voice by phone call in Chromium', { skip, timeout: 300_000 }, () => {
  const folder = screenshotFolder('handoff-voiceprint-call', 'hand-off voice call');
  let v: TestVerity;
  let app: ReturnApp;
  let browser: Browser;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  const problems: string[] = [];
  let counter = 0;

  before(async () => {
    // Simulated phones ring at a quarter of real time.
    v = await startVerity({ env: { VERITY_SIMULATOR_TIME_SCALE: '0.25', VERITY_VOICE_RING_TIMEOUT_SECONDS: '60' } });
    app = await startReturnApp();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    ({ sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Shop', app.url));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    await app?.close();
  });

  const newNumber = () => `+1415556${String(Date.now() % 1000).padStart(3, '0')}${++counter}`;
  const base = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;
  const withTotp = (identity: string): Promise<void> => withVerifiedTotp(v, base(identity));
  /** A voice enrolled through the API with phone-line takes 0–2: the call's take is one Verity never heard. */
  const enrolledThroughApi = (identity: string): Promise<void> => enrollVoiceThroughApi(v, base(identity), [0, 1, 2].map((take) => speak(take)));
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    watchPage(page, problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
    return { context, page };
  }
  const requestUrl = (identity: string, state: string, phone: string, factors: HandoffFactorType[] = ['totp', 'voiceprint', 'call']) =>
    buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: identity, state, returnTo: app.url, factors, phone });

  /** The simulated phone plays `wav` into the call (the call is waiting for a recording). */
  async function sayInto(to: string, call: SimCall, wav: Buffer): Promise<SimCall> {
    const res = await fetch(`${v.url}/sim/v1/phones/${encodeURIComponent(to)}/calls/${call.sid}/speak`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(wav) });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as SimCall;
  }
  async function callMe(page: Page): Promise<void> {
    const button = page.getByRole('button', { name: 'Call me and I will say my phrase' });
    if (!(await button.isVisible())) await openOtherWays(page);
    await button.click();
  }
  const status = (page: Page, text: string) => page.locator('#voicecall-status', { hasText: text }).waitFor({ timeout: 15_000 });

  it('signs in by call: the page follows the call live, a second press places no second call, and the voice signs in (amr vbm + tel: the voice on a call to the user\'s number)', async () => {
    const identity = `voice-call-${Date.now().toString(36)}`;
    const to = newNumber();
    await enrolledThroughApi(identity);
    const { context, page } = await newPage();
    await page.goto(await requestUrl(identity, 'call-state', to));
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await openOtherWays(page);
    await page.getByRole('button', { name: 'Call me and I will say my phrase' }).waitFor();
    await checkAndShoot(page, folder, '01-chooser');

    await callMe(page);
    await page.getByRole('heading', { name: 'Say your phrase on the call' }).waitFor();
    assert.match(await page.locator('.lead').innerText(), /We are calling •+\d\d\. Answer, and after the beep say your pass phrase to sign in to Acme Shop\./);
    await status(page, 'Your phone is ringing. Answer it.');
    await checkAndShoot(page, folder, '02-ringing');

    // Pressing "Call me again" while the phone rings places no second call (and spends nothing).
    await page.getByRole('button', { name: 'Call me again' }).click();
    await page.getByText('We are already calling you: answer that call. No second call was placed.').waitFor();
    await status(page, 'Your phone is ringing. Answer it.');
    const phone = v.phone(to);
    assert.equal((await phone.calls()).length, 1, 'one call, however often the button is pressed');
    await checkAndShoot(page, folder, '03-still-calling');

    // The stream's token opens this call's progress only.
    const events = (await page.locator('#voicecall-progress').getAttribute('data-events')) as string;
    const [, , , callSid, token] = events.split('/');
    assert.equal((await fetch(`${v.url}/events/v1/Calls/CL${'0'.repeat(32)}/${token as string}`)).status, 404);
    assert.equal((await fetch(`${v.url}/events/v1/Calls/${callSid as string}/${'x'.repeat(32)}`)).status, 404);

    let call = await phone.answer((await phone.latestCall()).sid);
    await status(page, 'After the beep, say your phrase.');
    assert.deepEqual(await page.locator('#voicecall-steps li').allInnerTexts(), ['Calling', 'Ringing', 'Answered', 'Asked for your phrase']);
    await checkAndShoot(page, folder, '04-asked');

    call = await sayInto(to, call, speak(4));
    assert.equal(call.prompts.at(-1)?.text, 'Thank you. Your voice is verified. Goodbye.', phone.heard(call));
    // The script posts the continue form on the outcome: back at the application with a result.
    await page.waitForURL((u) => u.href.startsWith(app.url), { timeout: 20_000 });
    const landed = new URL(page.url());
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: v.url, clientSid, expectedState: 'call-state', expectedSubject: identity, jwks });
    assert.deepEqual(result.amr, ['vbm', 'tel']);

    // Nothing the page's stream said holds a score or audio.
    const replay = await (await fetch(`${v.url}${events}`)).text();
    assert.match(replay, /event: scored\ndata: .*"data":\{"decision":"match"\}/);
    assert.doesNotMatch(replay, /"score"|threshold|RIFF/);
    await context.close();
    assert.deepEqual(problems, []);
  });

  it('sets up the voice from the enrollment hub by call: three takes, followed live, then the hub lists the voice', async () => {
    const identity = `voice-hub-${Date.now().toString(36)}`;
    const to = newNumber();
    await withTotp(identity);
    const token = new URL(await requestUrl(identity, 'hub-state', to)).searchParams.get('request') as string;
    // The hub's session with its grant (the user proved the authenticator app first).
    const { session } = await startHostedHandoff(v.ctx, await verifyHandoffRequest(v.ctx, token));
    const person = new HostedBrowser();
    const sealed = await plantSession(v, { ...session, enrollment: { amr: ['otp'] } }, person);
    const { context, page } = await newPage();
    await context.addCookies([...person.cookies].map(([name, value]) => ({ name, value, url: v.url })));
    // As the hub's own forms do: POST the form token from a document of Verity's origin, then 303 to the session's page.
    await page.goto(`${v.url}/handoff/assets/handoff.css`);
    await page.setContent(`<form method="post" action="${v.url}/handoff/enroll"><input type="hidden" name="session" value="${sealed}"></form>`);
    await Promise.all([page.waitForURL(/\/handoff\/page\/[\w-]+$/), page.locator('form').evaluate((form: HTMLFormElement) => form.submit())]);
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    await page.getByText('Or we call your phone and you say the phrase three times on the call.').waitFor();
    await checkAndShoot(page, folder, '05-hub');

    await callMe(page);
    await page.getByRole('heading', { name: 'Set up your voice on a call' }).waitFor();
    await status(page, 'Your phone is ringing. Answer it.');
    const phone = v.phone(to);
    let call = await phone.answer((await phone.latestCall()).sid);
    await status(page, 'After the beep, say the phrase.');
    await checkAndShoot(page, folder, '06-setup-asked');
    call = await sayInto(to, call, speak(0));
    await status(page, 'Take saved. Say the phrase again when asked.');
    await checkAndShoot(page, folder, '07-setup-take-saved');
    for (const take of [1, 2]) call = await sayInto(to, call, speak(take));
    assert.equal(call.prompts.at(-1)?.text, 'Your voiceprint is ready. Goodbye.', phone.heard(call));

    // The script posts the continue form: the hub, with the new voice listed.
    await page.getByRole('status').filter({ hasText: 'Your voice is set up. You can now sign in by saying your phrase.' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.factor-list.methods li.method', { hasText: 'Voice' }).count(), 1);
    await checkAndShoot(page, folder, '08-hub-voice-listed');
    await context.close();
    assert.deepEqual(problems, []);
  });

  it('works without JavaScript: the call page shows the progress so far, Refresh shows how the call ended and the ways on', async () => {
    const identity = `voice-nojs-${Date.now().toString(36)}`;
    const to = newNumber();
    await enrolledThroughApi(identity);
    const { context, page } = await newPage();
    // A browser that runs no script of the page (blocked, or switched off): the page must still work.
    await page.route('**/handoff-voiceprint-call.js', (route) => route.abort());
    await page.goto(await requestUrl(identity, 'nojs-state', to));
    await page.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
    await callMe(page);
    await page.getByRole('heading', { name: 'Say your phrase on the call' }).waitFor();
    await page.getByRole('button', { name: 'Refresh' }).waitFor();
    await checkAndShoot(page, folder, '09-nojs-calling');

    const phone = v.phone(to);
    await phone.reject((await phone.latestCall()).sid);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('The call was declined. Call again or use another way.').waitFor();
    const steps = await page.locator('#voicecall-steps li').allInnerTexts();
    assert.equal(steps.at(-1), 'Declined', steps.join(' → '));
    assert.equal(await page.getByRole('button', { name: 'Call me again' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Record with the microphone instead' }).count(), 1);
    await checkAndShoot(page, folder, '10-nojs-declined');
    await context.close();
    assert.deepEqual(problems, []);
  });
});
