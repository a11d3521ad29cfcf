import assert from 'node:assert/strict';
import { PAGE_LOCALES, type Messages } from '../../src/hosted/i18n.ts';

const placeholdersOf = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort();

/**
 * Every language of a catalog has every key (the compiler checks that too), no empty message, and, for
 * text messages, the same `{placeholders}` as English text; function messages (plurals) are called with
 * `sample` params (default: every number param 1 and 2) and must return text.
 */
export function assertCatalogComplete<K extends string>(messages: Messages<K>, sample: Record<string, string | number> = {}): void {
  const keys = Object.keys(messages.en) as K[];
  assert.ok(keys.length > 0, 'the English catalog defines keys');
  for (const locale of PAGE_LOCALES) {
    assert.deepEqual(Object.keys(messages[locale]).sort(), [...keys].sort(), `${locale}: the same keys as English`);
    for (const key of keys) {
      const message = messages[locale][key];
      const english = messages.en[key];
      if (typeof message === 'function') {
        for (const n of [1, 2, 5]) {
          const params = new Proxy({ ...sample }, { get: (target, name) => (typeof name === 'string' && name in target ? target[name] : n) });
          const text = message(params);
          assert.ok(text.trim().length > 0, `${locale}.${key}(${n}) is not empty`);
          assert.doesNotMatch(text, /\{\w+\}|undefined|NaN/, `${locale}.${key}(${n}) fills every placeholder`);
        }
        continue;
      }
      assert.ok(message.trim().length > 0, `${locale}.${key} is not empty`);
      // A language may need no plural function where English has one: then only its text is checked.
      if (typeof english === 'string') assert.deepEqual(placeholdersOf(message), placeholdersOf(english), `${locale}.${key} has the placeholders of English`);
    }
  }
}
