import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { assertErrorAtField, chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const VIEWPORT = { width: 390, height: 844 };

/**
 * Journeys 2, 3 and 6 of issue 11, as a person does them in Chromium: Back, Forward, reload and a
 * resubmitted form on the hosted pages (no "already used", no second code, no new recovery codes,
 * never "You canceled" for a user who signed in), a wrong recovery code (the error where the eyes
 * are, announced), and the end-of-flow pages (each offers the way back to the application).
 *
 * The application is a small server that behaves like Demo Bank: a result signs in, `error` says
 * why there is none, and a return with neither is "You canceled".
 */
describe('hosted hand-off: Back, Forward, reload, errors and end pages in Chromium', { skip: chromiumMissing }, () => {
  const { shot } = screenshotFolder('handoff-back-reload', 'hand-off Back/reload');
  let v: TestVerity;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: ReturnApp;
  let returnUrl: string;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  /** Every return the application received: its query. */
  const returns: URLSearchParams[] = [];
  const problems: string[] = [];

  before(async () => {
    v = await startVerity({ manualClock: true });
    app = await startReturnApp((request, response) => {
      const query = new URL(request.url ?? '/', 'http://app').searchParams;
      returns.push(query);
      const said = query.has('result') ? 'Signed in' : query.has('error') ? `No sign-in: ${query.get('error') ?? ''}` : 'You canceled';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>App</title><link rel="icon" href="data:,"><h1>${said}</h1>`);
    });
    returnUrl = app.url;
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    ({ sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Shop', returnUrl));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    await app?.close();
  });

  /** A fresh browser profile per journey: its own cookies and history. */
  async function freshPage(): Promise<Page> {
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    // A refused request and an expired page are error documents on purpose: judge sub-resources only.
    watchPage(page, problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
    return page;
  }

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const newNumber = () => `+1415555${String(2000 + ++counter).slice(-4)}`;
  const requestUrl = (subject: string, state: string, factors: HandoffFactorType[], extra: { phone?: string; purpose?: 'enroll' } = {}) =>
    buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state, returnTo: returnUrl, factors, now: clock().now(), ...extra });

  async function landedAt(heading: string): Promise<URLSearchParams> {
    await page.waitForURL((u) => u.href.startsWith(returnUrl), { timeout: 15_000 });
    await page.getByRole('heading', { name: heading }).waitFor();
    return new URL(page.url()).searchParams;
  }

  /** The application's check of a signed error result: Verity's key, typ, aud, nonce = its state. */
  async function errorResultOf(query: URLSearchParams, state: string): Promise<string> {
    assert.equal(query.get('state'), state);
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const { payload } = await jwtVerify(query.get('error_result') as string, createLocalJWKSet(jwks), { typ: 'verity-handoff-error+jwt', issuer: v.url, audience: clientSid, currentDate: new Date(clock().now()) });
    assert.equal(payload.nonce, state);
    assert.equal(payload.error, query.get('error'));
    return payload.error as string;
  }

  it('SMS sign-in, then Back, reload and Forward: no "already used", no second text, and the application never hears "You canceled"', async () => {
    await freshPage();
    const number = newNumber();
    await page.goto(await requestUrl('user-back-1', 'state-back-1', ['sms', 'recovery_code'], { phone: number }));
    await page.getByRole('button', { name: 'Text me a code' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    assert.equal((await v.inbox(number)).length, 1);
    // Reload and Back/Forward on the code page: the same page, no second text.
    await page.reload();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await page.goBack();
    await page.goForward();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    assert.equal((await v.inbox(number)).length, 1, 'reload, Back and Forward sent no second code');

    await page.getByLabel('Code', { exact: true }).fill(await v.lastCode(number));
    await page.getByRole('button', { name: 'Verify' }).click();
    const signedIn = await landedAt('Signed in');
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: signedIn.get('result') as string, verityUrl: v.url, clientSid, expectedState: 'state-back-1', expectedSubject: 'user-back-1', jwks, now: clock().now() });
    assert.deepEqual(result.amr, ['sms']);
    const returnsAfterSignIn = returns.length;

    // Back from the application: Verity's page says the sign-in is done, not "already used".
    await page.goBack();
    await page.getByRole('heading', { name: 'You are done here' }).waitFor();
    await shot(page, '01-back-after-sign-in');
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /already used|cannot continue|canceled/i);
    assert.match(text, /You already confirmed this sign-in to Acme Shop/);
    await page.reload();
    await page.getByRole('heading', { name: 'You are done here' }).waitFor();
    assert.equal(returns.length, returnsAfterSignIn, 'Back and reload sent the application nothing');
    assert.equal((await v.inbox(number)).length, 1);

    // Its way on: the application learns "already completed" (signed), not a cancel.
    await page.getByRole('link', { name: 'Continue to Acme Shop' }).click();
    const onward = await landedAt('No sign-in: already_completed');
    assert.equal(await errorResultOf(onward, 'state-back-1'), 'already_completed');
    assert.ok(!returns.some((q) => !q.has('result') && !q.has('error')), 'the application never got a bare return ("You canceled")');
    assert.deepEqual(problems, []);
  });

  it('a doubled or resubmitted form does not act twice: "Text me a code" clicked twice, Back and clicked again, reloaded: one text', async () => {
    await freshPage();
    const number = newNumber();
    await page.goto(await requestUrl('user-back-2', 'state-back-2', ['sms'], { phone: number }));
    // A double click on the button: two submissions of the same form.
    await page.getByRole('button', { name: 'Text me a code' }).dblclick();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    // Back to the chooser's history entry and its button again: the session shows where it is, the form is stale.
    await page.goBack();
    await page.waitForLoadState();
    if (await page.getByRole('button', { name: 'Text me a code' }).isVisible()) await page.getByRole('button', { name: 'Text me a code' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    assert.equal((await v.inbox(number)).length, 1, 'one text for one request');

    // A wrong code, then reload: the error stays with its field, and no code is checked twice.
    await page.getByLabel('Code', { exact: true }).fill('000000' === (await v.lastCode(number)) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('#phone-code-error').waitFor();
    await page.reload();
    assert.equal(await page.locator('#phone-code').getAttribute('aria-invalid'), 'true');
    assert.equal((await v.inbox(number)).length, 1);
    assert.deepEqual(problems, []);
  });

  it('reloading the recovery-codes page (and Back/Forward) shows the same codes, and the codes saved first still work', async () => {
    await freshPage();
    const identity = `user-codes-${++counter}`;
    await page.goto(await requestUrl(identity, 'state-codes', ['totp', 'recovery_code'], { purpose: 'enroll' }));
    await page.getByRole('heading', { name: 'Your sign-in methods' }).waitFor();
    await page.getByRole('button', { name: 'Get recovery codes' }).click();
    const list = page.locator('#recovery-codes li');
    await list.first().waitFor();
    const saved = await list.allInnerTexts();
    assert.equal(saved.length, 10);
    await shot(page, '02-recovery-codes');

    await page.reload();
    await list.first().waitFor();
    assert.deepEqual(await list.allInnerTexts(), saved, 'a reload shows the same codes');
    await page.goBack();
    await page.goForward();
    await list.first().waitFor();
    assert.deepEqual(await list.allInnerTexts(), saved, 'Back and Forward show the same codes');

    // The codes the user wrote down first are the ones that work.
    const check = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes/Check`, { Code: saved[0] as string });
    assert.equal(check.body.valid, true, JSON.stringify(check.body));
    assert.deepEqual(problems, []);
  });

  it('a wrong recovery code: the error is next to the field, in the viewport, announced and tied to the input', async () => {
    await freshPage();
    const identity = `user-wrong-${++counter}`;
    // A tall chooser (an authenticator app, text, calls, then the recovery code at the bottom).
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Pixel', FactorType: 'totp' });
    const base32 = created.body.binding.secret as string;
    const code = totp(base32Decode(base32), clock().now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${created.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
    assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes`)).status, 201);
    await page.goto(await requestUrl(identity, 'state-wrong', ['totp', 'sms', 'call', 'recovery_code'], { phone: newNumber() }));
    // The recovery code waits under "Other ways to sign in" (issue 17): open them.
    await page.getByText('Other ways to sign in').click();
    const input = page.getByRole('textbox', { name: 'Recovery code' });
    await input.fill('AAAA-BBBB-CCCC');
    await page.getByRole('button', { name: 'Use recovery code' }).click();

    const error = page.getByRole('alert').filter({ hasText: 'That recovery code is not right' });
    await error.waitFor();
    await shot(page, '03-wrong-recovery-code');
    // In the viewport by the field; announced (role=alert); tied to the field, which is invalid and has the focus.
    await assertErrorAtField(page, error, input, 'recovery-code');
    assert.deepEqual(problems, []);
  });

  it('end-of-flow pages offer the way back: a link used elsewhere, and an expired page, each return to the application with a signed reason', async () => {
    await freshPage();
    const url = await requestUrl('user-end-1', 'state-end-1', ['sms', 'recovery_code'], { phone: newNumber() });
    await page.goto(url);
    await page.getByRole('button', { name: 'Text me a code' }).waitFor();

    // The same link opened in another browser: "already used", and the way back to the application.
    const other = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    watchPage(other, problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
    await other.goto(url);
    await other.getByRole('heading', { name: 'This sign-in link was already used' }).waitFor();
    assert.doesNotMatch(await other.locator('main').innerText(), /replayed|Details/);
    await shot(other, '04-link-already-used');
    await other.getByRole('link', { name: 'Return to Acme Shop' }).click();
    await other.waitForURL((u) => u.href.startsWith(returnUrl));
    assert.equal(await errorResultOf(new URL(other.url()).searchParams, 'state-end-1'), 'invalid_request');

    // The first browser waits too long: its page expires, and says so with the way back.
    clock().advance(10 * 60_000 + 1);
    await page.reload();
    await page.getByRole('heading', { name: 'This sign-in page has expired' }).waitFor();
    await shot(page, '05-page-expired');
    await page.getByRole('link', { name: 'Return to Acme Shop' }).click();
    const expired = await landedAt('No sign-in: expired');
    assert.equal(await errorResultOf(expired, 'state-end-1'), 'expired');
    assert.deepEqual(problems, []);
  });
});
