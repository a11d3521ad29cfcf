import { SUPPORTED_LOCALES, type Locale } from '../../i18n/locales.ts';
import { translate, type MessageKey } from '../../i18n/translator.ts';

/**
 * What the call flows say, per language: a view of the `voice` messages (src/i18n/messages, the one
 * catalog per language). `{name}`, `{amount}` and `{payee}` stay in the text for the flows to fill;
 * the code is never part of these strings.
 */
const PROMPT_KEYS = [
  'pressOneToRepeat',
  'enterCode',
  'wrongCode',
  'codeAccepted',
  'tooManyWrong',
  'noInput',
  'approvePayment',
  'approveSignIn',
  'pressOneToApprove',
  'enterNumberToApprove',
  'approved',
  'denied',
  'noLongerValid',
  'flashAnswered',
  'sayPassPhrase',
  'sayItAgain',
  'recordAgain',
  'voiceprintReady',
  'voiceMatched',
  'voiceNotMatched',
] as const satisfies ReadonlyArray<MessageKey<'voice'>>;

type CallPrompts = Record<(typeof PROMPT_KEYS)[number], string>;

/** The code's read-out, shared with the call channel's text (the `verification` messages). */
const CODE_KEYS = ['voiceIntro', 'voiceCode', 'voiceRepeat', 'voiceGoodbye'] as const satisfies ReadonlyArray<MessageKey<'verification'>>;

type CodePrompts = Record<(typeof CODE_KEYS)[number], string>;

function perLocale<K extends string>(namespace: 'voice' | 'verification', keys: readonly K[]): Record<Locale, Record<K, string>> {
  return Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => [locale, Object.fromEntries(keys.map((key) => [key, translate(locale, `${namespace}.${key}` as Parameters<typeof translate>[1])]))]),
  ) as Record<Locale, Record<K, string>>;
}

export const CALL_PROMPTS: Record<Locale, CallPrompts> = perLocale('voice', PROMPT_KEYS);
export const CODE_PROMPTS: Record<Locale, CodePrompts> = perLocale('verification', CODE_KEYS);
