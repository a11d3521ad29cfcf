import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { VerityError } from '../../src/errors/verity-error.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import type { HandoffSession } from '../../src/handoff/handoff-session.ts';
import { startHostedHandoff } from '../../src/hosted-factors/chooser.ts';
import { clientErrorMessage } from '../../src/hosted-factors/passkey/passkey-flow.ts';
import { HOSTED_PASS_PHRASE, qualityAdvice } from '../../src/hosted-factors/voiceprint/voiceprint-flow.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { passkeyCard } from '../../src/hosted-factors/passkey/passkey-card.ts';
import { renderPasskeyEnroll, renderPasskeySignIn } from '../../src/hosted-factors/passkey/passkey-pages.ts';
import { renderVoiceprintNotice, renderVoiceprintRecorder } from '../../src/hosted-factors/voiceprint/voiceprint-pages.ts';
import type { PageLocale } from '../../src/i18n/locales.ts';
import { translate } from '../../src/i18n/translator.ts';
import { assertCatalogComplete, isIcuChoice, messagesOf } from '../support/i18n-catalog.ts';

const PASSKEY_MESSAGES = messagesOf('passkey');
const VOICEPRINT_MESSAGES = messagesOf('voiceprint');
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { hiddenField, plantSession, postForm, startPasskeyHandoff, testBrowser, unescapeHtml, visibleText } from './handoff-support.ts';


/** The texts handed to the page's script (data-msg-* attributes), decoded. */
const scriptTexts = (html: string): string[] => [...html.matchAll(/data-msg-[\w-]+="([^"]*)"/g)].map((m) => unescapeHtml(m[1] as string));

/**
 * The English phrases of a catalog that must not show on a page in `locale`: every fragment between
 * placeholders of 12 characters or more, unless the translation of that message holds it too (a
 * MIME type, a name).
 */
function englishFragments<K extends string>(messages: Record<PageLocale, Record<K, string>>, locale: PageLocale): string[] {
  const fragments: string[] = [];
  for (const key of Object.keys(messages.en) as K[]) {
    const english = messages.en[key];
    const translated = messages[locale][key];
    // A plural or a choice is not one piece of prose (it was a function before ICU).
    if (isIcuChoice(english) || isIcuChoice(translated)) continue;
    for (const part of english.split(/\{\w+\}/)) {
      const fragment = part.trim();
      if (fragment.length >= 12 && !translated.includes(fragment)) fragments.push(fragment);
    }
  }
  return fragments;
}

function assertNoEnglish<K extends string>(messages: Record<PageLocale, Record<K, string>>, locale: PageLocale, texts: string[]): void {
  const all = texts.join('\n');
  const leftovers = englishFragments(messages, locale).filter((fragment) => all.includes(fragment));
  assert.deepEqual(leftovers, [], `English left on a ${locale} page`);
}

const OPTIONS = { challenge: 'Y2hhbGxlbmdl', rpId: 'localhost', allowCredentials: [], userVerification: 'required' } as const;

