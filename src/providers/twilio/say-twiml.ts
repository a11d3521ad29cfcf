/** Locales Twilio's <Say> accepts as given. */
const SAY_LOCALES = new Set([
  'ca-ES', 'da-DK', 'de-DE', 'en-AU', 'en-CA', 'en-GB', 'en-IN', 'en-US', 'es-ES', 'es-MX', 'fi-FI', 'fr-CA', 'fr-FR',
  'it-IT', 'ja-JP', 'ko-KR', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR', 'pt-PT', 'ru-RU', 'sv-SE', 'zh-CN', 'zh-HK', 'zh-TW',
  // Google voices on <Say> for the rest of Verify's locale list (src/i18n/locales.ts).
  'af-ZA', 'ar-XA', 'cs-CZ', 'el-GR', 'et-EE', 'fil-PH', 'he-IL', 'hi-IN', 'hu-HU', 'id-ID', 'kn-IN', 'lt-LT', 'mr-IN', 'ms-MY', 'ro-RO',
  'sk-SK', 'te-IN', 'th-TH', 'tr-TR', 'uk-UA', 'vi-VN',
]);

/** The voice for a bare language (or a region Twilio has no voice for). */
const SAY_LANGUAGE_DEFAULTS: Record<string, string> = {
  ca: 'ca-ES', da: 'da-DK', de: 'de-DE', en: 'en-US', es: 'es-ES', fi: 'fi-FI', fr: 'fr-FR', it: 'it-IT', ja: 'ja-JP',
  ko: 'ko-KR', nb: 'nb-NO', no: 'nb-NO', nl: 'nl-NL', pl: 'pl-PL', pt: 'pt-PT', ru: 'ru-RU', sv: 'sv-SE', zh: 'zh-CN',
  af: 'af-ZA', ar: 'ar-XA', cs: 'cs-CZ', el: 'el-GR', et: 'et-EE', he: 'he-IL', hi: 'hi-IN', hu: 'hu-HU', id: 'id-ID', kn: 'kn-IN',
  lt: 'lt-LT', mr: 'mr-IN', ms: 'ms-MY', ro: 'ro-RO', sk: 'sk-SK', te: 'te-IN', th: 'th-TH', tl: 'fil-PH', fil: 'fil-PH', tr: 'tr-TR',
  uk: 'uk-UA', vi: 'vi-VN',
};

const FALLBACK_LANGUAGE = 'en-US';

/** Maps a BCP 47 locale to the `language` of Twilio's <Say>, e.g. `pt` → `pt-BR`, `en-GB` → `en-GB`. */
export function sayLanguage(locale: string): string {
  const [first = '', ...rest] = locale.trim().replace(/_/g, '-').split('-');
  const lang = first.toLowerCase();
  // Skip a script subtag (zh-Hant-TW): the region is the first two-letter subtag.
  const region = rest.find((part) => /^[A-Za-z]{2}$/.test(part));
  if (region !== undefined) {
    const exact = `${lang}-${region.toUpperCase()}`;
    if (SAY_LOCALES.has(exact)) return exact;
  }
  return SAY_LANGUAGE_DEFAULTS[lang] ?? FALLBACK_LANGUAGE;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  // Control characters are not allowed in XML 1.0 at all, so they are dropped rather than escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** TwiML that speaks `text` once (the text itself already repeats the code). */
export function sayTwiml(text: string, locale: string): string {
  return `<Response><Say language="${sayLanguage(locale)}">${escapeXml(text)}</Say></Response>`;
}
