import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAGE_LOCALES } from './locales.ts';
import { CATALOGS } from './messages/catalogs.ts';
import { en } from './messages/en.ts';
import { hasMessage, translate, translateParts, translator, waitParams } from './translator.ts';

describe('the page catalogs', () => {
  it('page languages have every id (the message-only languages are checked in catalogs.test.ts)', () => {
    const ids = Object.keys(en).sort();
    for (const locale of PAGE_LOCALES) assert.deepEqual(Object.keys(CATALOGS[locale]).sort(), ids, locale);
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

  it('takes a regional variant\'s missing texts from its language, and speaks each locale\'s plural rules', () => {
    assert.equal(translate('en-GB', 'voice.codeAccepted'), 'Thank you. Your phone number has been verified.');
    assert.equal(translate('en-GB', 'verification.sms', { name: 'Acme', code: '1234' }), translate('en', 'verification.sms', { name: 'Acme', code: '1234' }));
    assert.equal(translate('en-GB', 'handoff.footer'), 'Secured by Verity');
    assert.equal(translate('zh-CN', 'verification.voiceGoodbye'), '再见。');
    assert.equal(translate('zh-HK', 'verification.voiceGoodbye'), '再見。');
    assert.equal(translate('ru', 'verification.whatsappExpiry', { minutes: '1' }), 'Срок действия кода истекает через 1 минуту.');
    assert.equal(translate('ru', 'verification.whatsappExpiry', { minutes: '3' }), 'Срок действия кода истекает через 3 минуты.');
    assert.equal(translate('ru', 'verification.whatsappExpiry', { minutes: '10' }), 'Срок действия кода истекает через 10 минут.');
    assert.equal(translate('pl', 'verification.whatsappExpiry', { minutes: '22' }), 'Ten kod wygaśnie za 22 minuty.');
    assert.equal(translate('ar', 'verification.whatsappExpiry', { minutes: '2' }), 'تنتهي صلاحية هذا الرمز خلال دقيقتين.');
  });
});
