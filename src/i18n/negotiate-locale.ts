import { PAGE_LOCALES, type PageLocale } from './locales.ts';

const isPageLocale = (tag: string): tag is PageLocale => (PAGE_LOCALES as readonly string[]).includes(tag);

/** `de-CH` → `de`: the pages are translated per language, not per region. */
const languageOf = (tag: string): string => tag.trim().toLowerCase().split('-')[0] ?? '';

/**
 * The page language: the application's `ui_locales` claim (OIDC Core §3.1.2.1: space-separated, in
 * order of preference), then the browser's Accept-Language (RFC 9110 §12.5.4, by weight), then English.
 *
 * Hand-written rather than @fastify/accept-negotiator: that library matches whole tags exactly and
 * case-sensitively (`de-CH` would not reach `de`), breaks ties by the server's order instead of the
 * browser's (`fr, de` would give German), and maps `*` to the first supported language; the pages'
 * rules (language of a regional tag, the browser's order among equal weights, `*` ignored) predate it.
 */
export function negotiateLocale(uiLocales: readonly string[] | undefined, acceptLanguage: string | undefined): PageLocale {
  for (const tag of uiLocales ?? []) {
    const language = languageOf(tag);
    if (isPageLocale(language)) return language;
  }
  const ranked = (acceptLanguage ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...attributes] = part.split(';');
      const q = attributes.map((a) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(a)?.[1]).find((v) => v !== undefined);
      return { language: languageOf(tag), weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isPageLocale) ?? 'en';
}
