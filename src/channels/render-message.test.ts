import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMessage, spellDigits } from './render-message.ts';
import { SUPPORTED_LOCALES, resolveLocale } from '../i18n/locales.ts';
import { en } from '../i18n/messages/en.ts';
import { translate, type MessageId } from '../i18n/translator.ts';

const base = { code: '123456', friendlyName: 'Acme', ttlSeconds: 600, doNotShareWarning: false, webOtpDomain: null };

describe('message templates', () => {
  it('covers at least en, es, fr, de, pt, it with every text filled in', () => {
    for (const locale of ['en', 'es', 'fr', 'de', 'pt', 'it']) assert.ok(SUPPORTED_LOCALES.includes(locale as never), locale);
    const ids = (Object.keys(en) as MessageId[]).filter((id) => id.startsWith('verification.'));
    assert.ok(ids.length > 0, 'the catalog has verification messages');
    for (const locale of SUPPORTED_LOCALES) {
      // Unfilled placeholders stay `{name}`: each language's text has them, and no other is empty.
      for (const id of ids) assert.ok(translate(locale, id).length > 0, `${locale}.${id}`);
      const t = (id: MessageId): string => translate(locale, id);
      assert.ok(t('verification.sms').includes('{code}') && t('verification.sms').includes('{name}'), locale);
      assert.ok(t('verification.voiceCode').includes('{code}') && t('verification.voiceRepeat').includes('{code}'), locale);
    }
  });

  it('resolves regional tags and falls back to English', () => {
    assert.equal(resolveLocale('pt-BR'), 'pt-BR');
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

  it('says Meta\'s authentication template text for WhatsApp and hands the provider the code itself', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const whatsapp = renderMessage({ ...base, channel: 'whatsapp', locale });
      assert.equal(whatsapp.code, '123456', locale);
      assert.ok(whatsapp.body.includes('123456') && whatsapp.body.includes('10'), `${locale}: ${whatsapp.body}`);
      // WhatsApp shows the business's verified name above it: the text does not name the service.
      assert.ok(!whatsapp.body.includes('Acme'), `${locale}: ${whatsapp.body}`);
    }
    assert.equal(renderMessage({ ...base, channel: 'whatsapp', locale: 'en' }).body, '123456 is your verification code.\nThis code expires in 10 minutes.');
    assert.equal(renderMessage({ ...base, channel: 'whatsapp', locale: 'en', doNotShareWarning: true }).body, '123456 is your verification code. For your security, do not share this code.\nThis code expires in 10 minutes.');
    assert.equal(renderMessage({ ...base, channel: 'sms', locale: 'en' }).code, undefined, 'only WhatsApp carries the code apart');
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

describe('issue 15 message parameters', () => {
  it('a template text, AppHash and PSD2 shape the SMS; the email escapes a template\'s text', () => {  const base = { code: '123456', friendlyName: 'Acme', locale: 'en', ttlSeconds: 600, doNotShareWarning: true, webOtpDomain: 'acme.example' } as const;
  const custom = { text: 'Hi {{name}}, {{code}} for {{friendly_name}}', locale: 'en', substitutions: { name: 'Ada' } };
  assert.equal(renderMessage({ ...base, channel: 'sms', custom }).body, 'Hi Ada, 123456 for Acme\n\n@acme.example #123456', 'a template is the whole text: no warning; the WebOTP line still ends it');
  assert.equal(renderMessage({ ...base, channel: 'sms', webOtpDomain: null, appHash: 'He42w354ol9' }).body, '<#> Your Acme verification code is: 123456 Don\'t share this code with anyone; our employees will never ask for the code. He42w354ol9');
  assert.equal(
    renderMessage({ ...base, channel: 'sms', doNotShareWarning: false, webOtpDomain: null, psd2: { amount: '€9', payee: 'Shop' } }).body,
    'Your Acme verification code is: 123456. This code approves a payment of €9 to Shop.',
  );
  const paying = { text: '{{code}} pays {{amount}} to {{payee}}', locale: 'en', substitutions: {} };
  assert.equal(renderMessage({ ...base, channel: 'sms', webOtpDomain: null, custom: paying, psd2: { amount: '€9', payee: 'Shop' } }).body, '123456 pays €9 to Shop', 'a template naming the payment gets no second line');
  const email = renderMessage({ ...base, channel: 'email', custom: { text: '{{code}} & <{{name}}>', locale: 'en', substitutions: { name: 'x' } } });
  assert.equal(email.body, '123456 & <x>');
  assert.ok(email.html?.includes('123456 &amp; &lt;x&gt;'), `escaped: ${email.html}`);
});
});
