/** The languages of the hosted pages; English is the fallback. */
export const PAGE_LOCALES = ['en', 'de', 'fr', 'es'] as const;
export type PageLocale = (typeof PAGE_LOCALES)[number];

export type MessageParams = Record<string, string | number>;
/** A message: text with `{name}` placeholders, or a function for plurals and other grammar. */
export type Message = string | ((params: MessageParams) => string);
/**
 * A module's messages. English defines the keys; the compiler checks that every other language has
 * every one of them, so a page is never half translated.
 */
export type Messages<K extends string> = Record<PageLocale, Record<K, Message>>;

const isPageLocale = (tag: string): tag is PageLocale => (PAGE_LOCALES as readonly string[]).includes(tag);

/** `de-CH` → `de`: the pages are translated per language, not per region. */
const languageOf = (tag: string): string => tag.trim().toLowerCase().split('-')[0] ?? '';

/**
 * The page language: the application's `ui_locales` claim (OIDC Core §3.1.2.1: space-separated, in
 * order of preference), then the browser's Accept-Language (RFC 9110 §12.5.4, by weight), then English.
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

/** The message `key` in `locale` (English when none), placeholders filled with plain text: pages escape the result. */
export function translate<K extends string>(messages: Messages<K>, locale: PageLocale | undefined, key: K, params: MessageParams = {}): string {
  const message = messages[locale ?? 'en'][key];
  if (typeof message === 'function') return message(params);
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translator bound to one module's messages and one language. */
export function translator<K extends string>(messages: Messages<K>, locale: PageLocale | undefined): (key: K, params?: MessageParams) => string {
  return (key, params) => translate(messages, locale, key, params);
}
