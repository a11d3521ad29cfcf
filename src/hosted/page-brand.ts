import { html, type SafeHtml } from '../pages/html.ts';

/**
 * What a hosted page shows of the application that sent the user there: its hand-off client's
 * branding (issue 17). Every hosted page's layout holds two slots (constant comments, like the
 * form-token slot of handoff-flow.ts); they are filled as the page is sent, so no page renderer
 * needs the brand and a page stored with its session picks up nothing stale but the brand it began with.
 */
export interface PageBrand {
  clientSid: string;
  /** The application's name as its users know it. */
  name: string;
  /** This server's path of the client's stylesheet (its colours as CSS custom properties), versioned. */
  stylesheet?: string | undefined;
  /** This server's path of the client's logo, versioned (img-src 'self': never another origin). */
  logo?: string | undefined;
  /** Where the application's users get help (an https URL). */
  supportUrl?: string | undefined;
}

/** In `<head>`: the brand's stylesheet link, after the pages' own. */
export const BRAND_HEAD_SLOT = '<!--verity:brand-head-->';
/** At the top of `<body>`: the application's name and logo. */
export const BRAND_HEADER_SLOT = '<!--verity:brand-header-->';

/** The stylesheet link of a brand (nothing without one). */
function brandHead(brand: PageBrand | undefined): SafeHtml {
  return brand?.stylesheet ? html`<link rel="stylesheet" href="${brand.stylesheet}">` : html``;
}

/** The bar at the top of every page: the application's logo and name, or Verity's name without a brand. */
export function brandHeader(brand: PageBrand | undefined): SafeHtml {
  if (!brand) return html`<header class="brand-bar"><span class="brand-name">Verity</span></header>`;
  const logo = brand.logo ? html`<img class="brand-logo" src="${brand.logo}" alt="" width="32" height="32">` : '';
  return html`<header class="brand-bar">${logo}<span class="brand-name">${brand.name}</span></header>`;
}

/** The page with both slots filled for `brand` (or for no brand). */
export function fillBrandSlots(page: string, brand: PageBrand | undefined): string {
  return page.replace(BRAND_HEAD_SLOT, brandHead(brand).value).replace(BRAND_HEADER_SLOT, brandHeader(brand).value);
}