describe('hosted passkey and voice pages: translations', () => {
  it('every catalog is complete: no empty message, the placeholders of English in every language', () => {
    assertCatalogComplete('passkey');
    assertCatalogComplete('voiceprint');
  });

  it('the passkey pages in German: lang, German text, the script’s texts, no English of this catalog', () => {
    const signIn = renderPasskeySignIn({ appName: 'Acme Shop', session: 's', leave: 'https://app.example/back', factorSid: 'YF1', name: 'Laptop', options: OPTIONS as never, message: clientErrorMessage('NotAllowedError', 'de'), locale: 'de' });
    assert.match(signIn, /<html lang="de">/);
    assert.match(signIn, /<title>Passkey verwenden · Verity<\/title>/);
    assert.match(signIn, /Bestätigen Sie Ihre Anmeldung bei Acme Shop mit Ihrem Passkey „Laptop“/);
    assert.match(signIn, />Meinen Passkey verwenden</);
    assert.match(signIn, /Die Passkey-Abfrage wurde geschlossen oder ist abgelaufen/);
    assert.match(signIn, /data-msg-prompt-use="Folgen Sie der Aufforderung Ihres Geräts, um Ihren Passkey zu verwenden…"/);
    assertNoEnglish(PASSKEY_MESSAGES, 'de', [visibleText(signIn), ...scriptTexts(signIn)]);

    const enroll = renderPasskeyEnroll({ appName: 'Acme Shop', session: 's', leave: 'https://app.example/back', options: OPTIONS as never, locale: 'de' });
    assert.match(enroll, /<html lang="de">/);
    assert.match(enroll, /<h1>Passkey hinzufügen<\/h1>/);
    assert.match(enroll, />Passkey erstellen</);
    assert.match(enroll, />Stattdessen eine andere Methode einrichten</);
    assertNoEnglish(PASSKEY_MESSAGES, 'de', [visibleText(enroll), ...scriptTexts(enroll)]);

    const card = passkeyCard({ session: 's', locale: 'de' }, { kind: 'passkey', passkeys: [{ factorSid: 'YF1', name: 'Laptop' }, { factorSid: 'YF2', name: 'Phone' }] }).value;
    assert.match(card, /Passkey verwenden: „Laptop“/);
    assertNoEnglish(PASSKEY_MESSAGES, 'de', [visibleText(card)]);
  });

  it('the passkey pages in French and Spanish', () => {
    for (const [locale, title] of [['fr', 'Ajouter une clé d’accès'], ['es', 'Añadir una llave de acceso']] as const) {
      const enroll = renderPasskeyEnroll({ appName: 'Acme', session: 's', leave: 'https://app.example/back', options: OPTIONS as never, locale });
      assert.match(enroll, new RegExp(`<html lang="${locale}">`));
      assert.ok(enroll.includes(`<h1>${title}</h1>`), title);
      assertNoEnglish(PASSKEY_MESSAGES, locale, [visibleText(enroll), ...scriptTexts(enroll)]);
    }
    assert.equal(clientErrorMessage('SomethingNew', 'fr'), 'Votre navigateur n’a pas pu utiliser de clé d’accès. Réessayez, ou essayez une autre méthode.');
  });

  it('English stays as it was', () => {
    const signIn = renderPasskeySignIn({ appName: 'Acme', session: 's', leave: 'https://app.example/back', factorSid: 'YF1', name: 'Laptop', options: OPTIONS as never });
    assert.match(signIn, /<html lang="en">/);
    assert.match(signIn, /Confirm your sign-in to Acme with your passkey “Laptop”\./);
    // The leftover check can fail: the English page is full of English.
    assert.throws(() => assertNoEnglish(PASSKEY_MESSAGES, 'de', [visibleText(signIn), ...scriptTexts(signIn)]), /English left on a de page/);
    const recorder = renderVoiceprintRecorder({ mode: 'verify', appName: 'Acme', session: 's', phrase: HOSTED_PASS_PHRASE, uploadPath: '/u', leave: 'https://app.example/back' });
    assert.match(recorder, /“My voice is my password, verify me”/);
    assert.match(recorder, /Use “Try another way”\./);
  });

  it('the voice recording pages in German: set-up with the German phrase, sign-in with the phrase the user enrolled with', () => {
    const enroll = renderVoiceprintRecorder({
      mode: 'enroll',
      appName: 'Acme Shop',
      session: 's',
      phrase: VOICEPRINT_MESSAGES.de.passPhrase as string,
      uploadPath: '/handoff/enroll/voiceprint/recording',
      leave: 'https://app.example/back',
      progress: { accepted: 1, needed: 3 },
      hubPath: '/handoff/enroll',
      locale: 'de',
    });
    assert.match(enroll, /<html lang="de">/);
    assert.match(enroll, /<h1>Anmeldung per Stimme einrichten<\/h1>/);
    assert.match(enroll, /Sprechen Sie den folgenden Satz 3-mal/);
    assert.match(enroll, /„Meine Stimme ist mein Passwort, bitte bestätigen“/);
    assert.match(enroll, /Aufnahme 2 von 3/);
    assert.match(enroll, />Aufnehmen</);
    assert.match(enroll, /data-msg-take-progress="Aufnahme \{take\} von \{needed\} \(\{saved\} gespeichert\)"/);
    assert.match(enroll, /data-msg-mic-blocked="[^"]*oder richten Sie eine andere Methode ein\."/);
    assertNoEnglish(VOICEPRINT_MESSAGES, 'de', [visibleText(enroll), ...scriptTexts(enroll)]);

    // A voice enrolled in English keeps its English phrase: that is what the user says.
    const verify = renderVoiceprintRecorder({ mode: 'verify', appName: 'Acme Shop', session: 's', phrase: HOSTED_PASS_PHRASE, uploadPath: '/handoff/voiceprint/recording', leave: 'https://app.example/back', locale: 'de' });
    assert.match(verify, /<h1>Mit Ihrer Stimme anmelden<\/h1>/);
    assert.match(verify, /„My voice is my password, verify me“/);
    assert.match(verify, /Andere Methode wählen/);
    assertNoEnglish(VOICEPRINT_MESSAGES, 'de', [visibleText(verify).replace(HOSTED_PASS_PHRASE, ''), ...scriptTexts(verify)]);

    const notice = renderVoiceprintNotice({ appName: 'Acme', session: 's', message: VOICEPRINT_MESSAGES.de.needsAnotherFactor as string, hubPath: '/handoff/enroll', locale: 'de' });
    assert.match(notice, /<html lang="de">/);
    assert.match(notice, />Zurück zur Einrichtung</);
    assertNoEnglish(VOICEPRINT_MESSAGES, 'de', [visibleText(notice)]);
  });

  it('the voice pages in Spanish and French; quality advice and attempts in the page’s language', () => {
    for (const locale of ['es', 'fr'] as const) {
      const page = renderVoiceprintRecorder({ mode: 'verify', appName: 'Acme', session: 's', phrase: VOICEPRINT_MESSAGES[locale].passPhrase as string, uploadPath: '/u', leave: 'https://app.example/back', locale });
      assert.match(page, new RegExp(`<html lang="${locale}">`));
      assertNoEnglish(VOICEPRINT_MESSAGES, locale, [visibleText(page), ...scriptTexts(page)]);
    }
    const refused = new VerityError(64011, 'quality', { details: { problems: [{ code: 'too_quiet', message: 'too quiet' }, { code: 'clipped', message: 'clipped' }] } });
    assert.equal(qualityAdvice(refused, 'es'), `${VOICEPRINT_MESSAGES.es.tooQuiet as string} ${VOICEPRINT_MESSAGES.es.clipped as string}`);
    assert.equal(qualityAdvice(refused), 'We could hardly hear you: move closer to the microphone or speak a little louder. The recording was too loud and distorted: hold the microphone a little further away.');
    const attempts = (params: Record<string, number>): string => translate('de', 'voiceprint.attemptsLeft', params);
    assert.equal(attempts({ left: 1 }), 'Noch 1 Versuch.');
    assert.equal(attempts({ left: 2 }), 'Noch 2 Versuche.');
  });
});

