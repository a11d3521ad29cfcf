import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html } from '../pages/html.ts';
import { layout, textDirection } from './handoff-pages.ts';
import { BRAND_HEAD_SLOT, BRAND_HEADER_SLOT } from './page-brand.ts';

describe('hosted layout', () => {
  it('is right-to-left for a right-to-left language', () => {
    const page = layout('כותרת', html`<h1>שלום</h1>`, undefined, 'he');
    assert.match(page, /<html lang="he" dir="rtl">/);
    assert.equal(textDirection('ar-EG'), 'rtl');
    assert.equal(textDirection('fa_IR'), 'rtl');
    assert.equal(textDirection('ur'), 'rtl');
  });

  it('is left-to-right (no dir) for the page locales', () => {
    for (const lang of ['en', 'de', 'fr', 'es'] as const) {
      assert.match(layout('T', html`<h1>T</h1>`, undefined, lang), new RegExp(`<html lang="${lang}">`));
      assert.equal(textDirection(lang), 'ltr');
    }
  });

  it('holds the brand slots: the head slot after the stylesheets, the header slot first in body', () => {
    const page = layout('T', html`<h1>T</h1>`);
    assert.ok(page.indexOf(BRAND_HEAD_SLOT) > page.indexOf('/handoff/assets/handoff-hub.css'), 'after the pages’ stylesheets');
    assert.ok(page.indexOf(BRAND_HEAD_SLOT) < page.indexOf('</head>'), 'in the head');
    assert.match(page, new RegExp(`<body>\\n${BRAND_HEADER_SLOT}\\n<main>`));
    assert.match(page, /<\/main>\n<footer>Secured by Verity<\/footer>/);
  });
});
