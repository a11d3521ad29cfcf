import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';
import { VONAGE_SIGNATURE_METHODS, type VonageSignatureMethod } from './vonage-signature.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Vonage's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const VONAGE_SETTINGS = {
  VERITY_VONAGE_API_KEY: { schema: z.string().regex(/^[0-9a-zA-Z]{6,32}$/, 'must be the account\'s API key (letters and digits)').optional(), doc: 'Vonage SMS API: the account\'s API key.', required: {} },
  VERITY_VONAGE_API_SECRET: { schema: z.string().min(8).optional(), doc: 'Vonage SMS API: the account\'s API secret (sent as `api_secret` unless VERITY_VONAGE_SIGN_REQUESTS).', required: {} },
  VERITY_VONAGE_SIGNATURE_SECRET: {
    schema: z.string().min(16).optional(),
    doc: 'Vonage SMS API: the signature secret (dashboard → settings). With it, Verity asks for delivery receipts and accepts only DLRs signed with it (`sig`, within 5 minutes of `timestamp`); Vonage support enables signed webhooks per account. Without it, no receipts are asked for unless VERITY_VONAGE_ALLOW_UNSIGNED_DLR.',
  },
  VERITY_VONAGE_SIGNATURE_METHOD: {
    schema: z.enum(VONAGE_SIGNATURE_METHODS).default('md5hash'),
    doc: 'Vonage SMS API: the signature method set in the dashboard: `md5hash` (Vonage\'s default), or the HMACs `md5`, `sha1`, `sha256`, `sha512` (prefer `sha256` or `sha512`).',
  },
  VERITY_VONAGE_SIGN_REQUESTS: { schema: bool.default(false), doc: 'Vonage SMS API: sign each send with the signature secret (`sig`) instead of sending the API secret (for accounts that require signed requests).' },
  VERITY_VONAGE_ALLOW_UNSIGNED_DLR: {
    schema: bool.default(false),
    doc: 'Vonage SMS API: ask for delivery receipts without a signature secret and accept them unsigned. Anyone who learns the URL can then forge delivery statuses (and steer failover): only for accounts where Vonage support has not enabled signed webhooks, behind a network that only Vonage reaches. Off by default; ignored when VERITY_VONAGE_SIGNATURE_SECRET is set (then every DLR must be signed).',
  },
  VERITY_VONAGE_CURRENCY: { schema: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').default('EUR'), doc: 'Vonage SMS API: the account\'s currency, which `message-price` is in (Vonage does not name it).' },
  VERITY_VONAGE_FROM: { schema: z.string().min(1).max(15).optional(), doc: 'Vonage SMS API: the sender (a number, or up to 11 letters and digits where alphanumeric senders are allowed); defaults to VERITY_SMS_FROM.' },
  VERITY_VONAGE_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60_000).default(10_000),
    doc: 'Vonage SMS API: how long a send may take; one that times out is not retried (Vonage may have taken the message).',
  },
  VERITY_VONAGE_API_BASE: { schema: z.string().url().default('https://rest.nexmo.com'), doc: 'Vonage SMS API: REST origin (override only for testing).' },
} as const satisfies SettingRows;

export interface VonageSettings {
  apiKey: string;
  apiSecret: string;
  signatureSecret: string | undefined;
  signatureMethod: VonageSignatureMethod;
  signRequests: boolean;
  allowUnsignedDlr: boolean;
  currency: string;
  from: string | undefined;
  timeoutMs: number;
  apiBase: string;
}

/** Vonage's settings; only called when Vonage is selected, so the required ones are there. */
export function vonageSettings(config: Config): VonageSettings {
  const r = settingValues(config, VONAGE_SETTINGS);
  return {
    apiKey: r.VERITY_VONAGE_API_KEY as string,
    apiSecret: r.VERITY_VONAGE_API_SECRET as string,
    signatureSecret: r.VERITY_VONAGE_SIGNATURE_SECRET,
    signatureMethod: r.VERITY_VONAGE_SIGNATURE_METHOD,
    signRequests: r.VERITY_VONAGE_SIGN_REQUESTS,
    allowUnsignedDlr: r.VERITY_VONAGE_ALLOW_UNSIGNED_DLR,
    currency: r.VERITY_VONAGE_CURRENCY,
    from: r.VERITY_VONAGE_FROM,
    timeoutMs: r.VERITY_VONAGE_TIMEOUT_MS,
    apiBase: r.VERITY_VONAGE_API_BASE.replace(/\/+$/, ''),
  };
}
