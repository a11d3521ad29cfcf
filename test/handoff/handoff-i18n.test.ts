import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { VerityError } from '../../src/errors/verity-error.ts';
import { HandoffPageError } from '../../src/handoff/handoff-session.ts';
import type { FactorOption } from '../../src/handoff/factor-options.ts';
import { retryAfter } from '../../src/hosted-factors/hosted-flow.ts';
import { HANDOFF_PUSH_JS } from '../../src/hosted/handoff-push-script.ts';
import { renderChooser } from '../../src/hosted-factors/chooser-page.ts';
import { renderError } from '../../src/hosted/handoff-pages.ts';
import { renderPhoneCode, renderPushWait } from '../../src/hosted/wait-pages.ts';
import { PAGE_LOCALES, type PageLocale } from '../../src/i18n/locales.ts';
import { assertCatalogComplete, isIcuChoice, messagesOf } from '../support/i18n-catalog.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { createSecretClient, hiddenField, HostedBrowser, testBrowser, visibleText } from './handoff-support.ts';

/**
 * The English pieces of a catalog that must not show in another language: each English text message
 * cut at its placeholders, pieces of 8 characters or more, unless that language's own text has the
 * same piece (French "Application", a word both languages share).
 */
function englishPieces<K extends string>(messages: Record<PageLocale, Record<K, string>>, locale: PageLocale, keys: readonly K[]): string[] {
  const pieces: string[] = [];
  for (const key of keys) {
    const english = messages.en[key];
    const own = messages[locale][key];
    // A plural or a choice is not one piece of prose (it was a function before ICU): its branches are checked in the catalog test.
    if (isIcuChoice(english)) continue;
    for (const piece of english.split(/\{\w+\}/)) {
      const trimmed = piece.trim();
      if (trimmed.length >= 8 && !(typeof own === 'string' && own.includes(trimmed))) pieces.push(trimmed);
    }
  }
  return pieces;
}

function assertNoEnglish(html: string, pieces: string[], what: string): void {
  const text = visibleText(html);
  for (const piece of pieces) assert.ok(!text.includes(piece), `${what}: English left over: “${piece}” in ${text}`);
}

const HANDOFF_PAGE_MESSAGES = messagesOf('handoff');
const HANDOFF_ERRORS = messagesOf('handoff-error');
const PAGE_KEYS = Object.keys(HANDOFF_PAGE_MESSAGES.en) as Array<keyof (typeof HANDOFF_PAGE_MESSAGES)['en']>;

const OPTIONS: FactorOption[] = [
  { kind: 'totp', factorSid: `YF${'1'.repeat(32)}`, name: 'Pixel 9' },
  { kind: 'push', factorSid: `YF${'2'.repeat(32)}`, name: 'Work phone' },
  { kind: 'voiceprint', factorSid: `YF${'3'.repeat(32)}`, name: 'My voice' },
  { kind: 'phone', channel: 'sms', masked: '••••••••••23' },
  { kind: 'phone', channel: 'call', masked: '••••••••••23' },
  { kind: 'phone_call', mode: 'press_one', masked: '••••••••••23' },
  { kind: 'phone_call', mode: 'flashcall', masked: '••••••••••23' },
  { kind: 'recovery_code', remaining: 7 },
  { kind: 'unavailable', type: 'email', name: 'ada@example.com' },
];

const chooser = (locale: PageLocale, extra: Partial<Parameters<typeof renderChooser>[0]> = {}) =>
  renderChooser({ appName: 'Acme Bank', session: 'sealed', options: OPTIONS, leave: 'https://bank.example/back', message: 'Alert text', failed: undefined, locale, ...extra });

