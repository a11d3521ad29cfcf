import type { Clock } from '../../crypto/clock.ts';
import { newSid } from '../../crypto/random.ts';
import { invalidParameter, notFound } from '../../errors/verity-error.ts';
import { friendlyName } from '../../services/friendly-name.ts';
import type { StoreSet } from '../../store/store-set.ts';
import type { TemplatesTable } from '../../store/schema.ts';
import { BUILT_IN_TEMPLATES } from './built-in-templates.ts';
import { templateTextProblem } from './template-text.ts';
import { TEMPLATE_CHANNELS, type TemplateChannel, type TemplateTranslation, type VerifyTemplate } from './verify-template.ts';

/** Templates one account may create: enough for every use and language mix, bounded for the list and the database. */
export const MAX_ACCOUNT_TEMPLATES = 100;
/** Translations in one template. */
const MAX_TRANSLATIONS = 50;
/** A language tag as template translations are keyed (`en`, `pt-BR`, `zh-HK`). */
const LOCALE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/;

type TemplatesDeps = { stores: Pick<StoreSet, 'templates'> };

function fromRow(row: TemplatesTable): VerifyTemplate {
  return {
    sid: row.sid,
    accountSid: row.account_sid,
    friendlyName: row.friendly_name,
    channels: JSON.parse(row.channels) as TemplateChannel[],
    translations: JSON.parse(row.translations) as Record<string, TemplateTranslation>,
    dateCreated: Number(row.date_created),
    dateUpdated: Number(row.date_updated),
  };
}

/** Every template the account can use: the built-in ones first, then its own, oldest first; optionally only those named exactly `name`. */
export async function listTemplates(deps: TemplatesDeps, accountSid: string, name?: string): Promise<VerifyTemplate[]> {
  const own = (await deps.stores.templates.listForAccount(accountSid)).map(fromRow);
  const all = [...BUILT_IN_TEMPLATES, ...own];
  return name === undefined ? all : all.filter((t) => t.friendlyName === name);
}

/** A built-in template or one of the account's; undefined for any other SID (another account's too). */
export async function findTemplate(deps: TemplatesDeps, accountSid: string, sid: string): Promise<VerifyTemplate | undefined> {
  const builtIn = BUILT_IN_TEMPLATES.find((t) => t.sid.toLowerCase() === sid.toLowerCase());
  if (builtIn) return builtIn;
  const row = /^HJ[0-9a-f]{32}$/i.test(sid) ? await deps.stores.templates.find(accountSid, `HJ${sid.slice(2).toLowerCase()}`) : undefined;
  return row ? fromRow(row) : undefined;
}

export interface NewTemplateInput {
  friendlyName: string | undefined;
  channels: string[] | undefined;
  /** Locale → text. */
  translations: Record<string, unknown> | undefined;
}

/**
 * Creates an account template (a Verity extension: Twilio creates custom templates through its
 * support). Every text must contain `{{code}}` and pass templateTextProblem; links only when the
 * operator allows them (`allowLinks`, VERITY_TEMPLATE_LINKS). 60200 names what is wrong.
 */
export async function createTemplate(deps: TemplatesDeps & { clock: Clock }, accountSid: string, input: NewTemplateInput, options: { allowLinks: boolean }): Promise<VerifyTemplate> {
  const name = friendlyName('FriendlyName', input.friendlyName);
  if (name === undefined) throw invalidParameter('FriendlyName', 'required');
  const channels = [...new Set(input.channels ?? ['sms'])];
  if (channels.length === 0 || !channels.every((c): c is TemplateChannel => (TEMPLATE_CHANNELS as readonly string[]).includes(c))) {
    throw invalidParameter('Channels', `expected a subset of ${TEMPLATE_CHANNELS.join(', ')}`);
  }
  const entries = Object.entries(input.translations ?? {});
  if (entries.length === 0) throw invalidParameter('Translations', 'at least one translation, e.g. {"en":"Your {{friendly_name}} code is {{code}}"}');
  if (entries.length > MAX_TRANSLATIONS) throw invalidParameter('Translations', `at most ${MAX_TRANSLATIONS} languages`);
  const now = deps.clock.now();
  const translations: Record<string, TemplateTranslation> = {};
  for (const [locale, text] of entries) {
    if (!LOCALE_TAG.test(locale)) throw invalidParameter('Translations', `${JSON.stringify(locale.slice(0, 16))} is not a language tag such as en or pt-BR`);
    if (typeof text !== 'string') throw invalidParameter('Translations', `the ${locale} text must be a string`);
    const problem = templateTextProblem(text, options);
    if (problem) throw invalidParameter('Translations', `${locale}: ${problem}`);
    translations[locale] = { text, dateCreated: now, dateUpdated: now };
  }
  const row: TemplatesTable = {
    sid: newSid('HJ'),
    account_sid: accountSid,
    friendly_name: name,
    channels: JSON.stringify(channels),
    translations: JSON.stringify(translations),
    date_created: now,
    date_updated: now,
  };
  if (!(await deps.stores.templates.insertCapped(row, MAX_ACCOUNT_TEMPLATES))) {
    throw invalidParameter('FriendlyName', `an account has at most ${MAX_ACCOUNT_TEMPLATES} templates; delete one first`);
  }
  return fromRow(row);
}

/** Deletes one of the account's templates; built-in ones cannot be deleted (20404, as any SID the account does not own). */
export async function deleteTemplate(deps: TemplatesDeps, accountSid: string, sid: string): Promise<void> {
  const deleted = /^HJ[0-9a-f]{32}$/i.test(sid) && (await deps.stores.templates.delete(accountSid, `HJ${sid.slice(2).toLowerCase()}`));
  if (!deleted) throw notFound(`/Templates/${sid}`);
}

/** The translation for `locale`: the exact tag, else its language, else English, else the first one. */
export function translationFor(template: VerifyTemplate, locale: string | null | undefined): { locale: string; text: string } {
  const entries = Object.entries(template.translations);
  const tag = (locale ?? '').toLowerCase().replace('_', '-');
  const language = tag.split('-')[0];
  const pick =
    entries.find(([l]) => l.toLowerCase() === tag) ??
    entries.find(([l]) => l.toLowerCase() === language) ??
    entries.find(([l]) => l.toLowerCase().split('-')[0] === language && language !== '') ??
    entries.find(([l]) => l === 'en') ??
    entries[0];
  if (!pick) throw new Error(`template ${template.sid} has no translation`);
  return { locale: pick[0], text: pick[1].text };
}
