import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { buildHandoffRequestUrl, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { enrollPhoneCodePage, enrollPushPage, enrollRecoveryCodesPage, enrollRemovePage, enrollTotpPage, type EnrollHubPage } from '../../src/hosted-factors/enroll-pages.ts';
import { enrollHubPage } from '../../src/hosted-factors/hub-page.ts';
import { PAGE_LOCALES, type PageLocale } from '../../src/i18n/locales.ts';
import { translate, type MessageId, type Namespace } from '../../src/i18n/translator.ts';
import { assertCatalogComplete, isIcuChoice, messagesOf } from '../support/i18n-catalog.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, type HostedPage, postForm, startHandoffVerity, unescapeHtml } from './handoff-support.ts';

const RETURN = 'http://localhost:9999/back';
const SAMPLE = { app: 'Acme Shop', type: 'x', date: '2026-01-01', remaining: 3, total: 10, digits: 6, minutes: 3, count: 10, number: '•••89', reason: 'r' };

/** What a reader (or a screen reader) gets: the text without tags, plus the labels and script lines kept in attributes. */
const visibleText = (html: string): string => {
  const attributes = [...html.matchAll(/ (?:aria-label|data-msg-[a-z-]+)="([^"]*)"/g)].map((m) => m[1] as string);
  return unescapeHtml([html.replace(/<script[\s\S]*?<\/script>|<[^>]*>/g, ' '), ...attributes].join(' ')).replace(/\s+/g, ' ');
};

/** A message as the test reads it: prose with its `{placeholders}`, or, for a plural or a choice, its text for SAMPLE. */
const textOf = (namespace: Namespace, locale: PageLocale, key: string, message: string): string => (isIcuChoice(message) ? translate(locale, `${namespace}.${key}` as MessageId, SAMPLE) : message);
/**
 * English fragments of a catalog that `locale` translates differently: the parts between placeholders
 * of two words or more and 8 characters or more (so "Code", "SMS" or "authenticator", which also occur
 * in other languages or in a command, do not count).
 */
function englishFragments(namespace: Namespace, locale: PageLocale): string[] {
  const messages = messagesOf(namespace) as Record<PageLocale, Record<string, string>>;
  const fragments: string[] = [];
  for (const key of Object.keys(messages.en)) {
    const english = textOf(namespace, 'en', key, messages.en[key] ?? '');
    const translated = textOf(namespace, locale, key, messages[locale][key] ?? '');
    for (const part of english.split(/\{\w+\}/)) {
      const fragment = part.trim();
      if (fragment.length >= 8 && fragment.includes(' ') && !translated.includes(fragment)) fragments.push(fragment);
    }
  }
  return fragments;
}
const ENGLISH_PAGE_TEXT = (locale: PageLocale) => [...englishFragments('enroll', locale), ...englishFragments('enroll-notice', locale)];

function assertNoEnglish(html: string, locale: PageLocale): void {
  const text = visibleText(html);
  for (const fragment of ENGLISH_PAGE_TEXT(locale)) assert.ok(!text.includes(fragment), `${locale}: no "${fragment}" in ${text}`);
}

const hub = (locale: PageLocale | undefined, extra: Partial<EnrollHubPage> = {}): string =>
  enrollHubPage({
    appName: 'Acme <Shop>',
    session: 'sealed',
    leave: RETURN,
    locale,
    displayName: 'Anna <Müller>',
    factors: [{ sid: 'YF00000000000000000000000000000001', name: 'Old phone', type: 'Authenticator-App', created: Date.UTC(2026, 0, 2), manageable: true }],
    recoveryCodes: { total: 10, remaining: 9 },
    trustedPhone: '•••••••••42',
    phoneNumber: '+14155550123',
    offers: { totp: true, push: true, recoveryCodes: true, phone: ['sms', 'call'], passkey: true, voiceprint: true },
    notice: { text: 'Hinweis', tone: 'status' },
    ...extra,
  });
const base = { appName: 'Acme <Shop>', session: 'sealed', leave: RETURN };
const everyPage = (locale: PageLocale | undefined): string[] => [
  hub(locale),
  hub(locale, { recoveryCodes: { total: 0, remaining: 0 }, phoneNumber: undefined, factors: [], offers: { totp: true, push: true, recoveryCodes: true, phone: ['sms'], passkey: true, voiceprint: true } }),
  enrollTotpPage({ ...base, locale, qrSvg: '<svg viewBox="0 0 1 1"></svg>', secret: 'JBSWY3DPEHPK3PXP', uri: 'otpauth://totp/x', digits: 6, message: 'x' }),
  enrollPushPage({ ...base, locale, token: 'a.b.c', qrSvg: '<svg viewBox="0 0 1 1"></svg>', minutes: 5, message: 'x' }),
  enrollRecoveryCodesPage({ ...base, locale, codes: ['AAAA-BBBB-CCCC'], replaced: true }),
  enrollPhoneCodePage({ ...base, locale, masked: '•••••••••23', channel: 'sms', message: 'x' }),
  enrollPhoneCodePage({ ...base, locale, masked: '•••••••••23', channel: 'call' }),
  enrollRemovePage({ ...base, locale, factor: { sid: 'YF00000000000000000000000000000001', name: 'Old phone', type: 'Authenticator-App' } }),
];

describe('enrollment hub: messages', () => {
  it('every language has every message, none empty, with the placeholders of English', () => {
    assertCatalogComplete('enroll', SAMPLE);
    assertCatalogComplete('enroll-notice', SAMPLE);
  });

  it('the token lifetime and the number of codes follow the plural of each language', () => {
    const label = (locale: PageLocale, minutes: number) => translate(locale, 'enroll.pushTokenLabel', { minutes });
    assert.equal(label('en', 1), 'Enrollment token (single use, valid 1 more minute)');
    assert.equal(label('en', 4), 'Enrollment token (single use, valid 4 more minutes)');
    assert.equal(label('de', 1), 'Registrierungs-Token (einmalig, noch 1 Minute gültig)');
    assert.equal(label('fr', 2), 'Jeton d’enregistrement (usage unique, valable encore 2 minutes)');
    assert.equal(label('es', 1), 'Token de registro (de un solo uso, válido 1 minuto más)');
    assert.equal(translate('en', 'enroll.codesCount', { count: 10 }), '10 codes');
    assert.equal(translate('fr', 'enroll.codesCount', { count: 1 }), '1 code');
  });
});

describe('enrollment hub: rendering per language', () => {
  it('English stays the default: no locale renders as en', () => {
    const english = everyPage('en');
    everyPage(undefined).forEach((html, i) => assert.equal(html, english[i]));
    assert.match(english[0] as string, /<html lang="en">/);
  });

  it('the hub in German: lang, title, cards, the confirmed number in its span, the app name escaped', () => {
    const html = hub('de');
    assert.match(html, /<html lang="de">/);
    assert.match(html, /<title>Ihre Anmeldemethoden · Verity<\/title>/);
    assert.match(html, /<h1>Ihre Anmeldemethoden<\/h1>/);
    assert.match(html, /Legen Sie fest, wie Sie bei der Anmeldung bei Acme &lt;Shop&gt; bestätigen, dass Sie es sind\./);
    assert.match(html, /Authenticator-App · hinzugefügt am 02.01.2026/);
    assert.match(html, /Wiederherstellungscodes<\/span> <span class="hint">9 von 10 unbenutzt/);
    assert.match(html, /Bestätigt: <span class="phone">\+14155550123<\/span>\. Fügen Sie eine andere Nummer hinzu/);
    assert.match(html, /<legend>Code senden per<\/legend>/);
    assert.match(html, /<strong>Neue Codes ersetzen Ihre aktuellen: Die alten funktionieren dann nicht mehr\.<\/strong>/);
    assert.match(html, />Fertig – zurück zu Acme &lt;Shop&gt;</);
  });

  it('the step pages in German: QR labels, the token hint with its commands, the push script’s lines, the phone lead', () => {
    const [, , totp, push, codes, sms, call] = everyPage('de') as string[];
    assert.match(totp as string, /aria-label="QR-Code für Ihre Authenticator-App"/);
    assert.match(totp as string, /den angezeigten 6-stelligen Code ein\./);
    assert.match(push as string, /<code>\/phone<\/code>/);
    assert.match(push as string, /führen Sie <code>verity-authenticator enroll<\/code> aus/);
    assert.match(push as string, /noch 5 Minuten gültig/);
    assert.match(push as string, /data-msg-waiting="Warten auf Ihr Gerät …"/);
    assert.match(push as string, /data-msg-failed="Die automatische Prüfung ist nicht möglich\./);
    assert.match(codes as string, /<h2 id="codes-title">1 Code<\/h2>/);
    assert.match(codes as string, /Ihre bisherigen Wiederherstellungscodes funktionieren nicht mehr\./);
    assert.match(sms as string, /Wir haben einen Code per SMS an <span class="phone">•••••••••23<\/span> gesendet\./);
    assert.match(call as string, /Wir rufen <span class="phone">•••••••••23<\/span> an, um Ihnen einen Code vorzulesen\./);
  });

  for (const locale of PAGE_LOCALES.filter((l) => l !== 'en')) {
    it(`${locale}: <html lang>, and no English the hub owns on any of its pages`, () => {
      for (const html of everyPage(locale)) {
        assert.match(html, new RegExp(`<html lang="${locale}">`));
        assertNoEnglish(html, locale);
      }
    });
  }

  it('the checker can fail: an English page has the English text', () => {
    assert.throws(() => assertNoEnglish(hub('en'), 'de'));
  });
});

describe('enrollment hub: a German session end to end', () => {
  let v: TestVerity;
  let clientSid: string;
  let secret: string;
  before(async () => {
    ({ v, clientSid, secret } = await startHandoffVerity(RETURN));
  });
  after(async () => v.close());

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const session = (page: HostedPage) => hiddenField(page.html, 'session');
  const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);
  const open = async (subject: string, factors: HandoffFactorType[], uiLocales: string[]) =>
    getPage(await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state: `state-${subject}`, returnTo: RETURN, factors, now: clock().now(), purpose: 'enroll', uiLocales }));

  it('hub, authenticator app, recovery codes and Done speak German; the app’s factor name too', async () => {
    const hubPage = await open('user-de-totp-1', ['totp', 'push', 'recovery_code'], ['de-AT', 'en']);
    assert.equal(hubPage.status, 200);
    assert.match(hubPage.html, /<html lang="de">/);
    assert.match(hubPage.html, /<h1>Ihre Anmeldemethoden<\/h1>/);
    assertNoEnglish(hubPage.html, 'de');

    const early = await post('/handoff/enroll/done', { session: session(hubPage) });
    assert.match(early.html, /role="alert">Fügen Sie eine Anmeldemethode hinzu und bestätigen Sie sie/);

    const qr = await post('/handoff/enroll/totp', { session: session(early) });
    assert.match(qr.html, /<h1>Authenticator-App hinzufügen<\/h1>/);
    assertNoEnglish(qr.html, 'de');
    const base32 = (/id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(qr.html)?.[1] as string).replace(/ /g, '');
    const code = (steps: number) => new TOTP({ secret: Secret.fromBase32(base32), digits: 6, period: 30 }).generate({ timestamp: clock().now() + steps * 30_000 });
    const malformed = await post('/handoff/enroll/totp/verify', { session: session(qr), code: '12' });
    assert.match(malformed.html, /role="alert">Geben Sie den Code ein, den Ihre Authenticator-App anzeigt: 6 bis 8 Ziffern\./);
    const wrong = await post('/handoff/enroll/totp/verify', { session: session(malformed), code: code(20) });
    assert.match(wrong.html, /role="alert">Dieser Code ist nicht richtig\./);
    const added = await post('/handoff/enroll/totp/verify', { session: session(wrong), code: code(0) });
    assert.match(added.html, /role="status" aria-live="polite">Authenticator-App hinzugefügt\./);
    assert.match(added.html, /Authenticator für Acme Shop<\/span> <span class="hint">Authenticator-App · hinzugefügt am \d{2}\.\d{2}\.\d{4}/);
    assertNoEnglish(added.html, 'de');

    const push = await post('/handoff/enroll/push', { session: session(added) });
    assert.match(push.html, /<html lang="de">/);
    assert.match(push.html, /data-msg-added="Ihr Gerät ist eingerichtet\. Es geht weiter …"/);
    assertNoEnglish(push.html, 'de');
    const unused = await post('/handoff/enroll/push/check', { session: session(push) });
    assert.match(unused.html, /role="alert">Noch kein Gerät hat den Token verwendet\./);

    const codes = await post('/handoff/enroll/recovery-codes', { session: session(unused) });
    assert.match(codes.html, /<h1>Ihre Wiederherstellungscodes<\/h1>/);
    assert.match(codes.html, /<h2 id="codes-title">10 Codes<\/h2>/);
    assertNoEnglish(codes.html, 'de');

    const done = await post('/handoff/enroll/done', { session: session(codes) });
    assert.equal(done.status, 303);
    // Spent: a form of the session acts no more, and its page says so in German.
    const again = await post('/handoff/enroll/totp', { session: session(codes) });
    assert.equal(again.status, 200);
    assert.match(again.html, /Ihre Anmeldemethoden für Acme Shop sind gespeichert\./);
  });

  it('a new phone number: the SMS is German like the page, and so are the code page and the notices', async () => {
    const hubPage = await open('user-de-phone-1', ['sms', 'call'], ['de']);
    const invalid = await post('/handoff/enroll/phone', { session: session(hubPage), phone_number: '+1 555', channel: 'sms' });
    assert.match(invalid.html, /role="alert">Diese Telefonnummer ist ungültig\./);
    const phone = '+14155557001';
    const form = await post('/handoff/enroll/phone', { session: session(invalid), phone_number: phone, channel: 'sms' });
    assert.equal(form.status, 200);
    assert.match(form.html, /<h1>Bestätigen Sie Ihre Telefonnummer<\/h1>/);
    assert.match(form.html, /Wir haben einen Code per SMS an <span class="phone">•+01<\/span> gesendet\./);
    assertNoEnglish(form.html, 'de');
    const [sms] = await v.inbox(phone);
    assert.ok(sms, 'a text message was sent');
    assert.match(sms.body, /Bestätigungscode/, sms.body);
    assert.doesNotMatch(sms.body, /verification code/i);

    const code = await v.lastCode(phone);
    const wrong = await post('/handoff/enroll/phone/check', { session: session(form), code: code === '000000' ? '111111' : '000000' });
    assert.match(wrong.html, /role="alert">Dieser Code ist nicht richtig\. Prüfen Sie ihn und versuchen Sie es erneut\./);
    const right = await post('/handoff/enroll/phone/check', { session: session(wrong), code });
    assert.match(right.html, /role="status" aria-live="polite">Telefonnummer •+01 bestätigt\. Acme Shop erhält sie, wenn Sie fertig sind\./);
    assert.match(right.html, /Bestätigt: <span class="phone">\+14155557001<\/span>/);
    assertNoEnglish(right.html, 'de');
  });

  it('French and Spanish sessions: the hub and the SMS in that language; English stays English', async () => {
    const fr = await open('user-fr-phone-1', ['sms', 'totp'], ['fr']);
    assert.match(fr.html, /<html lang="fr">/);
    assert.match(fr.html, /<h1>Vos méthodes de connexion<\/h1>/);
    assertNoEnglish(fr.html, 'fr');
    const frPhone = '+14155557002';
    const frForm = await post('/handoff/enroll/phone', { session: session(fr), phone_number: frPhone, channel: 'sms' });
    assert.match(frForm.html, /Nous avons envoyé un code par SMS au <span class="phone">/);
    assert.match((await v.inbox(frPhone))[0]?.body ?? '', /Votre code de vérification/);

    const es = await open('user-es-hub-1', ['totp', 'recovery_code'], ['es-MX']);
    assert.match(es.html, /<html lang="es">/);
    assert.match(es.html, /<h1>Sus métodos de inicio de sesión<\/h1>/);
    assertNoEnglish(es.html, 'es');

    const en = await open('user-en-phone-1', ['sms'], ['en']);
    assert.match(en.html, /<h1>Your sign-in methods<\/h1>/);
    const enPhone = '+14155557003';
    await post('/handoff/enroll/phone', { session: session(en), phone_number: enPhone, channel: 'sms' });
    assert.match((await v.inbox(enPhone))[0]?.body ?? '', /verification code/);
  });
});
