import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildHandoffRequestUrl, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { CALL_SCRIPT_MESSAGES, renderCallApproval, renderCallCode, renderFlashCall } from '../../src/hosted-factors/phone/call-pages.ts';
import { PAGE_LOCALES, type PageLocale } from '../../src/i18n/locales.ts';
import { translate, type MessageKey } from '../../src/i18n/translator.ts';
import { chromiumMissing, launchChromium } from '../support/browser.ts';
import { assertCatalogComplete } from '../support/i18n-catalog.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, postForm, startHandoffVerity, unescapeHtml, visibleText, waitForPrompt } from './handoff-support.ts';

const RETURN = 'http://localhost:9999/back';
/** The script's messages as the page renders them: `data-msg-step-ringing="…"` → `{ stepRinging: '…' }`. */
const scriptMessagesOf = (html: string): Record<string, string> =>
  Object.fromEntries([...html.matchAll(/ data-msg-([a-z-]+)="([^"]*)"/g)].map(([, name = '', value = '']) => [name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), unescapeHtml(value)]));

/** English text of the call pages (and of the shared forms they include): none of it may show on a translated page. */
const ENGLISH = ['Enter your code', 'We are calling', 'Call again', 'Text me instead', 'Missed the call?', 'No call?', 'Cancel and go back to', 'Approve with a call', 'Key in on the call', 'I keyed it in', 'Enter the caller’s number', 'digits', 'You need not answer', 'Call progress', 'Verify', 'Try another way'];
const assertNoEnglish = (html: string, locale: PageLocale) => {
  const text = visibleText(html);
  for (const phrase of ENGLISH) assert.ok(!text.includes(phrase), `${locale}: no "${phrase}" in ${text}`);
  assert.doesNotMatch(html, /aria-label="Call progress"/);
};

const progress = { eventsPath: '/events/v1/Verifications/VE0/abc', callSid: 'CL0' };
const base = { appName: 'Shop <Co>', session: 'sealed', masked: '•••••••••89', progress, leave: RETURN };

describe('call pages: messages', () => {
  it('every language has every message, none empty, with the placeholders of English', () => {
    assertCatalogComplete('call', { seconds: 1, minutes: 3, retry: '', reason: 'x' });
  });

  it('the plural of the retry delay follows the number', () => {
    assert.equal(translate('en', 'call.retrySeconds', { seconds: 1 }), 'Try again in 1 second.');
    assert.equal(translate('de', 'call.retrySeconds', { seconds: 30 }), 'Versuchen Sie es in 30 Sekunden erneut.');
  });
});

describe('call pages: rendering per language', () => {
  it('English stays the default: no locale renders as en', () => {
    assert.equal(renderCallCode({ ...base, smsAllowed: true }), renderCallCode({ ...base, smsAllowed: true, locale: 'en' }));
    assert.match(renderCallCode({ ...base, smsAllowed: true }), /<html lang="en">/);
  });

  it('the code page in German: lang, headings, the retry card, the progress labels the script shows', () => {
    const html = renderCallCode({ ...base, smsAllowed: true, locale: 'de', message: 'Falscher Code.' });
    assert.match(html, /<html lang="de">/);
    assert.match(html, /<title>Code eingeben · Verity<\/title>/);
    assert.match(html, /<h1>Code eingeben<\/h1>/);
    assert.match(html, /Wir rufen <span class="phone">•••••••••89<\/span> an und lesen Ihnen einen Code vor\./);
    assert.match(html, /id="call-status" role="status" aria-live="polite">Wir rufen Ihr Telefon an\.</);
    assert.match(html, /aria-label="Verlauf des Anrufs"/);
    assert.match(html, /<h2 id="call-retry-title">Anruf verpasst\?<\/h2>/);
    assert.match(html, />Erneut anrufen</);
    assert.match(html, />Stattdessen per SMS</);
    assert.match(html, />Abbrechen und zurück zu Shop &lt;Co&gt;</);
    // The call's progress steps the script shows, rendered in German.
    const script = scriptMessagesOf(html);
    assert.deepEqual(Object.keys(script).sort(), [...CALL_SCRIPT_MESSAGES].sort());
    assert.equal(script.stepCalling, 'Anruf wird aufgebaut');
    assert.equal(script.stepRinging, 'Es klingelt');
    assert.equal(script.statusRinging, 'Ihr Telefon klingelt. Bitte nehmen Sie ab.');
    assert.equal(script.stepCodeRead, 'Code vorgelesen');
    assert.equal(script.statusAgain, 'Fordern Sie einen neuen Anruf an oder wählen Sie eine andere Methode.');
    for (const key of CALL_SCRIPT_MESSAGES) assert.notEqual(script[key], translate('en', `call.${key}`), `${key} is German`);
    assertNoEnglish(html, 'de');
  });

  it('the press-1 and flash call pages in German, French and Spanish: no English left', () => {
    for (const locale of PAGE_LOCALES.filter((l) => l !== 'en')) {
      const t = (key: MessageKey<'call'>, params = {}) => translate(locale, `call.${key}`, params);
      const approve = renderCallApproval({ ...base, numberMatch: '42', locale });
      assert.match(approve, new RegExp(`<html lang="${locale}">`));
      assert.ok(approve.includes(`<h1>${t('approveTitle')}</h1>`), "expected approve.includes(`<h1>${t('approveTitle')}</h1>`)");
      assert.ok(approve.includes(`>${t('approveContinue')}</button>`), "expected approve.includes(`>${t('approveContinue')}</button>`)");
      assert.ok(visibleText(approve).includes('Shop <Co>'), 'the application is named');
      assertNoEnglish(approve, locale);
      const flash = renderFlashCall({ ...base, callerIdPrefix: '+44203120', digits: 4, locale });
      assert.match(flash, new RegExp(`<html lang="${locale}">`));
      assert.ok(flash.includes(`<span class="phone">+44203120</span>`), 'expected flash.includes(`<span class="phone">+44203120</span>`)');
      assert.ok(visibleText(flash).includes(t('flashLabel', { digits: 4 })), "expected visibleText(flash).includes(t('flashLabel', { digits: 4 }))");
      assertNoEnglish(flash, locale);
    }
    const de = renderFlashCall({ ...base, callerIdPrefix: '+44203120', digits: 4, locale: 'de' });
    assert.match(de, /Wir rufen Sie von einer Nummer an, die mit <span class="phone">\+44203120<\/span> beginnt: Geben Sie deren letzte 4 Ziffern ein\./);
    assert.match(de, /Wir rufen Ihre Nummer mit der Endung 89 an\./);
    const fr = renderCallApproval({ ...base, numberMatch: '42', locale: 'fr' });
    assert.match(fr, /Nous appelons le <span class="phone">•••••••••89<\/span>\./);
    assert.match(fr, /votre connexion à Shop &lt;Co&gt;\./);
  });
});

/** The pages and the call itself speak the session's language (`ui_locales`). */
describe('call pages in the session’s language (server)', () => {
  let v: TestVerity;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  before(async () => {
    ({ v, clientSid, secret } = await startHandoffVerity(RETURN, {
      clientName: 'Shop',
      env: { VERITY_SIMULATOR_TIME_SCALE: '0.1', VERITY_VOICE_RING_TIMEOUT_SECONDS: '20', VERITY_FLASHCALL_CALLER_IDS: '+44203120XXXX', VERITY_FLASHCALL_RING_SECONDS: '10' },
    }));
  });
  after(async () => v.close());

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const newPhone = () => `+1415558${String(1000 + ++counter).slice(-4)}`;
  const chooser = async (factors: HandoffFactorType[], phone: string, uiLocales: string[]) =>
    getPage(await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: `user-${counter}`, state: `state-${counter}`, returnTo: RETURN, factors, phone, uiLocales, now: clock().now() }));
  const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);

  it('press 1 in German: the page, its reasons and the spoken prompt are German', async () => {
    const phone = newPhone();
    const start = await chooser(['call'], phone, ['de-CH', 'en']);
    const page = await post('/handoff/call', { session: hiddenField(start.html, 'session') });
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="de">/);
    assert.match(page.html, /<h1>Per Anruf bestätigen<\/h1>/);
    assert.match(page.html, /data-msg-step-ringing="Es klingelt"/);
    assertNoEnglish(page.html, 'de');
    const session = hiddenField(page.html, 'session');
    const early = await post('/handoff/call/continue', { session });
    assert.match(early.html, /role="alert">Noch nicht bestätigt\. Nehmen Sie den Anruf an/);

    const call = await v.phone(phone).latestCall();
    await v.phone(phone).answer(call.sid);
    const asked = await waitForPrompt(v, phone, /Zum Freigeben geben Sie die zwei Ziffern auf Ihrem Bildschirm ein\./);
    assert.match(v.phone(phone).heard(asked), /Hallo\. Hier ist Shop\./);
    assert.doesNotMatch(v.phone(phone).heard(asked), /enter the two digits/);
    assert.ok(asked.prompts.every((prompt) => prompt.locale.startsWith('de')), 'spoken with a German voice');
  });

  it('the code call page in German: the progress labels the script shows', async () => {
    const phone = newPhone();
    const start = await chooser(['sms', 'call'], phone, ['de']);
    const page = await post('/handoff/phone', { session: hiddenField(start.html, 'session'), channel: 'call' });
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="de">/);
    assert.match(page.html, /<h1>Code eingeben<\/h1>/);
    const script = scriptMessagesOf(page.html);
    assert.equal(script.stepCalling, 'Anruf wird aufgebaut');
    assert.equal(script.statusRinging, 'Ihr Telefon klingelt. Bitte nehmen Sie ab.');
    assert.equal(script.statusCodeRead, 'Wir haben Ihnen den Code vorgelesen. Geben Sie ihn unten ein.');
    assert.equal(script.statusDeclined, 'Der Anruf wurde abgewiesen.');
    assertNoEnglish(page.html, 'de');
  });

  it('a flash call in Spanish: the page and a malformed entry say so in Spanish', async () => {
    const phone = newPhone();
    const start = await chooser(['flashcall'], phone, ['es']);
    const page = await post('/handoff/flashcall', { session: hiddenField(start.html, 'session') });
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="es">/);
    assert.match(page.html, /Le llamamos desde un número que empieza por <span class="phone">\+44203120<\/span>: introduzca sus últimos 4 dígitos\./);
    const malformed = await post('/handoff/flashcall/check', { session: hiddenField(page.html, 'session'), code: 'abc' });
    assert.match(malformed.html, /role="alert">Introduzca los últimos 4 dígitos del número que le llamó\./);
    assertNoEnglish(malformed.html, 'es');
  });

  it('refusals are in the session’s language', async () => {
    const start = await chooser(['sms'], newPhone(), ['fr']);
    const refused = await post('/handoff/call', { session: hiddenField(start.html, 'session') });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /L’application n’accepte pas les appels vers votre téléphone pour cette connexion\./);
  });
});

