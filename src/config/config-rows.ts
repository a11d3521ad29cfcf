import type { z } from 'zod';

/** One environment variable: its schema (with its default) and what it is for (docs/configuration.md). */
export interface ConfigRow {
  readonly schema: z.ZodType;
  readonly doc: string;
}

/** The channels a provider is selected for: VERITY_SMS_PROVIDER, VERITY_VOICE_PROVIDER, VERITY_EMAIL_PROVIDER, VERITY_WHATSAPP_PROVIDER. */
export type ProviderSelector = 'sms' | 'voice' | 'email' | 'whatsapp';

/**
 * A provider's setting: a row plus when it must be given. `required` means: when its provider is
 * selected (by any of `by`, default by any selector), and `whenAlsoGiven` is set if named.
 */
interface SettingRow extends ConfigRow {
  readonly required?: {
    readonly by?: readonly ProviderSelector[];
    readonly whenAlsoGiven?: string;
    /** The problem reported without it (default: `required by the <name> provider`). */
    readonly because?: string;
  };
}

export type SettingRows = Readonly<Record<string, SettingRow>>;

/**
 * What loadConfig needs to know of a delivery provider. The providers are plug-ins above this
 * layer (src/providers/registry.ts turns each into one of these); config never imports them.
 */
export interface ProviderOption {
  /** The VERITY_*_PROVIDER value that selects it. */
  readonly name: string;
  /** The selectors that may name it. */
  readonly selectableBy: readonly ProviderSelector[];
  /** Shows codes: refused when NODE_ENV=production. */
  readonly developmentOnly: boolean;
  /** Selected for every channel when none is named outside production (the simulator). */
  readonly developmentDefault: boolean;
  /** As the voice provider, the flash-call caller-id range used when VERITY_FLASHCALL_CALLER_IDS is not set. */
  readonly flashCallRange?: string;
  /** Its own variables (`VERITY_<NAME>_*`), listed in docs/configuration.md with the shared ones. */
  readonly settings: SettingRows;
  /** The channels it delivers (`sms`, `call`, `email`, `whatsapp`): what a messaging route may send through it. */
  readonly channels?: readonly string[];
}

/** The parsed values of `rows`, as loadConfig read them. */
export type SettingValues<Rows extends SettingRows> = { readonly [K in keyof Rows]: z.output<Rows[K]['schema']> };