describe('hand-off pages in every language', () => {
  it('every catalog is complete: every key, no empty text, the placeholders of English', () => {
    assertCatalogComplete('handoff');
    assertCatalogComplete('handoff-notice', { left: 3, seconds: 30 });
    assertCatalogComplete('handoff-error');
  });

  it('the chooser in German: <html lang>, German cards and buttons, no English left', () => {
    const html = chooser('de');
    assert.match(html, /<html lang="de">/);
    assert.match(html, /<title>Bestätigen Sie, dass Sie es sind · Verity<\/title>/);
    assert.match(html, /Acme Bank bittet Sie, Ihre Anmeldung mit einer dieser Methoden zu bestätigen\./);
    assert.match(html, /Geben Sie den 6-stelligen Code ein, der für „Pixel 9“ angezeigt wird\./);
    assert.match(html, /<button type="submit">Bestätigen<\/button>/);
    assert.match(html, /Wir senden einen Code per SMS an Ihre Telefonnummer mit der Endung 23\./);
    assert.match(html, /noch 7 übrig/);
    assert.match(html, /<li>E-Mail \(ada@example\.com\)<\/li>/);
    assert.match(html, /Abbrechen und zurück zu Acme Bank/);
    assert.match(html, /<footer>Geschützt durch Verity<\/footer>/);
    assertNoEnglish(html, englishPieces(HANDOFF_PAGE_MESSAGES, 'de', PAGE_KEYS), 'de chooser');
  });

  for (const locale of ['fr', 'es'] as const) {
    it(`the chooser, the push waiting page, the code page and the error page in ${locale}: no English left`, () => {
      const pieces = englishPieces(HANDOFF_PAGE_MESSAGES, locale, PAGE_KEYS);
      const pages = {
        chooser: chooser(locale),
        none: renderChooser({ appName: 'Acme Bank', session: 's', options: [], leave: 'https://bank.example/back', locale }),
        push: renderPushWait({ appName: 'Acme Bank', session: 's', numberMatch: '42', eventsPath: '/x', leave: 'https://bank.example/back', locale }),
        sms: renderPhoneCode({ appName: 'Acme Bank', session: 's', channel: 'sms', masked: '••23', leave: 'https://bank.example/back', locale }),
        call: renderPhoneCode({ appName: 'Acme Bank', session: 's', channel: 'call', masked: '••23', leave: 'https://bank.example/back', message: 'x', locale }),
        error: renderError('Title', 'Message', undefined, { locale }),
      };
      for (const [name, html] of Object.entries(pages)) {
        assert.match(html, new RegExp(`<html lang="${locale}">`), name);
        assertNoEnglish(html, pieces, `${locale} ${name}`);
      }
      assert.match(pages.chooser, locale === 'fr' ? /Saisissez le code à 6 chiffres affiché pour «\u202fPixel 9\u202f»\./ : /Introduzca el código de 6 dígitos que se muestra para «Pixel 9»\./);
      assert.match(pages.sms, locale === 'fr' ? /Nous avons envoyé un code par SMS au <span class="phone">••23<\/span>\./ : /Hemos enviado un código por SMS al <span class="phone">••23<\/span>\./);
    });
  }

  it('the push waiting page hands its script the translated status texts; the script has no texts of its own', () => {
    const html = renderPushWait({ appName: 'Acme Bank', session: 's', numberMatch: '42', eventsPath: '/events', leave: 'https://bank.example/back', locale: 'de' });
    assert.match(html, /data-msg-approved="Bestätigt\. Sie werden angemeldet…"/);
    assert.match(html, /data-msg-denied="Auf Ihrem Smartphone abgelehnt\."/);
    assert.match(html, /data-msg-expired="Die Anfrage ist abgelaufen\."/);
    assert.match(html, /Warten auf Ihre Bestätigung…/);
    assert.match(html, /Wählen Sie auf Ihrem Smartphone diese Zahl:/);
    assert.match(HANDOFF_PUSH_JS, /finish\(msg\('approved'\)\)/);
    assert.doesNotMatch(HANDOFF_PUSH_JS, /Approved|Denied|expired\./);
    assert.doesNotMatch(HANDOFF_PUSH_JS, /finish\('/);
  });

  it('English stays as it was', () => {
    const html = chooser('en');
    assert.match(html, /<html lang="en">/);
    assert.match(html, /Enter the 6-digit code shown for “Pixel 9”\./);
    assert.match(html, /Lost your device\? Use one of your single-use recovery codes \(7 left\)\./);
    assert.match(html, /We call you and read a code to your phone number ending in 23\./);
    assert.match(html, /<footer>Secured by Verity<\/footer>/);
    const code = renderPhoneCode({ appName: 'A', session: 's', channel: 'call', masked: '••23', leave: 'https://a.example/' });
    assert.match(code, /<p class="lead">We are calling <span class="phone">••23<\/span> to read you a code\.<\/p>/);
  });

  it('a HandoffPageError carries a key (English message) or plain text from modules not translated yet', () => {
    const keyed = new HandoffPageError(403, 'sessionExpired', { params: { minutes: 10 } });
    assert.equal(keyed.message, 'This sign-in page has expired (pages are valid 10 minutes). Start again from the application.');
    assert.equal(keyed.text('de'), 'Diese Anmeldeseite ist abgelaufen (Seiten sind 10 Minuten gültig). Beginnen Sie erneut in der Anwendung.');
    assert.equal(keyed.key, 'sessionExpired');
    const plain = new HandoffPageError(400, 'Some English reason.', { locale: 'fr' });
    assert.equal(plain.key, undefined);
    assert.equal(plain.text('fr'), 'Some English reason.');
    assert.equal(plain.locale, 'fr');
  });

  it('Retry-After in the page language, plural and all', () => {
    const wait = (seconds: number) => Object.assign(new VerityError(60308, 'x'), { retryAfterSeconds: seconds });
    assert.equal(retryAfter(wait(30)), ' Try again in 30 seconds.');
    assert.equal(retryAfter(wait(600), 'de'), ' Versuchen Sie es in 10 Minuten erneut.');
    assert.equal(retryAfter(wait(1), 'fr'), ' Réessayez dans 1 seconde.');
    assert.equal(retryAfter(wait(45), 'es'), ' Vuelva a intentarlo dentro de 45 segundos.');
    assert.equal(retryAfter(new VerityError(60308, 'x'), 'de'), '');
  });
});

describe('hand-off pages: the language of the request, of the browser, and of the refusals', () => {
  let v: TestVerity;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  const RETURN = 'http://localhost:9999/back';
  before(async () => {
    v = await startVerity({ manualClock: true });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    ({ sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Bank', RETURN));
  });
  after(async () => v.close());

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const requestUrl = (uiLocales?: string[], phone = '+14155550123') =>
    buildHandoffRequestUrl({
      verityUrl: v.url,
      clientSid,
      secret,
      subject: `user-i18n-${++counter}`,
      state: `state-i18n-${counter}`,
      returnTo: RETURN,
      factors: ['sms', 'recovery_code'],
      phone,
      now: clock().now(),
      ...(uiLocales ? { uiLocales } : {}),
    });
  const get = (url: string, language?: string) => testBrowser.get(url, language ? { 'accept-language': language } : {});
  const post = (path: string, form: Record<string, string>, language?: string) => testBrowser.post(v.url, path, form, language ? { 'accept-language': language } : {});

  it('ui_locales decides over the browser; the code page and its alerts follow the session', async () => {
    const page = await get(await requestUrl(['es']), 'de-DE,de;q=0.9');
    assert.equal(page.status, 200);
    assert.match(page.html, /<html lang="es">/);
    assert.match(page.html, /Enviarme un código por SMS/);
    const form = await post('/handoff/phone', { session: hiddenField(page.html, 'session'), channel: 'sms' }, 'en');
    assert.match(form.html, /<html lang="es">/);
    assert.match(form.html, /Introduzca su código/);
    const wrong = await post('/handoff/phone/check', { session: hiddenField(form.html, 'session'), code: '12' });
    assert.match(wrong.html, /role="alert">Introduzca el código que le enviamos por SMS: de 4 a 10 dígitos\./);
    assertNoEnglish(wrong.html, englishPieces(HANDOFF_PAGE_MESSAGES, 'es', PAGE_KEYS), 'es code page');
  });

  it('without ui_locales the browser’s Accept-Language decides', async () => {
    const page = await get(await requestUrl(), 'fr-CH, de;q=0.5');
    assert.match(page.html, /<html lang="fr">/);
    assert.match(page.html, /M’envoyer un code par SMS/);
    const english = await get(await requestUrl(), 'ja');
    assert.match(english.html, /<html lang="en">/);
    assert.match(english.html, /Text me a code/);
  });

  it('a refusal after the session opened speaks the session’s language, whatever the browser says', async () => {
    const page = await get(await requestUrl(['de']));
    const session = hiddenField(page.html, 'session');
    const refused = await post('/handoff/phone', { session, channel: 'fax' }, 'es');
    assert.equal(refused.status, 400);
    assert.match(refused.html, /<html lang="de">/);
    assert.match(refused.html, /<h1>Diese Anmeldung kann nicht fortgesetzt werden<\/h1>/);
    assert.match(refused.html, /role="alert">Wählen Sie SMS oder Anruf\./);
  });

  it('a tampered session, a missing request or a refused request: the browser’s language', async () => {
    const tampered = await post('/handoff/recovery-code', { session: 'not-a-session', code: 'ABCD' }, 'fr-FR,fr;q=0.9');
    assert.equal(tampered.status, 400);
    assert.match(tampered.html, /<html lang="fr">/);
    assert.match(tampered.html, /Cette connexion ne peut pas continuer/);
    assert.match(tampered.html, /Cette page de connexion n’est pas valide/);
    assertNoEnglish(tampered.html, [...englishPieces(HANDOFF_ERRORS, 'fr', ['cannotContinue', 'sessionInvalid']), ...englishPieces(HANDOFF_PAGE_MESSAGES, 'fr', PAGE_KEYS)], 'fr tampered');

    const missing = await get(`${v.url}/handoff`, 'es');
    assert.equal(missing.status, 400);
    assert.match(missing.html, /<html lang="es">/);
    assert.match(missing.html, /Este enlace de inicio de sesión está incompleto/);

    // A request replayed in another browser: the title, the explanation and the way back in German; the API's reason only for the application.
    const url = await requestUrl(['fr']);
    assert.equal((await get(url)).status, 200);
    const replay = await new HostedBrowser().get(url, { 'accept-language': 'de' });
    assert.equal(replay.status, 403);
    assert.match(replay.html, /<html lang="de">/);
    assert.match(replay.html, /<h1>Dieser Anmeldelink wurde bereits verwendet<\/h1>/);
    assert.match(replay.html, /Mit diesem Link ist keine Anmeldung möglich\./);
    assert.doesNotMatch(replay.html, /replayed|Details/);
    assert.match(replay.html, />Zurück zu Acme Bank<\/a>/);
  });

  it('the English error pages keep their text', async () => {
    const tampered = await post('/handoff/recovery-code', { session: 'not-a-session', code: 'ABCD' });
    assert.match(tampered.html, /<h1>This sign-in cannot continue<\/h1>\n<div class="alert" role="alert">This sign-in page is invalid \(its session was altered or is not from this server\)\. Start again from the application\.<\/div>/);
  });

  it('every language has every request refusal title', () => {
    for (const locale of PAGE_LOCALES) for (let code = 64101; code <= 64109; code++) assert.ok(HANDOFF_ERRORS[locale][`link${code}` as keyof (typeof HANDOFF_ERRORS)['en']], "expected HANDOFF_ERRORS[locale][`link${code}` as keyof (typeof HANDOFF_ERRORS)['en']]");
  });
});
