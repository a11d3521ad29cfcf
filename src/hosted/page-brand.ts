import { PAGE_LOCALES, type PageLocale } from '../i18n/locales.ts';
import { translate } from '../i18n/translator.ts';
import { icon } from '../pages/icons.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import type { PageBrand } from '../handoff/page-brand-data.ts';

/**
 * The hosted pages' brand slots (issue 17; the brand itself, `PageBrand`, is domain data:
 * src/handoff/page-brand-data.ts). Every hosted page's layout holds two slots (constant comments, like the
 * form-token slot of handoff-flow.ts); they are filled as the page is sent, so no page renderer
 * needs the brand and a page stored with its session picks up nothing stale but the brand it began with.
 */
export type { PageBrand } from '../handoff/page-brand-data.ts';

/** In `<head>`: the brand's stylesheet link, after the pages' own. */
export const BRAND_HEAD_SLOT = '<!--verity:brand-head-->';
/** At the top of `<body>`: the application's name and logo. */
export const BRAND_HEADER_SLOT = '<!--verity:brand-header-->';

/** The stylesheet link of a brand (nothing without one). */
function brandHead(brand: PageBrand | undefined): SafeHtml {
  return brand?.stylesheet ? html`<link rel="stylesheet" href="${brand.stylesheet}">` : html``;
}

/** The logo's box in the bar: 32 px high, at most 4 times as wide (its own aspect). */
const LOGO_HEIGHT = 32;
function logoBox(size: PageBrand['logoSize']): { width: number; height: number } {
  if (!size) return { width: LOGO_HEIGHT, height: LOGO_HEIGHT };
  const width = Math.round((LOGO_HEIGHT * size.width) / size.height);
  return width > 4 * LOGO_HEIGHT ? { width: 4 * LOGO_HEIGHT, height: Math.max(1, Math.round((4 * LOGO_HEIGHT * size.height) / size.width)) } : { width: Math.max(1, width), height: LOGO_HEIGHT };
}

/**
 * The bar at the top of every page: the application's logo, its name and its help link, or Verity's
 * name without a brand. The name is written beside the logo, so the logo is decorative (alt="").
 */
function brandHeader(brand: PageBrand | undefined, locale: PageLocale = 'en'): SafeHtml {
  if (!brand) return html`<header class="brand-bar"><span class="brand-name">Verity</span></header>`;
  const box = logoBox(brand.logoSize);
  const logo = brand.logo ? html`<img class="brand-logo" src="${brand.logo}" alt="" width="${box.width}" height="${box.height}">` : '';
  const help = brand.supportUrl
    ? html`<a class="brand-support" href="${brand.supportUrl}" target="_blank" rel="noopener noreferrer">${icon('help')} <span>${translate(locale, 'brand.help')}</span></a>`
    : '';
  return html`<header class="brand-bar">${logo}<span class="brand-name">${brand.name}</span>${help}</header>`;
}

/** The page's language from its `<html lang>` (the layout writes it), for the bar's words. */
function pageLocale(page: string): PageLocale {
  const lang = /<html lang="([a-z]{2})"/.exec(page)?.[1];
  return PAGE_LOCALES.find((l) => l === lang) ?? 'en';
}

/** The page with both slots filled for `brand` (or for no brand). */
export function fillBrandSlots(page: string, brand: PageBrand | undefined, locale: PageLocale = pageLocale(page)): string {
  // Replacer functions: a string replacement would read `$&`, `$$`… in a client's name as patterns.
  const head = brandHead(brand).value;
  const header = brandHeader(brand, locale).value;
  return page.replace(BRAND_HEAD_SLOT, () => head).replace(BRAND_HEADER_SLOT, () => header);
}
