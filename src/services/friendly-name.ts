import { invalidParameter } from '../errors/verity-error.ts';

/**
 * Longest friendly name, in UTF-16 units as the API counts them. The hosted API documents 30 for
 * a service and 32 in places; Verity has accepted 32 for both parameters and keeps it.
 */
export const FRIENDLY_NAME_MAX_LENGTH = 32;

/**
 * At most this many digits in a name. Twilio accepts any; Verity accepts names such as "Acme 12345"
 * or "Studio 2024" but refuses 6 or more digits, however spaced: a name in front of "verification
 * code is" that carries a code-length number ("Acme 123456") or a phone number to call back is the
 * shape of a phishing text sent through a trusted sender.
 */
const FRIENDLY_NAME_MAX_DIGITS = 5;

/**
 * Characters that show nothing or break the line: controls, format characters (bidi overrides,
 * zero-width joiners), line and paragraph separators, every default-ignorable code point (U+034F,
 * variation selectors, Hangul fillers: invisible, and dropped from host names by URL parsers, so
 * `bit\u034F.ly` would be a link), and the blank braille pattern U+2800.
 */
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Why a name would be dangerous in a message, or undefined when it is fine.
 *
 * A friendly name is put into every SMS, email and call of its service (`Your Acme code is …`), in
 * front of a sender the user trusts, so it must not be able to carry a link, a phone number, a
 * second "code" or a line of its own. The checks run on the NFKC form of the name, so full-width or
 * stylised look-alikes (`ｗｗｗ．`, `①②③④`) are caught too:
 * - control, format and other invisible characters (`\p{C}`: newlines, tabs, bidi overrides,
 *   zero-width joiners), and line or paragraph separators;
 * - markup characters `< > { }` (templates and HTML);
 * - links: a scheme (`https://`, `javascript:`, `tel:`), `www.`, or anything shaped like a host
 *   name, a letter or digit, a dot and two letters with no space between (`bit.ly`,
 *   `evil.example/login`), so `St. John's` and `Acme Inc.` still pass;
 * - more than 5 digits in all, however they are spaced or punctuated (`1 2 3 4 5 6`, `12-34-56`).
 */
export function friendlyNameProblem(name: string, maxLength = FRIENDLY_NAME_MAX_LENGTH): string | undefined {
  if (name.length > maxLength) return `at most ${maxLength} characters`;
  if (INVISIBLE.test(name)) return 'must not contain line breaks, control or invisible characters';
  const text = name.normalize('NFKC');
  if (text.trim() === '') return 'must not be empty';
  if (/[<>{}]/.test(text)) return 'must not contain markup (< > { })';
  if (looksLikeLink(text)) return 'must not contain links or domain names';
  const digits = text.match(/\p{N}/gu)?.length ?? 0;
  if (digits > FRIENDLY_NAME_MAX_DIGITS) return `at most ${FRIENDLY_NAME_MAX_DIGITS} digits (a name must not carry a phone number or a code)`;
  return undefined;
}

/** A scheme, `www.`, or `host.tld` (the ideographic and full-width dots count as dots: NFKC keeps `。`); give it NFKC text. */
export function looksLikeLink(text: string): boolean {
  if (/[a-z][a-z0-9+.-]*:\/\//i.test(text)) return true;
  if (/(?:^|[^\p{L}\p{N}])(?:https?|ftp|mailto|tel|sms|javascript|data|file|intent|whatsapp|tg):(?=\S)/iu.test(text)) return true;
  if (/(?:^|[^\p{L}\p{N}])www\d*[.。]/iu.test(text)) return true;
  return /[\p{L}\p{N}][.。]\p{L}{2,}/u.test(text);
}

/**
 * The checked name of parameter `parameter` (`FriendlyName`, `CustomFriendlyName`), trimmed;
 * undefined when it was not given. Refused with 60200 naming the parameter.
 *
 * @example
 * friendlyName('FriendlyName', 'Café Müller');   // 'Café Müller'
 * friendlyName('CustomFriendlyName', 'bit.ly/x'); // throws 60200 "Invalid parameter: CustomFriendlyName (must not contain links or domain names)"
 */
export function friendlyName(parameter: string, value: string | undefined, maxLength = FRIENDLY_NAME_MAX_LENGTH): string | undefined {
  if (value === undefined) return undefined;
  const problem = friendlyNameProblem(value, maxLength);
  if (problem) throw invalidParameter(parameter, problem);
  return value.trim();
}
