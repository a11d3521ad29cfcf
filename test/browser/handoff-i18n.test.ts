import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { createSecretClient } from '../handoff/handoff-support.ts';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;
const RETURN = 'http://localhost:9999/back';

/** The chooser in the browser's language (Accept-Language from the browser's locale), or in the application's `ui_locales`. */
describe('hosted hand-off page languages in Chromium', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('handoff-i18n', 'hand-off language');
  let v: TestVerity;
  let browser: Browser;
  let german: BrowserContext;
  let serviceSid: string;
  let client: { sid: string; secret: string };
  let counter = 0;
  const problems: string[] = [];

  before(async () => {
    v = await startVerity({ manualClock: true });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    client = await createSecretClient(v, serviceSid, 'Acme Bank', RETURN);
    browser = await launchChromium();
    german = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
    german.on('page', (page) => watchPage(page, problems, { ignoreFailedResourceLoads: true }));
  });
  after(async () => {
    await german?.close();
    await browser?.close();
    await v?.close();
  });

  /** A user with an authenticator app and recovery codes, and a request for them (with a trusted phone number). */
  async function signIn(uiLocales?: string[]): Promise<string> {
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    const identity = `user-i18n-${++counter}`;
    const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Pixel 9', FactorType: 'totp' });
    const secret = factor.body.binding.secret as string;
    await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.body.sid as string}`, { AuthPayload: totp(base32Decode(secret), clock.now(), OPTIONS) });
    await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/RecoveryCodes`);
    clock.advance(30_000);
    return buildHandoffRequestUrl({
      verityUrl: v.url,
      clientSid: client.sid,
      secret: client.secret,
      subject: identity,
      state: `state-i18n-${counter}`,
      returnTo: RETURN,
      factors: ['totp', 'sms', 'recovery_code'],
      phone: '+14155550123',
      now: clock.now(),
      ...(uiLocales ? { uiLocales } : {}),
    });
  }

  it('a German browser gets the chooser in German', async () => {
    const page = await german.newPage();
    await page.goto(await signIn());
    assert.equal(await page.title(), 'Bestätigen Sie, dass Sie es sind · Verity');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    // The first method is the primary one; the others wait under "Other ways to sign in" (issue 17).
    await page.getByText('Andere Anmeldemöglichkeiten').click();
    assert.equal(await page.getByRole('heading', { name: 'Authenticator-App' }).count(), 1);
    assert.equal(await page.getByRole('heading', { name: 'Wiederherstellungscode' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Code per SMS senden' }).count(), 1);
    const text = await page.locator('main').innerText();
    assert.match(text, /Acme Bank bittet Sie, Ihre Anmeldung mit einer dieser Methoden zu bestätigen\./);
    assert.doesNotMatch(text, /Verify it’s you|Authenticator app|Recovery code|Text me a code|Cancel and go back/);
    await checkAndShoot(page, folder, '01-chooser-de-browser');

    // A wrong code: the alert in German too.
    await page.getByLabel('Code', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    assert.match(await page.getByRole('alert').innerText(), /^Dieser Code ist nicht korrekt \(oder wurde bereits verwendet\)\. Noch 4 Versuche\.$/);
    await checkAndShoot(page, folder, '02-wrong-code-de');
    await page.close();
  });

  it('the application’s uiLocales: [fr] wins over the German browser', async () => {
    const page = await german.newPage();
    await page.goto(await signIn(['fr']));
    assert.equal(await page.title(), 'Confirmez votre identité · Verity');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await page.getByText('Autres moyens de vous connecter').click();
    assert.equal(await page.getByRole('heading', { name: 'Application d’authentification' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: 'M’envoyer un code par SMS' }).count(), 1);
    const text = await page.locator('main').innerText();
    assert.match(text, /Acme Bank vous demande de confirmer votre connexion avec l’une de ces méthodes\./);
    assert.doesNotMatch(text, /Bestätigen|Verify it’s you|Recovery code/);
    await checkAndShoot(page, folder, '03-chooser-fr-ui-locales');
    await page.close();
  });

  it('a link replayed in another browser is refused in that browser’s language, with the way back and no developer wording', async () => {
    const url = await signIn(['fr']);
    const first = await german.newPage();
    await first.goto(url);
    // The same browser opening the link again is taken to its session, in the session's language.
    await first.goto(url);
    assert.equal(await first.locator('html').getAttribute('lang'), 'fr');
    await first.close();
    const elsewhere = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
    const page = await elsewhere.newPage();
    watchPage(page, problems, { ignoreFailedResourceLoads: true });
    await page.goto(url);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal(await page.getByRole('heading', { name: 'Dieser Anmeldelink wurde bereits verwendet' }).count(), 1);
    assert.equal(await page.getByRole('alert').innerText(), 'Mit diesem Link ist keine Anmeldung möglich. Kehren Sie zur Anwendung zurück und beginnen Sie erneut.');
    assert.equal(await page.getByRole('link', { name: 'Zurück zu Acme Bank' }).count(), 1);
    assert.doesNotMatch(await page.locator('main').innerText(), /replayed|Details/);
    await checkAndShoot(page, folder, '04-replayed-de');
    await elsewhere.close();
  });

  it('reports no script error or CSP violation', () => {
    assert.deepEqual(problems, []);
  });
});
