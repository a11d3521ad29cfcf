import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { PAGE_LOCALES, SUPPORTED_LOCALES, resolveLocale } from './locales.ts';
import { de } from './messages/de.ts';
import { en } from './messages/en.ts';
import { es } from './messages/es.ts';
import { fr } from './messages/fr.ts';
import { it as italian } from './messages/it.ts';
import { nl } from './messages/nl.ts';
import { pt } from './messages/pt.ts';
import { hasMessage, translate, translateParts, translator, waitParams, type MessageId } from './translator.ts';

const CATALOGS: Record<string, Record<string, string>> = { en, de, fr, es, pt, it: italian, nl };

/** The argument names of an ICU message, at any depth (plural branches too). */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: ReturnType<IntlMessageFormat['getAst']>): void => {
    for (const e of elements) {
      if (e.type !== 0 && 'value' in e && typeof e.value === 'string') names.add(e.value);
      if ('options' in e) for (const option of Object.values(e.options)) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

describe('the message catalogs', () => {
  it('one catalog per language: every message parses as ICU and names the arguments English names', () => {
    assert.deepEqual(Object.keys(CATALOGS).sort(), [...SUPPORTED_LOCALES].sort());
    for (const [locale, catalog] of Object.entries(CATALOGS)) {
      for (const [id, text] of Object.entries(catalog)) {
        assert.ok(text.trim().length > 0, `${locale} ${id} is not empty`);
        assert.ok(Object.hasOwn(en, id), `${locale} ${id} is an English id`);
        assert.deepEqual(argumentsOf(text), argumentsOf(en[id as MessageId]), `${locale} ${id}: the arguments of English`);
      }
    }
  });

  it('page languages have every id; the message-only languages have the verification and call texts', () => {
    const ids = Object.keys(en);
    for (const locale of PAGE_LOCALES) assert.deepEqual(Object.keys(CATALOGS[locale] ?? {}).sort(), [...ids].sort(), locale);
    const messageIds = ids.filter((id) => id.startsWith('verification.') || id.startsWith('voice.')).sort();
    for (const locale of ['pt', 'it', 'nl']) assert.deepEqual(Object.keys(CATALOGS[locale] ?? {}).sort(), messageIds, locale);
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones as they are', () => {
    assert.equal(translate('en', 'handoff.backTo', { app: 'Ada' }), 'Back to Ada');
    assert.equal(translate('de', 'handoff.backTo'), 'Zurück zu {app}');
  });

  it('falls back to English for a language without the message, and for no language', () => {
    assert.equal(translate('pt', 'handoff.footer'), 'Secured by Verity');
    assert.equal(translate(undefined, 'handoff.footer'), 'Secured by Verity');
    assert.equal(translate('pt', 'verification.voiceGoodbye'), 'Adeus.');
  });

  it('picks plurals per language (ICU), numbers printed as they are', () => {
    assert.equal(translate('en', 'enroll.codesCount', { count: 1 }), '1 code');
    assert.equal(translate('en', 'enroll.codesCount', { count: 10 }), '10 codes');
    assert.equal(translate('fr', 'enroll.codesCount', { count: 0 }), '0 code');
    assert.equal(translate('de', 'handoff-notice.totpWrong', { left: 0 }), 'Dieser Code ist nicht korrekt (oder wurde bereits verwendet). Keine Versuche mehr: Verwenden Sie eine andere Methode oder beginnen Sie erneut in der Anwendung.');
    assert.equal(translate('es', 'handoff-notice.totpWrong', { left: 1 }), 'Ese código no es correcto (o ya se ha utilizado). Queda 1 intento.');
    assert.equal(translate('en', 'handoff-error.rateLimitedSeconds', { seconds: 1200 }), 'Too many requests came from your connection or this page. Wait 1200 seconds, then try again.');
  });

  it('says "try again in" with seconds under two minutes and whole minutes from two on', () => {
    assert.equal(translate('en', 'passkey.retryIn', waitParams(45)), ' Try again in 45 seconds.');
    assert.equal(translate('en', 'passkey.retryIn', waitParams(121)), ' Try again in 3 minutes.');
    assert.equal(translate('de', 'voiceprint.wait', waitParams(1)), '1 Sekunde');
    assert.equal(translate('fr', 'voiceprint.wait', waitParams(600)), '10 minutes');
  });

  it('keeps markup placeholders as values (parts), and `<` `{` in texts as text', () => {
    const marker = { markup: '<span>' };
    assert.deepEqual(translateParts('en', 'handoff.phoneLeadSms', { phone: marker }), ['We texted a code to ', marker, '.']);
    assert.match(translate('en', 'enroll-notice.nameInvalid'), /symbols such as < > \{ \}\.$/);
  });

  it('binds a language and a namespace; hasMessage guards keys that travel as data', () => {
    const t = translator('fr', 'call');
    assert.equal(t('verify'), translate('fr', 'call.verify'));
    assert.equal(translator('es')('handoff.footer'), translate('es', 'handoff.footer'));
    assert.ok(hasMessage('handoff-error', 'linkRefused'), 'a handoff-error key');
    assert.ok(!hasMessage('handoff-error', 'footer'), 'a key of another namespace');
    assert.ok(!hasMessage('handoff-error', 'toString'), 'not an inherited property');
  });

  it('resolves Twilio message locales by language, falling back to English', () => {
    assert.equal(resolveLocale('pt-BR'), 'pt');
    assert.equal(resolveLocale('NL'), 'nl');
    assert.equal(resolveLocale('ja'), 'en');
  });
});
