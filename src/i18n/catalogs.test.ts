import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { PAGE_LOCALES, SUPPORTED_LOCALES, type Locale } from './locales.ts';
import { CATALOGS } from './messages/catalogs.ts';
import type { MessageId } from './messages/catalog-types.ts';
import { en } from './messages/en.ts';
import { enGB } from './messages/en-gb.ts';
import { zh } from './messages/zh.ts';

/** The ids every language has: the verification message and the call flows. */
const MESSAGE_IDS = (Object.keys(en) as MessageId[]).filter((id) => id.startsWith('verification.') || id.startsWith('voice.')).sort();

/** Regional variants that hold only what differs from their language (the rest comes from it). */
const REGIONAL: ReadonlySet<Locale> = new Set(['en-GB']);

const FULL_LOCALES = SUPPORTED_LOCALES.filter((locale) => !REGIONAL.has(locale));

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

/** The script each non-Latin language is written in: a translation must be in it, not in English letters. */
const SCRIPTS: Partial<Record<Locale, RegExp>> = {
  ar: /\p{Script=Arabic}/u, he: /\p{Script=Hebrew}/u, el: /\p{Script=Greek}/u, ru: /\p{Script=Cyrillic}/u, uk: /\p{Script=Cyrillic}/u,
  hi: /\p{Script=Devanagari}/u, mr: /\p{Script=Devanagari}/u, kn: /\p{Script=Kannada}/u, te: /\p{Script=Telugu}/u, th: /\p{Script=Thai}/u,
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}]/u, ko: /\p{Script=Hangul}/u, zh: /\p{Script=Han}/u, 'zh-CN': /\p{Script=Han}/u, 'zh-HK': /\p{Script=Han}/u,
};

const SAMPLE = { name: 'Acme', code: '482017', minutes: '10', amount: '€42.00', payee: 'Mario Rossi' };

describe('the message catalogs: one per locale of Twilio\'s list', () => {
  it('has a catalog for every supported locale and no other', () => {
    assert.deepEqual(Object.keys(CATALOGS).sort(), [...SUPPORTED_LOCALES].sort());
  });

  it('every full catalog has every verification and call text, and no other id (page languages have the page ids too)', () => {
    for (const locale of FULL_LOCALES) {
      const ids = Object.keys(CATALOGS[locale]).sort();
      const expected = (PAGE_LOCALES as readonly string[]).includes(locale) ? Object.keys(en).sort() : MESSAGE_IDS;
      assert.deepEqual(ids, expected, locale);
    }
  });

  it('every text parses as ICU and names exactly the arguments English names', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const [id, text] of Object.entries(CATALOGS[locale])) {
        assert.ok(Object.hasOwn(en, id), `${locale} ${id} is an English id`);
        assert.ok(text.trim().length > 0, `${locale} ${id} is not empty`);
        assert.deepEqual(argumentsOf(text), argumentsOf(en[id as MessageId]), `${locale} ${id}: the arguments of English`);
      }
    }
  });

  it('formats every text in its own locale with every placeholder filled, none left as braces', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const [id, text] of Object.entries(CATALOGS[locale])) {
        if (!MESSAGE_IDS.includes(id as MessageId)) continue;
        const out = String(new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }).format(SAMPLE));
        assert.doesNotMatch(out, /[{}]/, `${locale} ${id}: ${out}`);
        for (const name of argumentsOf(text)) assert.ok(out.includes(String(SAMPLE[name as keyof typeof SAMPLE])), `${locale} ${id} shows {${name}}: ${out}`);
      }
    }
  });

  it('no translation is a copy of English: no text equals the English one, and non-Latin languages write their own script', () => {
    for (const locale of FULL_LOCALES) {
      if (locale === 'en') continue;
      for (const id of MESSAGE_IDS) {
        const text = CATALOGS[locale][id] ?? '';
        assert.notEqual(text, en[id], `${locale} ${id} is English`);
        const script = SCRIPTS[locale];
        if (script) assert.match(text, script, `${locale} ${id} is written in its script`);
      }
    }
  });

  it('regional variants differ where they hold a text: en-GB only overrides English; pt-BR and zh-HK are their own', () => {
    assert.ok(Object.keys(enGB).length > 0, 'en-GB says something differently');
    for (const [id, text] of Object.entries(enGB)) assert.notEqual(text, en[id as MessageId], `en-GB ${id} differs from en`);
    assert.equal(CATALOGS['zh-CN'], zh, 'zh-CN is zh: Simplified Chinese, mainland terms');
    const differing = (a: Locale, b: Locale): number => MESSAGE_IDS.filter((id) => CATALOGS[a][id] !== CATALOGS[b][id]).length;
    // Brazilian and European Portuguese differ in address (você / o senhor), verbs (pressione / prima) and words (tela / ecrã).
    assert.ok(differing('pt-BR', 'pt') >= MESSAGE_IDS.length * 0.75, `pt-BR differs from pt in ${differing('pt-BR', 'pt')} texts`);
    // Hong Kong Chinese is Traditional: every text differs from the Simplified one.
    assert.equal(differing('zh-HK', 'zh'), MESSAGE_IDS.length);
    for (const id of MESSAGE_IDS) assert.doesNotMatch(CATALOGS['zh-HK'][id] ?? '', /[这验证码请说们]/u, `zh-HK ${id} uses Traditional characters`);
  });
});
