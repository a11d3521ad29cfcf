/** The languages of the hosted pages; English is the fallback. */
export const PAGE_LOCALES = ['en', 'de', 'fr', 'es'] as const;
export type PageLocale = (typeof PAGE_LOCALES)[number];

/**
 * The languages of the verification message (SMS, email, WhatsApp, the call that reads the code)
 * and of the call flows: Twilio Verify's list, in its order (twilio.com/docs/verify/supported-languages
 * and the Authy list it shares; the `Locale` of Create Verification). A superset of PAGE_LOCALES.
 * Tags are written as Twilio writes them (`pt-BR`, `zh-HK`); matching ignores case.
 */
export const SUPPORTED_LOCALES = [
  'af', 'ar', 'ca', 'zh', 'zh-CN', 'zh-HK', 'hr', 'cs', 'da', 'nl', 'en', 'en-GB', 'et', 'fi', 'fr', 'de', 'el', 'he', 'hi', 'hu', 'id',
  'it', 'ja', 'kn', 'ko', 'lt', 'ms', 'mr', 'nb', 'pl', 'pt-BR', 'pt', 'ro', 'ru', 'sk', 'es', 'sv', 'tl', 'te', 'th', 'tr', 'uk', 'vi',
] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const BY_LOWER_CASE: ReadonlyMap<string, Locale> = new Map(SUPPORTED_LOCALES.map((locale) => [locale.toLowerCase(), locale]));

/**
 * Languages Twilio's list names by another code: the macrolanguage and Nynorsk read Bokmål,
 * Filipino is Tagalog's standard form, `iw`/`in` are the withdrawn ISO 639 codes of Hebrew and
 * Indonesian, and the spoken Chinese languages read their written standard.
 */
const LANGUAGE_ALIASES: Readonly<Record<string, Locale>> = { no: 'nb', nn: 'nb', fil: 'tl', iw: 'he', in: 'id', cmn: 'zh', yue: 'zh-HK' };

/** Chinese written in Traditional characters (Taiwan, Macau, `Hant`): the Hong Kong catalog, not Simplified. */
const TRADITIONAL_CHINESE_REGIONS = new Set(['tw', 'mo', 'hk']);

/**
 * The locale of Twilio's list for a BCP 47 tag, as Twilio resolves an override: the exact tag
 * (`pt-br`, `zh_CN`: case and `_` do not matter), then its language (`pt-PT` → `pt`, `es-419` → `es`),
 * then English, which Twilio falls back to when it has no translation. Verity adds one step Twilio's
 * list has no entry for: Traditional Chinese tags (`zh-TW`, `zh-Hant`) read `zh-HK` rather than
 * Simplified `zh`.
 */
export function resolveLocale(tag: string | null | undefined): Locale {
  const [language = '', ...rest] = (tag ?? '').trim().toLowerCase().replaceAll('_', '-').split('-');
  const region = rest.find((subtag) => /^([a-z]{2}|\d{3})$/.test(subtag));
  if (region !== undefined) {
    const exact = BY_LOWER_CASE.get(`${language}-${region}`);
    if (exact !== undefined) return exact;
  }
  if (language === 'zh' && (rest.includes('hant') || (region !== undefined && TRADITIONAL_CHINESE_REGIONS.has(region)))) return 'zh-HK';
  return BY_LOWER_CASE.get(language) ?? LANGUAGE_ALIASES[language] ?? 'en';
}

/** Whether a tag's language is one Verity speaks (directly or by an alias such as `no` or `fil`), so it is not silently English. */
export function speaksLanguageOf(tag: string): boolean {
  const language = tag.trim().toLowerCase().replaceAll('_', '-').split('-')[0] ?? '';
  return BY_LOWER_CASE.has(language) || Object.hasOwn(LANGUAGE_ALIASES, language);
}
