import assert from 'node:assert/strict';
import { IntlMessageFormat } from 'intl-messageformat';
import { PAGE_LOCALES, type PageLocale } from '../../src/i18n/locales.ts';
import { de } from '../../src/i18n/messages/de.ts';
import { en } from '../../src/i18n/messages/en.ts';
import { es } from '../../src/i18n/messages/es.ts';
import { fr } from '../../src/i18n/messages/fr.ts';
import { translate, type MessageId, type MessageKey, type MessageParams, type Namespace } from '../../src/i18n/translator.ts';

/** One namespace of the catalogs as `{ en: { key: text }, de: … }`, for tests that go through a page's texts. */
export function messagesOf<N extends Namespace>(namespace: N): Record<PageLocale, Record<MessageKey<N>, string>> {
  const prefix = `${namespace}.`;
  const view = (catalog: Record<string, string>): Record<MessageKey<N>, string> =>
    Object.fromEntries(Object.entries(catalog).filter(([id]) => id.startsWith(prefix)).map(([id, text]) => [id.slice(prefix.length), text])) as Record<MessageKey<N>, string>;
  return { en: view(en), de: view(de), fr: view(fr), es: view(es) };
}

/** Whether a message picks its words by a number or a choice (ICU plural/select): its text is not one piece of prose. */
export const isIcuChoice = (text: string): boolean => /\{\w+,\s*(?:plural|select|selectordinal)\s*,/.test(text);

/** The argument names of an ICU message, at any depth. */
function argumentsOf(text: string): string[] {
  const names = new Set<string>();
  const walk = (elements: ReturnType<IntlMessageFormat['getAst']>): void => {
    for (const e of elements) {
      if (e.type !== 0 && 'value' in e && typeof e.value === 'string') names.add(e.value);
      if ('options' in e) for (const option of Object.values(e.options)) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, 'en', undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

/**
 * Every language of a namespace has every key (the compiler checks that too), no empty message, the
 * arguments of English, and, formatted with `sample` params (default: every argument 1, 2 and 5),
 * text with every placeholder filled.
 */
export function assertCatalogComplete(namespace: Namespace, sample: MessageParams = {}): void {
  const messages = messagesOf(namespace);
  const keys = Object.keys(messages.en) as Array<MessageKey<typeof namespace>>;
  assert.ok(keys.length > 0, 'the English catalog defines keys');
  for (const locale of PAGE_LOCALES) {
    const catalog = messages[locale] as Record<string, string>;
    assert.deepEqual(Object.keys(catalog).sort(), [...keys].sort(), `${locale}: the same keys as English`);
    for (const key of keys) {
      const message = catalog[key] ?? '';
      const english = (messages.en as Record<string, string>)[key] ?? '';
      assert.ok(message.trim().length > 0, `${locale}.${key} is not empty`);
      const names = argumentsOf(message);
      assert.deepEqual(names, argumentsOf(english), `${locale}.${key} has the placeholders of English`);
      for (const n of [1, 2, 5]) {
        const params = Object.fromEntries(names.map((name) => [name, sample[name] ?? n]));
        const text = translate(locale, `${namespace}.${key}` as MessageId, params);
        assert.ok(text.trim().length > 0, `${locale}.${key}(${n}) is not empty`);
        assert.doesNotMatch(text, /\{\w+\}|undefined|NaN/, `${locale}.${key}(${n}) fills every placeholder`);
      }
    }
  }
}
