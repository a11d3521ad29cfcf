import { looksLikeLink } from '../../services/friendly-name.ts';

/**
 * The text of a Verify Template, as Twilio writes them: `{{variable}}` placeholders, e.g.
 * `Your {{friendly_name}} login link: https://example.com/verify?uuid={{uuid}}&code={{code}}`.
 * Verity fills its own variables (below); every other name is a custom variable the verification
 * must give in `TemplateCustomSubstitutions` (60224 when one is missing).
 */

/** Variables Verity fills itself; `code` is the only one a template must contain. */
export const BUILT_IN_VARIABLES = ['code', 'friendly_name', 'ttl_minutes', 'amount', 'payee'] as const;
type BuiltInVariable = (typeof BUILT_IN_VARIABLES)[number];

/** Longest template text, in UTF-16 units: two concatenated GSM-7 SMS segments (153 × 2) and a margin. */
export const TEMPLATE_TEXT_MAX_LENGTH = 320;
/** Longest value of a custom variable: room for an id or a name, not for a paragraph. */
export const SUBSTITUTION_MAX_LENGTH = 64;
/** At most this many custom variables in one template. */
export const MAX_CUSTOM_VARIABLES = 5;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,31})\s*\}\}/g;
/**
 * What shows nothing or breaks the line, as a friendly name's rule has it (src/services/friendly-name.ts):
 * controls, format characters (bidi overrides, zero-width), private-use, unassigned code points and lone
 * surrogates (`\p{C}`), line and paragraph separators, every default-ignorable code point (U+034F,
 * variation selectors, Hangul fillers: invisible, and dropped from host names by URL parsers, so
 * `bit\u034F.ly` would be a link) and the blank braille pattern U+2800.
 */
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;
/** Line breaks are text in a message (the hosted default has none, custom texts may); nothing else of {@link INVISIBLE} is. */
const CONTROL_EXCEPT_NEWLINE = /(?!\n)[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** The variable names a text uses, in order of first use. */
export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** The custom variables of a text: those Verity does not fill itself. */
export function customVariables(text: string): string[] {
  return templateVariables(text).filter((name) => !(BUILT_IN_VARIABLES as readonly string[]).includes(name));
}

/**
 * Why `text` cannot be a template's (or a CustomMessage's) text, or undefined. It must contain
 * `{{code}}`, use well-formed placeholders only (a stray `{{` or `}}` would reach the user as is),
 * carry no control or invisible characters except line breaks, name at most
 * {@link MAX_CUSTOM_VARIABLES} custom variables, and no links unless the operator allows them
 * (VERITY_TEMPLATE_LINKS): a code message with a link is the shape of phishing.
 */
export function templateTextProblem(text: string, options: { allowLinks: boolean }): string | undefined {
  if (text.trim() === '') return 'must not be empty';
  if (text.length > TEMPLATE_TEXT_MAX_LENGTH) return `at most ${TEMPLATE_TEXT_MAX_LENGTH} characters`;
  if (CONTROL_EXCEPT_NEWLINE.test(text)) return 'must not contain control or invisible characters';
  const withoutPlaceholders = text.replace(PLACEHOLDER, '');
  if (/\{\{|\}\}/.test(withoutPlaceholders)) return 'placeholders are written {{name}} (letters, digits and _)';
  if (!templateVariables(text).includes('code')) return 'must contain the {{code}} placeholder';
  if (customVariables(text).length > MAX_CUSTOM_VARIABLES) return `at most ${MAX_CUSTOM_VARIABLES} custom variables`;
  if (/[<>]/.test(withoutPlaceholders)) return 'must not contain markup (< >)';
  if (!options.allowLinks && looksLikeLink(withoutPlaceholders.normalize('NFKC'))) return 'must not contain links or domain names (VERITY_TEMPLATE_LINKS)';
  return undefined;
}

/**
 * Why a custom variable's value cannot be put into a message, or undefined: it is text of the
 * application's user (a name, an id), so it may carry no link (the template decides where links
 * go), no markup, no line break or control character, and at most {@link SUBSTITUTION_MAX_LENGTH} characters.
 */
export function substitutionProblem(value: string): string | undefined {
  if (value.length > SUBSTITUTION_MAX_LENGTH) return `at most ${SUBSTITUTION_MAX_LENGTH} characters`;
  if (INVISIBLE.test(value)) return 'must not contain line breaks, control or invisible characters';
  if (/[<>{}]/.test(value)) return 'must not contain markup (< > { })';
  if (looksLikeLink(value.normalize('NFKC'))) return 'must not contain links or domain names';
  return undefined;
}

export type TemplateValues = Readonly<Partial<Record<BuiltInVariable, string>>> & Readonly<Record<string, string | undefined>>;

/** The variables of `text` a verification must still give (custom variables without a value). */
export function missingVariables(text: string, values: TemplateValues): string[] {
  return customVariables(text).filter((name) => valueOf(values, name) === undefined);
}

/** `text` with every placeholder filled (one pass: a value is never read as a placeholder). Unknown names become empty. */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (_, name: string) => valueOf(values, name) ?? '');
}

/** The value of `name` given in `values`, never one inherited from Object.prototype (`{{constructor}}`, `{{__proto__}}`). */
function valueOf(values: TemplateValues, name: string): string | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}
