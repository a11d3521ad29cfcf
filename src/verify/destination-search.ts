import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parsePhone } from '../messaging/phone-numbers.ts';

/** What a number typed into a search may hold: digits, a leading +, and the usual separators. */
const PHONE_LIKE = /^\+?[0-9 ().\-/]{3,40}$/;

/**
 * The text to match stored destinations against (exactly or as their start), from what an operator
 * typed into a console search. Destinations are stored as the API normalises `To` (destination.ts):
 * phone numbers in E.164, e-mail addresses in lower case. So a search is normalised the same way:
 * `+1 415 555 0123` and `+1 (415) 555-0123` become `+14155550123`; `004915…` (the international
 * call prefix) becomes `+4915…`; a number without a country code (`(415) 555-0123`) is read as the
 * API reads it (a `+` put in front) and, when that is no valid number, as a national number of
 * `regions` (default: US). An incomplete number keeps its digits (`+1 415` → `+1415`), so it still
 * finds every number that starts with it. Anything else (a name, `name@`) is only trimmed and, being
 * part of an e-mail address, lower-cased.
 */
export function destinationSearch(text: string, regions: readonly string[] = ['US']): string {
  const value = text.trim();
  if (!PHONE_LIKE.test(value) || !/[0-9]/.test(value)) return value.toLowerCase();
  const digits = value.replace(/\D/g, '');
  const international = value.startsWith('+') ? digits : digits.startsWith('00') ? digits.slice(2) : undefined;
  const asApi = parsePhone(`+${international ?? digits}`);
  if (asApi?.isValid()) return asApi.number;
  if (international === undefined) {
    for (const region of regions) {
      const national = parsePhoneNumberFromString(value, region as Parameters<typeof parsePhoneNumberFromString>[1]);
      if (national?.isValid()) return national.number;
    }
  }
  return `+${international ?? digits}`;
}