/** The call script shows the call's progress with the page's messages, not its English fallbacks. */
describe('the call script in German (Chromium)', { skip: chromiumMissing }, () => {
  let v: TestVerity;
  let browser: Browser;
  let clientSid: string;
  let secret: string;
  before(async () => {
    ({ v, clientSid, secret } = await startHandoffVerity(RETURN, { clientName: 'Shop', env: { VERITY_SIMULATOR_TIME_SCALE: '0.25', VERITY_VOICE_RING_TIMEOUT_SECONDS: '30' } }));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('ringing, then a declined call: German status line and steps', async () => {
    const phone = '+14155559001';
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    await page.goto(await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: 'user-browser', state: 'state-browser', returnTo: RETURN, factors: ['sms', 'call'], phone, uiLocales: ['de'], now: clock.now() }));
    await page.locator('details.other-ways summary').click(); // the call waits under "Other ways to sign in" (issue 17)
    await page.locator('form:has(input[name="channel"][value="call"]) button[type="submit"]').click();
    await page.getByRole('heading', { name: 'Code eingeben' }).waitFor();
    await page.locator('#call-status', { hasText: 'Ihr Telefon klingelt. Bitte nehmen Sie ab.' }).waitFor({ timeout: 10_000 });
    const call = await v.phone(phone).latestCall();
    await v.phone(phone).reject(call.sid);
    await page.locator('#call-status', { hasText: 'Der Anruf wurde abgewiesen. Fordern Sie einen neuen Anruf an oder wählen Sie eine andere Methode.' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await page.locator('#call-steps li').allInnerTexts(), ['Anruf wird aufgebaut', 'Es klingelt', 'Abgewiesen']);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
