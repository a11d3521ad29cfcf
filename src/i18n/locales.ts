/** The languages of the hosted pages; English is the fallback. */
export const PAGE_LOCALES = ['en', 'de', 'fr', 'es'] as const;
export type PageLocale = (typeof PAGE_LOCALES)[number];

/**
 * The languages of the verification message (SMS, email, the call that reads the code) and of the
 * call flows: Twilio Verify's own list, in its order (the API docs print it). A superset of PAGE_LOCALES.
 */
export const SUPPORTED_LOCALES = ['en', 'es', 'fr', 'de', 'pt', 'it', 'nl'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** Picks the best supported language for a BCP 47 tag (`pt-BR` → `pt`), falling back to English. */
export function resolveLocale(tag: string | null | undefined): Locale {
  const language = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as Locale) : 'en';
}
