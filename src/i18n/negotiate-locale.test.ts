import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiateLocale } from './negotiate-locale.ts';

describe('hosted page languages', () => {
  it('prefers the application\'s ui_locales, in order, by language', () => {
    assert.equal(negotiateLocale(['ja', 'de-CH', 'fr'], 'es'), 'de');
    assert.equal(negotiateLocale(['FR-ca'], undefined), 'fr');
    assert.equal(negotiateLocale(['ja'], 'es-MX,es;q=0.9'), 'es');
  });

  it('reads Accept-Language by weight and order, ignores q=0 and junk, and falls back to English', () => {
    assert.equal(negotiateLocale(undefined, 'ja;q=1, de;q=0.5, fr;q=0.8'), 'fr');
    assert.equal(negotiateLocale(undefined, 'de, fr'), 'de');
    assert.equal(negotiateLocale(undefined, 'fr, de'), 'fr');
    assert.equal(negotiateLocale(undefined, 'de;q=0, es;q=0.1'), 'es');
    assert.equal(negotiateLocale(undefined, '*'), 'en');
    assert.equal(negotiateLocale(undefined, ';;;q=abc,,'), 'en');
    assert.equal(negotiateLocale(undefined, undefined), 'en');
    assert.equal(negotiateLocale([], 'pt-BR'), 'en');
  });
});
