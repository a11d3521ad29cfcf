import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { backInTheApp, chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { openOtherWays } from '../support/handoff-browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

// Simulated phones wait a quarter of real time: a 30 s ring is 7.5 s (time to answer in the page), a flash call's 4 s ring is 1 s.
const ENV = { VERITY_SIMULATOR_TIME_SCALE: '0.25', VERITY_VOICE_RING_TIMEOUT_SECONDS: '30', VERITY_FLASHCALL_RING_SECONDS: '4' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The hosted hand-off's phone factors in a real browser: the hosted page in one tab, the virtual
 * phone (GET /phone) in another, as a newcomer would use them: a texted code, a code read out on a
 * call (with the call's progress live on the page), press 1 with number matching, a flash call.
 */
describe('hosted hand-off phone factors in Chromium', { skip: chromiumMissing }, () => {
  const screenshots = screenshotFolder('handoff-phone', 'hand-off phone');
  let v: TestVerity;
  let browser: Browser;
  let context: BrowserContext;
  let hosted: Page;
  let phone: Page;
  let app: ReturnApp;
  let returnUrl: string;
  let clientSid: string;
  let secret: string;
  const problems: string[] = [];
  const number = '+14155550177';
  let step = 0;

  const shot = async (page: Page, name: string) => screenshots.shot(page, `${String(++step).padStart(2, '0')}-${name}`);

  // Any script error or CSP violation (reported on the console) fails the suite.
  const watch = (page: Page, label: string) => watchPage(page, problems, { label, ignoreFailedResourceLoads: true, failedResponses: 'subresources' });

  before(async () => {
    v = await startVerity({ env: ENV, manualClock: true });
    app = await startReturnApp(backInTheApp('<link rel="icon" href="data:,">'));
    returnUrl = app.url;
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    ({ sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl));

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    hosted = await context.newPage();
    phone = await context.newPage();
    watch(hosted, 'hosted');
    watch(phone, 'phone');
    // The newcomer's phone: the virtual phone page, set to the number the application trusts.
    await phone.goto(`${v.url}/phone`);
    await phone.waitForSelector('body[data-ready="true"]');
    await phone.fill('#address', number);
    await phone.click('#address-form button[type="submit"]');
    await phone.waitForSelector('#inbox-status:text("Live")');
    // The calls stream's status is shown inside the Calls tab (not the open one): live, though not visible.
    await phone.waitForSelector('#calls-status:text("Live")', { state: 'attached' });
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    await app?.close();
  });

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;

  async function openHandoff(subject: string, state: string, factors: HandoffFactorType[], to = number): Promise<void> {
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state, returnTo: returnUrl, factors, phone: to, now: clock().now() });
    await hosted.bringToFront();
    await hosted.goto(url);
    await hosted.getByRole('heading', { name: 'Verify it’s you' }).waitFor();
  }

  /** Back at the application with a result the SDK accepts; its amr. */
  async function landedAmr(subject: string, state: string): Promise<string[]> {
    await hosted.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 15_000 });
    await hosted.getByRole('heading', { name: 'Back in the app' }).waitFor();
    const landed = new URL(hosted.url());
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: v.url, clientSid, expectedState: state, expectedSubject: subject, jwks, now: clock().now() });
    return result.amr;
  }

  /** One live call per number: the next test waits until the last call has hung up. */
  async function noLiveCall(to = number): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const calls = await v.phone(to).calls();
      if (!calls.some((c) => ['queued', 'ringing', 'in-progress'].includes(c.status))) return;
      await sleep(50);
    }
    assert.fail(`a call to ${to} is still live`);
  }

  /**
   * The call ringing on the virtual phone (pinned in its notifications), then that same call wherever
   * it moves (found by its sid): its locator and its sid.
   */
  async function ringingCall(): Promise<{ call: Locator; sid: string }> {
    const ringing = phone.locator('#active-calls li.call[data-status="ringing"]').first();
    await ringing.locator('button.answer').waitFor({ timeout: 10_000 });
    const sid = (await ringing.getAttribute('data-sid')) as string;
    return { call: phone.locator(`li.call[data-sid="${sid}"]`), sid };
  }

  it('(a) SMS: the code arrives in the virtual phone inbox, entered on the page, back at the app with amr sms', async () => {
    await openHandoff('user-sms', 'state-sms', ['sms', 'call']);
    await shot(hosted, 'sms-chooser');
    await hosted.getByRole('button', { name: 'Text me a code' }).click();
    await hosted.getByRole('heading', { name: 'Enter your code' }).waitFor();
    assert.equal(await hosted.getByRole('button', { name: 'Try another way' }).count(), 1);
    await shot(hosted, 'sms-code-form');

    await phone.bringToFront();
    const mark = phone.locator('#messages li mark.code').first();
    await mark.waitFor({ timeout: 10_000 });
    const code = (await mark.innerText()).trim();
    assert.match(code, /^\d{4,10}$/);
    await shot(phone, 'sms-inbox');

    await hosted.bringToFront();
    await hosted.getByLabel('Code', { exact: true }).fill(code);
    await hosted.getByRole('button', { name: 'Verify' }).click();
    assert.deepEqual(await landedAmr('user-sms', 'state-sms'), ['sms']);
    await shot(hosted, 'sms-back-in-app');
  });

  it('(b) voice code: the page shows the call live; a declined call says so and offers to call again; the code read out on the call returns amr tel', async () => {
    await noLiveCall();
    await openHandoff('user-voice', 'state-voice', ['sms', 'call']);
    await openOtherWays(hosted);
    await hosted.getByRole('button', { name: 'Call me with a code' }).click();
    await hosted.getByRole('heading', { name: 'Enter your code' }).waitFor();
    const status = hosted.locator('#call-status');
    assert.equal(await status.getAttribute('role'), 'status');
    await hosted.locator('#call-status', { hasText: 'Your phone is ringing' }).waitFor({ timeout: 10_000 });
    await shot(hosted, 'voice-ringing');

    // First the user declines the call: the page says so and points to the ways out.
    await phone.bringToFront();
    await (await ringingCall()).call.locator('button.reject').click();
    await hosted.locator('#call-status', { hasText: 'The call was declined. Call again, or try another way.' }).waitFor({ timeout: 10_000 });
    assert.equal(await hosted.locator('#call-progress').getAttribute('data-outcome'), 'failed');
    assert.equal(await hosted.getByRole('button', { name: 'Text me instead' }).count(), 1);
    await hosted.bringToFront();
    await shot(hosted, 'voice-declined');

    await noLiveCall();
    await hosted.getByRole('button', { name: 'Call again' }).click();
    await hosted.locator('#call-status', { hasText: 'Your phone is ringing' }).waitFor({ timeout: 10_000 });
    await phone.bringToFront();
    const { call } = await ringingCall();
    await shot(phone, 'voice-phone-ringing');
    await call.locator('button.answer').click();
    const line = call.locator('.transcript li', { hasText: 'Your verification code is' }).first();
    await line.waitFor({ timeout: 10_000 });
    const code = (/code is ([\d, ]+)\./.exec(await line.innerText())?.[1] ?? '').replace(/\D/g, '');
    assert.match(code, /^\d{6}$/);
    await shot(phone, 'voice-phone-transcript');

    await hosted.bringToFront();
    await hosted.locator('#call-status', { hasText: 'We read your code out. Enter it below.' }).waitFor({ timeout: 10_000 });
    const steps = await hosted.locator('#call-steps li').allInnerTexts();
    assert.deepEqual(steps.slice(0, 4), ['Calling', 'Ringing', 'Answered', 'Code read out']);
    await shot(hosted, 'voice-code-read-out');
    await hosted.getByLabel('Code', { exact: true }).fill(code);
    await hosted.getByRole('button', { name: 'Verify' }).click();
    assert.deepEqual(await landedAmr('user-voice', 'state-voice'), ['tel']);
    await shot(hosted, 'voice-back-in-app');
  });

  it('(c) press 1 with number matching: the two digits keyed on the virtual phone, the page continues to the app by itself', async () => {
    await noLiveCall();
    await openHandoff('user-press', 'state-press', ['call']);
    await openOtherWays(hosted);
    await hosted.getByRole('button', { name: 'Call me to approve' }).click();
    await hosted.getByRole('heading', { name: 'Approve with a call' }).waitFor();
    const digits = (await hosted.locator('#number-match').innerText()).trim();
    assert.match(digits, /^\d{2}$/);
    await hosted.locator('#call-status', { hasText: 'Your phone is ringing' }).waitFor({ timeout: 10_000 });
    await shot(hosted, 'press-waiting');

    await phone.bringToFront();
    const { call, sid } = await ringingCall();
    await call.locator('button.answer').click();
    await call.locator('.transcript li', { hasText: 'enter the two digits shown on your screen' }).waitFor({ timeout: 10_000 });
    assert.equal(await call.locator('.transcript li', { hasText: 'This is Acme Shop.' }).count(), 1, 'the call names the application');
    await phone.waitForFunction((callSid) => document.querySelector<HTMLButtonElement>(`li.call[data-sid="${callSid}"] button.key`)?.disabled === false, sid);
    await shot(phone, 'press-phone-asked');
    const landing = hosted.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 15_000 });
    for (const key of digits) await call.locator('button.key', { hasText: key }).click();
    await call.locator('.transcript li', { hasText: 'Approved.' }).waitFor({ timeout: 10_000 });
    await shot(phone, 'press-phone-approved');
    await landing;
    assert.deepEqual(await landedAmr('user-press', 'state-press'), ['tel']);
    await hosted.bringToFront();
    await shot(hosted, 'press-back-in-app');
  });

  it('(d) flash call: a missed call from the caller id; its last digits entered on the page return amr tel', async () => {
    await noLiveCall();
    await openHandoff('user-flash', 'state-flash', ['flashcall', 'sms']);
    await openOtherWays(hosted);
    await hosted.getByRole('button', { name: 'Give me a missed call' }).click();
    await hosted.getByRole('heading', { name: 'Enter the caller’s number' }).waitFor();
    const lead = await hosted.locator('.lead').innerText();
    assert.match(lead, /^We are calling you from a number starting with \+1500555: enter its last 4 digits\./);
    await shot(hosted, 'flash-form');

    await phone.bringToFront();
    // A missed flash call stays pinned in the notifications (its caller id is the code).
    const missed = phone.locator('#active-calls li.call[data-status="no-answer"] .call-title').first();
    await missed.waitFor({ timeout: 10_000 });
    const title = await missed.innerText();
    assert.match(title, /^Missed call from \+1500555\d{4}$/);
    await shot(phone, 'flash-missed-call');

    await hosted.bringToFront();
    await hosted.locator('#call-status', { hasText: 'Missed call received' }).waitFor({ timeout: 10_000 });
    await hosted.getByLabel('Last 4 digits of the caller’s number').fill(title.slice(-4));
    await shot(hosted, 'flash-digits-entered');
    await hosted.getByRole('button', { name: 'Verify' }).click();
    assert.deepEqual(await landedAmr('user-flash', 'state-flash'), ['tel']);
  });

  it('(e) wrong SMS code: the specific message and the field marked invalid, then the right code passes', async () => {
    const other = '+14155550178';
    await openHandoff('user-wrong', 'state-wrong', ['sms'], other);
    await hosted.getByRole('button', { name: 'Text me a code' }).click();
    await hosted.getByRole('heading', { name: 'Enter your code' }).waitFor();
    // This number is read through the simulator's inbox API (the virtual phone shows the other one).
    const code = await v.lastCode(other);
    await hosted.getByLabel('Code', { exact: true }).fill(code === '000000' ? '111111' : '000000');
    await hosted.getByRole('button', { name: 'Verify' }).click();
    await hosted.getByRole('alert').filter({ hasText: 'That code is not right. Check it and try again.' }).waitFor();
    assert.equal(await hosted.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true');
    await shot(hosted, 'wrong-code');
    await hosted.getByLabel('Code', { exact: true }).fill(code);
    await hosted.getByRole('button', { name: 'Verify' }).click();
    assert.deepEqual(await landedAmr('user-wrong', 'state-wrong'), ['sms']);
  });

  it('raised no script errors or CSP violations in either tab', () => {
    assert.deepEqual(problems, []);
  });
});
