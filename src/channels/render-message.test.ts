import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMessage, spellDigits } from './render-message.ts';
import { MESSAGE_TEMPLATES, SUPPORTED_LOCALES, resolveLocale } from './templates/message-templates.ts';

const base = { code: '123456', friendlyName: 'Acme', ttlSeconds: 600, doNotShareWarning: false, webOtpDomain: null };

describe('message templates', () => {
  it('covers at least en, es, fr, de, pt, it with every text filled in', () => {
    for (const locale of ['en', 'es', 'fr', 'de', 'pt', 'it']) assert.ok(SUPPORTED_LOCALES.includes(locale as never), locale);
    for (const [locale, t] of Object.entries(MESSAGE_TEMPLATES)) {
      for (const [key, text] of Object.entries(t)) assert.ok(text.length > 0, `${locale}.${key}`);
      assert.ok(t.sms.includes('{code}') && t.sms.includes('{name}'), locale);
      assert.ok(t.voiceCode.includes('{code}') && t.voiceRepeat.includes('{code}'), locale);
    }
  });

  it('resolves regional tags and falls back to English', () => {
    assert.equal(resolveLocale('pt-BR'), 'pt');
    assert.equal(resolveLocale('de_AT'), 'de');
    assert.equal(resolveLocale('zz'), 'en');
    assert.equal(resolveLocale(undefined), 'en');
  });

  it('puts the service name and code in every language', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const sms = renderMessage({ ...base, channel: 'sms', locale });
      assert.ok(sms.body.includes('Acme') && sms.body.includes('123456'), `${locale}: ${sms.body}`);
      assert.equal(sms.locale, locale);
    }
  });

  it('speaks the code digit by digit, twice', () => {
    assert.equal(spellDigits('4021'), '4, 0, 2, 1');
    const call = renderMessage({ ...base, channel: 'call', locale: 'en' });
    assert.equal(call.body, 'Hello. This is Acme. Your verification code is 1, 2, 3, 4, 5, 6. Once again, your code is 1, 2, 3, 4, 5, 6. Goodbye.');
  });

  it('ends SMS with the WebOTP origin-bound line when a domain is configured', () => {
    const sms = renderMessage({ ...base, channel: 'sms', locale: 'en', webOtpDomain: 'login.example.com' });
    assert.equal(sms.body.split('\n').at(-1), '@login.example.com #123456');
  });

  it('adds the do-not-share warning and renders emails with an escaped HTML part', () => {
    const sms = renderMessage({ ...base, channel: 'sms', locale: 'en', doNotShareWarning: true });
    assert.match(sms.body, /never ask for the code/);
    const mail = renderMessage({ ...base, channel: 'email', locale: 'de', friendlyName: 'A&B <x>' });
    assert.equal(mail.subject, 'Ihr A&B <x> Bestätigungscode');
    assert.ok(mail.html?.includes('A&amp;B &lt;x&gt;'), "expected mail.html?.includes('A&amp;B &lt;x&gt;')");
    assert.ok(!mail.html?.includes('<x>'), "expected !mail.html?.includes('<x>')");
    assert.match(mail.body, /10 Minuten/);
  });
});
