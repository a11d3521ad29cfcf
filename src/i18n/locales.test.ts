import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SUPPORTED_LOCALES, resolveLocale, speaksLanguageOf } from './locales.ts';

/**
 * Twilio Verify's locale list (twilio.com/docs/verify/supported-languages; the Authy list at
 * twilio.com/docs/authy/supported-languages is the same table), as Twilio writes the tags.
 */
const TWILIO_LOCALES = [
  'af', 'ar', 'ca', 'zh', 'zh-CN', 'zh-HK', 'hr', 'cs', 'da', 'nl', 'en', 'en-GB', 'et', 'fi', 'fr', 'de', 'el', 'he', 'hi', 'hu', 'id',
  'it', 'ja', 'kn', 'ko', 'lt', 'ms', 'mr', 'nb', 'pl', 'pt-BR', 'pt', 'ro', 'ru', 'sk', 'es', 'sv', 'tl', 'te', 'th', 'tr', 'uk', 'vi',
];

describe('resolveLocale: Twilio\'s Locale override', () => {
  it('supports every locale of Twilio\'s list, each resolving to itself', () => {
    assert.deepEqual([...SUPPORTED_LOCALES].sort(), [...TWILIO_LOCALES].sort());
    for (const locale of TWILIO_LOCALES) assert.equal(resolveLocale(locale), locale);
  });

  it('ignores case and accepts `_` for `-` (pt_BR, as the docs write it once)', () => {
    for (const locale of TWILIO_LOCALES) {
      assert.equal(resolveLocale(locale.toLowerCase()), locale);
      assert.equal(resolveLocale(locale.toUpperCase()), locale);
      assert.equal(resolveLocale(locale.replace('-', '_')), locale);
    }
    assert.equal(resolveLocale(' pt_br '), 'pt-BR');
  });

  it('falls back from a region Twilio does not list to its language', () => {
    assert.equal(resolveLocale('pt-PT'), 'pt');
    assert.equal(resolveLocale('en-US'), 'en');
    assert.equal(resolveLocale('en-AU'), 'en');
    assert.equal(resolveLocale('es-419'), 'es');
    assert.equal(resolveLocale('es-MX'), 'es');
    assert.equal(resolveLocale('fr-CA'), 'fr');
    assert.equal(resolveLocale('de_AT'), 'de');
    assert.equal(resolveLocale('sv-FI'), 'sv');
    assert.equal(resolveLocale('pt-Latn-BR'), 'pt-BR', 'a script subtag before the region');
  });

  it('reads Traditional Chinese tags with the Hong Kong catalog, Simplified ones with zh', () => {
    assert.equal(resolveLocale('zh-TW'), 'zh-HK');
    assert.equal(resolveLocale('zh-Hant'), 'zh-HK');
    assert.equal(resolveLocale('zh-Hant-TW'), 'zh-HK');
    assert.equal(resolveLocale('zh-MO'), 'zh-HK');
    assert.equal(resolveLocale('zh-Hans'), 'zh');
    assert.equal(resolveLocale('zh-SG'), 'zh');
    assert.equal(resolveLocale('zh-Hans-CN'), 'zh-CN');
  });

  it('maps the other codes of listed languages (no, nn → nb; fil → tl; iw → he; in → id)', () => {
    assert.equal(resolveLocale('no'), 'nb');
    assert.equal(resolveLocale('nn-NO'), 'nb');
    assert.equal(resolveLocale('fil'), 'tl');
    assert.equal(resolveLocale('iw'), 'he');
    assert.equal(resolveLocale('in'), 'id');
  });

  it('falls back to English for a language Twilio does not list, and for no locale', () => {
    for (const tag of ['xx', 'eo', 'sw-KE', 'bg', 'zz-ZZ', '', undefined, null]) assert.equal(resolveLocale(tag), 'en', String(tag));
  });
});

describe('speaksLanguageOf (what a service\'s DefaultLocale may name)', () => {
  it('accepts every listed locale, its language with any region, and the aliases; not the languages that would be English', () => {
    for (const tag of [...SUPPORTED_LOCALES, 'no', 'fil', 'nn-NO', 'pt-PT', 'es_419', 'ZH-hant']) assert.equal(speaksLanguageOf(tag), true, tag);
    for (const tag of ['xx', 'eo', 'bg-BG', '', ' ']) assert.equal(speaksLanguageOf(tag), false, tag);
  });
});
