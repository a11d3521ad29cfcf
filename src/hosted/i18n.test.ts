import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiateLocale, translate, type Messages } from './i18n.ts';

describe('hosted page languages', () => {
  it('prefers the application\'s ui_locales, in order, by language', () => {
    assert.equal(negotiateLocale(['ja', 'de-CH', 'fr'], 'es'), 'de');
    assert.equal(negotiateLocale(['FR-ca'], undefined), 'fr');
    assert.equal(negotiateLocale(['ja'], 'es-MX,es;q=0.9'), 'es');
  });

  it('reads Accept-Language by weight and order, ignores q=0 and junk, and falls back to English', () => {
    assert.equal(negotiateLocale(undefined, 'ja;q=1, de;q=0.5, fr;q=0.8'), 'fr');
    assert.equal(negotiateLocale(undefined, 'de, fr'), 'de');
    assert.equal(negotiateLocale(undefined, 'de;q=0, es;q=0.1'), 'es');
    assert.equal(negotiateLocale(undefined, '*'), 'en');
    assert.equal(negotiateLocale(undefined, ';;;q=abc,,'), 'en');
    assert.equal(negotiateLocale(undefined, undefined), 'en');
    assert.equal(negotiateLocale([], 'pt-BR'), 'en');
  });

  it('fills placeholders, leaves unknown ones, and runs plural functions', () => {
    const messages: Messages<'left' | 'hello'> = {
      en: { hello: 'Hello, {name}. {unknown}', left: ({ count }) => `${count} attempt${count === 1 ? '' : 's'} left` },
      de: { hello: 'Hallo, {name}.', left: ({ count }) => `noch ${count} ${count === 1 ? 'Versuch' : 'Versuche'}` },
      fr: { hello: 'Bonjour, {name}.', left: ({ count }) => `${count} essai${Number(count) > 1 ? 's' : ''} restant${Number(count) > 1 ? 's' : ''}` },
      es: { hello: 'Hola, {name}.', left: ({ count }) => `${count} ${count === 1 ? 'intento' : 'intentos'}` },
    };
    assert.equal(translate(messages, 'en', 'hello', { name: 'Ada' }), 'Hello, Ada. {unknown}');
    assert.equal(translate(messages, undefined, 'left', { count: 1 }), '1 attempt left');
    assert.equal(translate(messages, 'de', 'left', { count: 2 }), 'noch 2 Versuche');
    assert.equal(translate(messages, 'fr', 'left', { count: 3 }), '3 essais restants');
  });
});
