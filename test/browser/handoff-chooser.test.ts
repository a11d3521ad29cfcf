import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildHandoffRequestUrl, verifyHandoffResult } from '../../packages/sdk/src/handoff.ts';
import { newSid } from '../../src/crypto/random.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import type { FactorRow } from '../../src/store/schema.ts';
import { startPasskeyHandoff, type PasskeyHandoff } from '../handoff/handoff-support.ts';
import { backInTheApp, chromiumMissing, launchChromium, type ReturnApp, screenshotFolder, startReturnApp, watchPage } from '../support/browser.ts';
import { checkAndShoot, overflowX } from '../support/page-checks.ts';
import type { TestVerity } from '../support/start-verity.ts';

const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;
const PHONE = '+14155550123';
const FACTORS = ['passkeys', 'push', 'totp', 'sms', 'recovery_code'] as const;

/**
 * The chooser as a product (issue 17): the best method first with one primary action, the others
 * collapsed under "Other ways to sign in", keyboard only, the last-used method remembered by this
 * browser, the application's `factor_order`, the error pages, 320 px, and the page locales.
 */
describe('hosted chooser in Chromium', { skip: chromiumMissing }, () => {
  const shots = screenshotFolder('handoff-chooser', 'hand-off chooser');
  let h: PasskeyHandoff;
  let app: ReturnApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let secret = '';
  const identity = 'user-0000-0117';
  const problems: string[] = [];
  const clock = () => h.v.clock as NonNullable<TestVerity['clock']>;
  const codeAt = (steps: number) => totp(base32Decode(secret), clock().now() + steps * 30_000, OPTIONS);
  const signIn = (state: string, extra: { factorOrder?: Array<(typeof FACTORS)[number]>; uiLocales?: string[] } = {}) =>
    buildHandoffRequestUrl({ verityUrl: h.origin, clientSid: h.clientSid, secret: h.secret, subject: identity, state, returnTo: app.url, factors: [...FACTORS], phone: PHONE, now: clock().now(), ...extra });
  const freshPage = async (): Promise<Page> => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const fresh = await context.newPage();
    watchPage(fresh, problems, { ignoreFailedResourceLoads: true, failedResponses: 'subresources' });
    return fresh;
  };
  const primary = () => page.locator('.method-primary');
  const otherWays = () => page.locator('details.other-ways');

  before(async () => {
    app = await startReturnApp(backInTheApp('<link rel="icon" href="data:,">'));
    h = await startPasskeyHandoff(app.url);
    const { v } = h;
    const factor = await v.api('POST', `/v2/Services/${h.serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Pixel 9', FactorType: 'totp' });
    secret = factor.body.binding.secret as string;
    await v.api('POST', `/v2/Services/${h.serviceSid}/Entities/${identity}/Factors/${factor.body.sid as string}`, { AuthPayload: codeAt(0) });
    await v.api('POST', `/v2/Services/${h.serviceSid}/Entities/${identity}/RecoveryCodes`);
    clock().advance(30_000);
    // A passkey and a push device, as the chooser lists them (their ceremonies are other suites' business).
    const entity = await v.ctx.stores.entities.find(h.serviceSid, identity);
    assert.ok(entity, 'the TOTP factor made the entity');
    const now = clock().now();
    const row = (type: 'passkeys' | 'push', name: string): FactorRow => ({
      sid: newSid('YF'), account_sid: entity.account_sid, service_sid: h.serviceSid, entity_sid: entity.sid, identity, friendly_name: name, factor_type: type, status: 'verified',
      secret_sealed: 'x', config: '{}', metadata: null, last_used_step: null, verify_attempts: 0, date_created: now, date_updated: now,
    });
    await v.ctx.stores.factors.insert(row('push', 'Ada’s iPhone'));
    await v.ctx.stores.factors.insert(row('passkeys', 'MacBook'));
    browser = await launchChromium();
    page = await freshPage();
  });
  after(async () => {
    await browser?.close();
    await h?.v.close();
    await app?.close();
  });

  it('shows the passkey first, one primary action, the other ways collapsed', async () => {
    await page.goto(await signIn('chooser-1'));
    assert.equal(await page.title(), 'Verify it’s you · Verity');
    await primary().getByRole('heading', { name: 'Passkey' }).waitFor();
    assert.equal(await primary().locator('.tag').innerText(), 'Recommended');
    assert.equal(await primary().getByRole('button').count(), 1, 'one primary action');
    assert.equal(await otherWays().evaluate((d) => (d as HTMLDetailsElement).open), false);
    assert.equal(await page.getByRole('textbox', { name: 'Code', exact: true }).isVisible(), false, 'the TOTP form waits under "Other ways"');
    assert.equal(await otherWays().locator('summary').innerText(), 'Other ways to sign in');
    const rows = await otherWays().locator('.method-row h2').allTextContents();
    assert.deepEqual(rows, ['Approve on your phone', 'Authenticator app', 'Text message', 'Recovery code']);
    assert.equal(await otherWays().locator('.method-row .method-icon svg').count(), rows.length, 'an icon per method');
    await checkAndShoot(page, shots, '01-chooser');
  });

  it('works by keyboard alone: Tab to "Other ways", Enter opens it, a wrong then a right TOTP code', async () => {
    const summary = otherWays().locator('summary');
    for (let i = 0; i < 10 && !(await summary.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'Tab reaches "Other ways to sign in"');
    await page.keyboard.press('Enter');
    assert.equal(await otherWays().evaluate((d) => (d as HTMLDetailsElement).open), true);
    await checkAndShoot(page, shots, '02-other-ways-open');

    const code = page.getByRole('textbox', { name: 'Code', exact: true });
    for (let i = 0; i < 10 && !(await code.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    assert.equal(await code.evaluate((el) => el === document.activeElement), true, 'Tab reaches the code field');
    await page.keyboard.type(codeAt(20));
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    // The message is about a field under "Other ways": they come back open, the field focused.
    assert.equal(await otherWays().evaluate((d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await page.getByRole('textbox', { name: 'Code', exact: true }).evaluate((el) => el === document.activeElement), true);
    assert.match(await page.getByRole('alert').innerText(), /That code is not right/);
    await checkAndShoot(page, shots, '03-wrong-code');

    await page.keyboard.type(codeAt(0));
    await Promise.all([page.waitForURL((u) => u.href.startsWith(app.url)), page.keyboard.press('Enter')]);
    const landed = new URL(page.url());
    const jwks = (await (await fetch(`${h.origin.replace('localhost', '127.0.0.1')}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: landed.searchParams.get('result') as string, verityUrl: h.origin, clientSid: h.clientSid, expectedState: 'chooser-1', expectedSubject: identity, jwks, now: clock().now() });
    assert.deepEqual(result.amr, ['otp']);
  });

  it('remembers the last method in this browser: TOTP first, tagged "Last used"', async () => {
    clock().advance(30_000);
    await page.goto(await signIn('chooser-2'));
    await primary().getByRole('heading', { name: 'Authenticator app' }).waitFor();
    assert.equal(await primary().locator('.tag').innerText(), 'Last used');
    assert.equal(await page.getByRole('textbox', { name: 'Code', exact: true }).evaluate((el) => el === document.activeElement), true, 'the code field has the focus');
    assert.deepEqual(await otherWays().locator('.method-row h2').allTextContents(), ['Passkey', 'Approve on your phone', 'Text message', 'Recovery code']);
    const cookies = await context.cookies();
    const remembered = cookies.find((c) => c.name === 'verity_last_method');
    assert.ok(remembered, 'the last-method cookie is set');
    assert.equal(remembered.httpOnly, true);
    assert.equal(remembered.sameSite, 'Lax');
    assert.doesNotMatch(remembered.value, new RegExp(identity));
    await shots.shot(page, '04-last-used');
  });

  it('follows the application’s factor_order in a browser without a last method', async () => {
    page = await freshPage();
    await page.goto(await signIn('chooser-3', { factorOrder: ['sms', 'totp'] }));
    await primary().getByRole('heading', { name: 'Text message' }).waitFor();
    assert.equal(await primary().locator('.tag').innerText(), 'Recommended');
    assert.deepEqual(await otherWays().locator('.method-row h2').allTextContents(), ['Authenticator app', 'Passkey', 'Approve on your phone', 'Recovery code']);
    await shots.shot(page, '05-app-order');
  });

  it('fits 320 px without sideways scrolling, other ways open', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    await otherWays().locator('summary').click();
    assert.equal(await overflowX(page), 0);
    await shots.shot(page, '06-chooser-320');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('shows the error and done pages in the same design, always with a way on', async () => {
    await page.goto(`${h.origin}/handoff?request=not-a-token`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.locator('.result-badge svg').count(), 1);
    await checkAndShoot(page, shots, '07-error');

    // A finished sign-in opened again: the done page, and the way on to the application.
    const url = await signIn('chooser-4');
    await page.goto(url);
    await otherWays().locator('summary').click();
    const codes = (await h.v.api('POST', `/v2/Services/${h.serviceSid}/Entities/${identity}/RecoveryCodes`)).body.codes as string[];
    await page.getByRole('textbox', { name: 'Recovery code' }).fill(codes[0] as string);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(app.url)), page.getByRole('button', { name: 'Use recovery code' }).click()]);
    await page.goto(url);
    await page.getByRole('heading', { name: 'You are done here' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Continue to Acme Shop' }).count(), 1);
    await checkAndShoot(page, shots, '08-done');
  });

  it('speaks German, French and Spanish', async () => {
    const expected = { de: ['Andere Anmeldemöglichkeiten', 'Empfohlen'], fr: ['Autres moyens de vous connecter', 'Recommandé'], es: ['Otras formas de iniciar sesión', 'Recomendado'] } as const;
    page = await freshPage();
    for (const [locale, [summary, tag]] of Object.entries(expected)) {
      clock().advance(1_000);
      await page.goto(await signIn(`chooser-${locale}`, { uiLocales: [locale] }));
      await otherWays().locator('summary').waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), locale);
      assert.equal(await otherWays().locator('summary').innerText(), summary);
      assert.equal(await primary().locator('.tag').innerText(), tag);
      if (locale === 'de') await checkAndShoot(page, shots, '09-chooser-de');
    }
  });

  it('keeps its contrast in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    clock().advance(1_000);
    await page.goto(await signIn('chooser-dark'));
    await otherWays().locator('summary').click();
    await checkAndShoot(page, shots, '10-chooser-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.deepEqual(problems, []);
  });
});
