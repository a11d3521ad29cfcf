import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';

/** A base64 Ed25519 public key as the Telnyx portal shows it (32 raw bytes). */
const ed25519PublicKey = z
  .string()
  .refine((value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32, 'must be the base64 Ed25519 public key (32 bytes) from the Telnyx portal')
  .optional();

/** Telnyx's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const TELNYX_SETTINGS = {
  VERITY_TELNYX_API_KEY: { schema: z.string().min(16).optional(), doc: 'Telnyx provider: API key (v2, sent as a Bearer token).', required: {} },
  VERITY_TELNYX_PUBLIC_KEY: {
    schema: ed25519PublicKey,
    doc: 'Telnyx provider: the account\'s webhook public key (base64 Ed25519, portal "Keys & Credentials → Public Key"); message status webhooks must carry a valid `telnyx-signature-ed25519`.',
    required: {},
  },
  VERITY_TELNYX_MESSAGING_PROFILE_ID: {
    schema: z.string().min(1).optional(),
    doc: 'Telnyx provider: messaging profile id, sent with every message (needed for alphanumeric sender ids and number pools); VERITY_SMS_FROM is the sender.',
  },
  VERITY_TELNYX_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60_000).default(10_000),
    doc: 'Telnyx provider: how long a send may take. A send that times out is not retried on another route (Telnyx may have taken it).',
  },
  VERITY_TELNYX_API_BASE: { schema: z.string().url().default('https://api.telnyx.com'), doc: 'Telnyx provider: API origin (override only for testing).' },
} as const satisfies SettingRows;

export interface TelnyxSettings {
  apiKey: string;
  /** The raw 32-byte Ed25519 key that verifies webhooks. */
  publicKey: Buffer;
  messagingProfileId: string | undefined;
  apiBase: string;
  timeoutMs: number;
}

/** Telnyx's settings; only called when Telnyx is selected, so the required ones are there. */
export function telnyxSettings(config: Config): TelnyxSettings {
  const r = settingValues(config, TELNYX_SETTINGS);
  return {
    apiKey: r.VERITY_TELNYX_API_KEY as string,
    publicKey: Buffer.from(r.VERITY_TELNYX_PUBLIC_KEY as string, 'base64'),
    messagingProfileId: r.VERITY_TELNYX_MESSAGING_PROFILE_ID,
    apiBase: r.VERITY_TELNYX_API_BASE.replace(/\/+$/, ''),
    timeoutMs: r.VERITY_TELNYX_TIMEOUT_MS,
  };
}