const RETURN = 'http://localhost:9999/back';

/** The pages served for sessions in German, French and Spanish: the logic's messages follow the session. */
describe('hosted passkey and voice pages: served in the session’s language', () => {
  let v: TestVerity;
  let origin: string;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  before(async () => {
    ({ v, origin, serviceSid, clientSid, secret } = await startPasskeyHandoff(RETURN, { 'Passkeys.UserVerification': 'required' }));
  });
  after(async () => v.close());

  const clock = () => v.clock as NonNullable<TestVerity['clock']>;
  const newIdentity = () => `i18n-${Date.now().toString(36)}-${++counter}`;
  const entity = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;
  const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);

  async function session(identity: string, locale: PageLocale, enrollment?: string[]): Promise<HandoffSession> {
    const url = await buildHandoffRequestUrl({ verityUrl: origin, clientSid, secret, subject: identity, state: `state-${counter}`, returnTo: RETURN, factors: ['passkeys', 'totp', 'voiceprint', 'recovery_code'], now: clock().now() });
    const request = await verifyHandoffRequest(v.ctx, new URL(url).searchParams.get('request') as string);
    const started = (await startHostedHandoff(v.ctx, request, locale)).session;
    return enrollment ? { ...started, enrollment: { amr: enrollment } } : started;
  }

  async function withTotp(identity: string): Promise<void> {
    const factor = await v.api('POST', `${entity(identity)}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
    const code = totp(base32Decode(factor.body.binding.secret as string), clock().now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    assert.equal((await v.api('POST', `${entity(identity)}/Factors/${factor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
  }

  it('German passkey set-up: the page, a browser failure, the new passkey’s name and the hub’s message', async () => {
    const identity = newIdentity();
    const page = await post('/handoff/enroll/passkey', { session: await plantSession(v, await session(identity, 'de', [])) });
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /<html lang="de">/);
    assert.match(page.html, /<h1>Passkey hinzufügen<\/h1>/);
    assertNoEnglish(PASSKEY_MESSAGES, 'de', [visibleText(page.html), ...scriptTexts(page.html)]);

    const failed = await post('/handoff/enroll/passkey/verify', { session: hiddenField(page.html, 'session'), response: '', error: 'InvalidStateError' });
    assert.equal(failed.status, 200);
    assert.ok(failed.html.includes(PASSKEY_MESSAGES.de.clientInvalidState as string), failed.html);

    const authenticator = new SoftAuthenticator(origin);
    const options = JSON.parse(unescapeHtml(/data-options="([^"]*)"/.exec(failed.html)?.[1] ?? '')) as never;
    const added = await post('/handoff/enroll/passkey/verify', { session: hiddenField(failed.html, 'session'), response: JSON.stringify(authenticator.register(options)) });
    assert.equal(added.status, 200);
    assert.match(added.html, /Passkey hinzugefügt: Wenn Acme Shop Sie das nächste Mal um eine Bestätigung bittet/);
    const factors = await v.api('GET', `${entity(identity)}/Factors`);
    assert.deepEqual(
      (factors.body.factors as Array<{ friendly_name: string }>).map((f) => f.friendly_name),
      ['Passkey für Acme Shop'],
    );

    // Signing in in French with that passkey: the prompt page and a refusal in French.
    const signIn = await session(identity, 'fr');
    const factorSid = (factors.body.factors as Array<{ sid: string }>)[0]?.sid as string;
    const prompt = await post('/handoff/passkey', { session: await plantSession(v, signIn), factor: factorSid });
    assert.equal(prompt.status, 200, prompt.html);
    assert.match(prompt.html, /<html lang="fr">/);
    assert.match(prompt.html, /<h1>Utilisez votre clé d’accès<\/h1>/);
    const aborted = await post('/handoff/passkey/verify', { session: hiddenField(prompt.html, 'session'), factor: factorSid, response: '', error: 'AbortError' });
    assert.ok(aborted.html.includes(PASSKEY_MESSAGES.fr.clientAbort as string), aborted.html);
    assertNoEnglish(PASSKEY_MESSAGES, 'fr', [visibleText(aborted.html), ...scriptTexts(aborted.html)]);
  });

  it('German voice set-up: the German phrase is stored with the factor and shown; the upload answers in German', async () => {
    const identity = newIdentity();
    await withTotp(identity);
    const page = await post('/handoff/enroll/voiceprint', { session: await plantSession(v, await session(identity, 'de', ['otp'])) });
    assert.match(page.html, /<html lang="de">/);
    if (!v.ctx.voiceprints) {
      // No voiceprint models on this machine: the notice, in German.
      assert.ok(page.html.includes(VOICEPRINT_MESSAGES.de.unavailable as string), page.html);
      return;
    }
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /„Meine Stimme ist mein Passwort, bitte bestätigen“/);
    assertNoEnglish(VOICEPRINT_MESSAGES, 'de', [visibleText(page.html), ...scriptTexts(page.html)]);
    const factors = await v.api('GET', `${entity(identity)}/Factors`);
    const voice = (factors.body.factors as Array<{ factor_type: string; friendly_name: string; metadata: Record<string, unknown> | null }>).find((f) => f.factor_type === 'voiceprint');
    assert.equal(voice?.friendly_name, 'Stimme');
    assert.equal(voice?.metadata?.['pass_phrase'], VOICEPRINT_MESSAGES.de.passPhrase);

    const sealed = /data-session="([^"]*)"/.exec(page.html)?.[1] as string;
    const empty = await fetch(`${v.url}/handoff/enroll/voiceprint/recording`, { method: 'POST', headers: { 'content-type': 'audio/wav', 'x-handoff-session': unescapeHtml(sealed), ...testBrowser.cookieHeader() }, body: new Uint8Array(0) });
    assert.equal(empty.status, 400);
    assert.equal(((await empty.json()) as { message: string }).message, VOICEPRINT_MESSAGES.de.noRecording);
    const wrongType = await fetch(`${v.url}/handoff/enroll/voiceprint/recording`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-handoff-session': unescapeHtml(sealed), ...testBrowser.cookieHeader() }, body: 'hello' });
    assert.equal(wrongType.status, 415);
    assert.equal(((await wrongType.json()) as { message: string }).message, VOICEPRINT_MESSAGES.de.notWav);
    // Without a session the browser's language decides.
    const noSession = await fetch(`${v.url}/handoff/voiceprint/recording`, { method: 'POST', headers: { 'content-type': 'text/plain', 'accept-language': 'es-ES,es;q=0.9' }, body: 'hello' });
    assert.equal(((await noSession.json()) as { message: string }).message, VOICEPRINT_MESSAGES.es.notWav);
  });

  it('Spanish voice set-up for a user without another factor: the notice in Spanish', async () => {
    const page = await post('/handoff/enroll/voiceprint', { session: await plantSession(v, await session(newIdentity(), 'es', [])) });
    assert.equal(page.status, 409);
    assert.match(page.html, /<html lang="es">/);
    assert.match(page.html, /<h1>Todavía no se puede configurar el inicio de sesión por voz<\/h1>/);
    assert.ok(page.html.includes(VOICEPRINT_MESSAGES.es.needsAnotherFactor as string), page.html);
  });
});
