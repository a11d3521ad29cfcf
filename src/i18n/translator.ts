import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from './locales.ts';
import { CATALOGS } from './messages/catalogs.ts';
import { en } from './messages/en.ts';
import type { MessageId, MessageKey, Namespace } from './messages/catalog-types.ts';

export type { MessageId, MessageKey, Namespace } from './messages/catalog-types.ts';

/** The values of a message's `{placeholders}`. */
export type MessageParams = Record<string, string | number>;

/** The locale a regional variant borrows its missing texts from (`en-GB` → `en`); none for a language. */
function baseLocale(locale: Locale): Locale | undefined {
  const language = locale.split('-')[0] as Locale;
  return language === locale ? undefined : language;
}

/** The text of `id` in `locale` and the locale it is written in: the locale's own, its language's (en-GB → en), else English. */
function lookUp(locale: Locale, id: MessageId): { text: string; locale: Locale } {
  const own = CATALOGS[locale][id];
  if (own !== undefined) return { text: own, locale };
  const base = baseLocale(locale);
  const inherited = base === undefined ? undefined : CATALOGS[base][id];
  if (base !== undefined && inherited !== undefined) return { text: inherited, locale: base };
  return { text: en[id], locale: 'en' };
}

interface Compiled {
  format: IntlMessageFormat;
  /** The names of the message's arguments, to keep an unfilled `{name}` as text (as before ICU). */
  names: readonly string[];
}

/** Argument names in an ICU message's AST (arguments, plurals, selects, at any depth). */
function argumentNames(elements: ReturnType<IntlMessageFormat['getAst']>, into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if ('value' in element && element.type !== 0 /* literal */ && typeof element.value === 'string') into.add(element.value);
    if ('options' in element) for (const option of Object.values(element.options)) argumentNames(option.value, into);
    if ('children' in element) argumentNames(element.children, into);
  }
  return into;
}

/** Compiled messages, by language and id: a fixed set (the catalogs), so a plain map is bounded. */
const compiled = new Map<string, Compiled>();

function compile(locale: Locale, id: MessageId): Compiled {
  const cacheKey = `${locale} ${id}`;
  const cached = compiled.get(cacheKey);
  if (cached) return cached;
  const found = lookUp(locale, id);
  // Tags are text here (`< > { }` appear in messages; pages escape the result), never markup.
  const format = new IntlMessageFormat(found.text, found.locale, undefined, { ignoreTag: true });
  const entry = { format, names: [...argumentNames(format.getAst())] };
  compiled.set(cacheKey, entry);
  return entry;
}

/** The values with every argument the message names: one not given stays `{name}` in the text. */
function complete<V>(entry: Compiled, values: Record<string, V>): Record<string, V | string> {
  const missing = entry.names.filter((name) => !(name in values));
  return missing.length === 0 ? values : { ...values, ...Object.fromEntries(missing.map((name) => [name, `{${name}}`])) };
}

/** A message in `locale` (English when the language has none), its placeholders filled with plain text: pages escape the result. */
export function translate(locale: Locale | undefined, id: MessageId, params: MessageParams = {}): string {
  const entry = compile(locale ?? 'en', id);
  return String(entry.format.format(complete(entry, params)));
}

/**
 * The message as parts, some values kept as they are (not stringified): a page passes markup for a
 * placeholder (`{phone}` → a `<span>`) and escapes only the text around it.
 */
export function translateParts<T extends object>(locale: Locale | undefined, id: MessageId, values: Record<string, string | number | T>): Array<string | T> {
  const entry = compile(locale ?? 'en', id);
  const result = entry.format.format<T>(complete(entry, values));
  return Array.isArray(result) ? (result as Array<string | T>) : [result as string | T];
}

/** A translator for one language: `t(key, params)`, and `t.parts(key, values)` for markup in placeholders. */
export interface Translate<K extends string> {
  (key: K, params?: MessageParams): string;
  parts<T extends object>(key: K, values: Record<string, string | number | T>): Array<string | T>;
  /** A day as people of this language write it (`Dec 7, 2026`, `07.12.2026`), in UTC. */
  day(ms: number): string;
}

/** Medium-length UTC dates, one formatter per language (a fixed set, so a plain map is bounded). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function formatDay(locale: Locale, ms: number): string {
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    dayFormats.set(locale, format);
  }
  return format.format(ms);
}

/** The translator of a language, over full ids (`t('call.codeTitle')`) or, given a namespace, its keys (`t('codeTitle')`). */
export function translator(locale: Locale | undefined): Translate<MessageId>;
export function translator<N extends Namespace>(locale: Locale | undefined, namespace: N): Translate<MessageKey<N>>;
export function translator(locale: Locale | undefined, namespace?: Namespace): Translate<string> {
  const idOf = (key: string): MessageId => (namespace === undefined ? key : `${namespace}.${key}`) as MessageId;
  const t = (key: string, params?: MessageParams): string => translate(locale, idOf(key), params);
  return Object.assign(t, {
    parts: <T extends object>(key: string, values: Record<string, string | number | T>) => translateParts(locale, idOf(key), values),
    day: (ms: number) => formatDay(locale ?? 'en', ms),
  });
}

/** Whether `key` is a message of `namespace` (for keys that travel as data, such as a refusal's reason). */
export function hasMessage<N extends Namespace>(namespace: N, key: string): key is MessageKey<N> {
  return Object.hasOwn(en, `${namespace}.${key}`);
}

/**
 * The values of a "try again in …" message: seconds below two minutes, whole minutes (rounded up)
 * from two minutes on; the message picks by `unit`.
 */
export const waitParams = (seconds: number): { unit: 'minutes' | 'seconds'; minutes: number; seconds: number } => ({
  unit: seconds >= 120 ? 'minutes' : 'seconds',
  minutes: Math.ceil(seconds / 60),
  seconds,
});
