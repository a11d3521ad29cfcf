import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';

/** A Meta language code as templates are approved in: `en`, `en_US`, `pt_BR`, `zh_CN`. */
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** The WhatsApp Cloud API's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const WHATSAPP_SETTINGS = {
  VERITY_WHATSAPP_ACCESS_TOKEN: {
    schema: z.string().min(16).optional(),
    doc: 'WhatsApp Cloud API: the access token (a system user\'s permanent token with `whatsapp_business_messaging`), sent as `Authorization: Bearer`.',
    required: {},
  },
  VERITY_WHATSAPP_PHONE_NUMBER_ID: {
    schema: z.string().regex(/^[0-9]{5,20}$/, 'must be the numeric phone number ID from WhatsApp Manager (not the phone number)').optional(),
    doc: 'WhatsApp Cloud API: the business phone number ID that sends the codes (`POST /<version>/<phone-number-id>/messages`).',
    required: {},
  },
  VERITY_WHATSAPP_TEMPLATE: {
    schema: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name: lower-case letters, digits and underscores').optional(),
    doc: 'WhatsApp Cloud API: the name of your approved **authentication** template with a copy-code button (category `AUTHENTICATION`, `otp_type: copy_code`); the code is its body parameter and its button\'s URL parameter.',
    required: {},
  },
  VERITY_WHATSAPP_TEMPLATE_LANGUAGES: {
    schema: z
      .string()
      .default('en_US')
      .refine((value) => value.split(',').every((code) => LANGUAGE.test(code.trim())), 'must be a comma-separated list of Meta language codes such as en_US,fr,pt_BR'),
    doc: 'WhatsApp Cloud API: the languages the template is approved in (Meta\'s codes, e.g. `en_US,fr,pt_BR`), the first being the fallback. A verification\'s locale picks its exact language (`pt-BR` → `pt_BR`), else one of the same language (`fr-CA` → `fr`), else the first.',
  },
  VERITY_WHATSAPP_APP_SECRET: {
    schema: z.string().min(16).optional(),
    doc: 'WhatsApp Cloud API: the Meta app\'s secret, which signs the status webhooks (`X-Hub-Signature-256`); webhooks that do not verify are refused.',
    required: {},
  },
  VERITY_WHATSAPP_VERIFY_TOKEN: {
    schema: z.string().min(16).optional(),
    doc: 'WhatsApp Cloud API: the verify token you enter with the callback URL (`<VERITY_PUBLIC_URL>/messaging/whatsapp/webhook`) in the app\'s WhatsApp configuration; Meta sends it back in the subscription handshake.',
    required: {},
  },
  VERITY_WHATSAPP_API_VERSION: { schema: z.string().regex(/^v[0-9]+\.[0-9]+$/, 'must be a Graph API version such as v23.0').default('v23.0'), doc: 'WhatsApp Cloud API: the Graph API version.' },
  VERITY_WHATSAPP_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60_000).default(10_000),
    doc: 'WhatsApp Cloud API: how long a send may take. A send that times out is not retried on another route (Meta may have taken it).',
  },
  VERITY_WHATSAPP_API_BASE: { schema: z.string().url().default('https://graph.facebook.com'), doc: 'WhatsApp Cloud API: Graph API origin (override only for testing).' },
} as const satisfies SettingRows;

export interface WhatsAppSettings {
  accessToken: string;
  phoneNumberId: string;
  template: string;
  /** Meta language codes, the fallback first. */
  languages: string[];
  appSecret: string;
  verifyToken: string;
  /** `<origin>/<version>`, no trailing slash. */
  graphUrl: string;
  timeoutMs: number;
}

/** The WhatsApp settings; only called when the plug-in is selected, so the required ones are there. */
export function whatsAppSettings(config: Config): WhatsAppSettings {
  const r = settingValues(config, WHATSAPP_SETTINGS);
  return {
    accessToken: r.VERITY_WHATSAPP_ACCESS_TOKEN as string,
    phoneNumberId: r.VERITY_WHATSAPP_PHONE_NUMBER_ID as string,
    template: r.VERITY_WHATSAPP_TEMPLATE as string,
    languages: r.VERITY_WHATSAPP_TEMPLATE_LANGUAGES.split(',').map((code) => code.trim()),
    appSecret: r.VERITY_WHATSAPP_APP_SECRET as string,
    verifyToken: r.VERITY_WHATSAPP_VERIFY_TOKEN as string,
    graphUrl: `${r.VERITY_WHATSAPP_API_BASE.replace(/\/+$/, '')}/${r.VERITY_WHATSAPP_API_VERSION}`,
    timeoutMs: r.VERITY_WHATSAPP_TIMEOUT_MS,
  };
}

/**
 * The template language for a verification's locale: the exact one (`pt-BR` → `pt_BR`), else one
 * of the same language (`fr-CA` → `fr`, or `en` → `en_US`), else the first configured.
 */
export function templateLanguage(locale: string, languages: readonly string[]): string {
  const [language = '', region] = locale.replace('-', '_').split('_');
  const exact = region ? `${language.toLowerCase()}_${region.toUpperCase()}` : language.toLowerCase();
  return (
    languages.find((code) => code === exact) ??
    languages.find((code) => code === language.toLowerCase()) ??
    languages.find((code) => code.split('_')[0] === language.toLowerCase()) ??
    (languages[0] as string)
  );
}
