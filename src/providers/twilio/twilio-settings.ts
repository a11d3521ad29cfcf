import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';

/** Twilio's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const TWILIO_SETTINGS = {
  VERITY_TWILIO_ACCOUNT_SID: { schema: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex characters').optional(), doc: 'Twilio provider: account SID.', required: {} },
  VERITY_TWILIO_AUTH_TOKEN: { schema: z.string().min(16).optional(), doc: 'Twilio provider: auth token (or API key secret with VERITY_TWILIO_API_KEY_SID).', required: {} },
  VERITY_TWILIO_API_KEY_SID: { schema: z.string().regex(/^SK[0-9a-fA-F]{32}$/).optional(), doc: 'Twilio provider: optional API key SID used instead of the account SID for Basic auth.' },
  VERITY_TWILIO_WEBHOOK_AUTH_TOKEN: {
    schema: z.string().min(16).optional(),
    doc: 'Twilio: the account auth token that signs Twilio\'s webhooks (X-Twilio-Signature): voice webhooks and message status callbacks. Defaults to VERITY_TWILIO_AUTH_TOKEN; required when that holds an API key secret.',
    required: { whenAlsoGiven: 'VERITY_TWILIO_API_KEY_SID', because: 'required by twilio with an API key (Twilio signs its webhooks, voice and status callbacks, with the account auth token)' },
  },
  VERITY_TWILIO_API_BASE: { schema: z.string().url().default('https://api.twilio.com'), doc: 'Twilio provider: REST API origin (override only for testing).' },
  VERITY_TWILIO_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60_000).default(10_000),
    doc: 'Twilio provider: how long a REST request (a message, a call, a recording download) may take; a send that times out is not retried (Twilio may have taken it).',
  },
} as const satisfies SettingRows;

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  apiKeySid: string | undefined;
  apiBase: string;
  timeoutMs: number;
  /** The token that signs Twilio's webhooks (voice and status callbacks); loadConfig made sure there is one. */
  webhookAuthToken: string;
}

/** Twilio's settings; only called when Twilio is selected, so the required ones are there. */
export function twilioSettings(config: Config): TwilioSettings {
  const r = settingValues(config, TWILIO_SETTINGS);
  return {
    accountSid: r.VERITY_TWILIO_ACCOUNT_SID as string,
    authToken: r.VERITY_TWILIO_AUTH_TOKEN as string,
    apiKeySid: r.VERITY_TWILIO_API_KEY_SID,
    apiBase: r.VERITY_TWILIO_API_BASE.replace(/\/+$/, ''),
    timeoutMs: r.VERITY_TWILIO_TIMEOUT_MS,
    // Twilio signs webhooks with the account's auth token, never with an API key secret.
    webhookAuthToken: (r.VERITY_TWILIO_WEBHOOK_AUTH_TOKEN ?? (r.VERITY_TWILIO_API_KEY_SID ? undefined : r.VERITY_TWILIO_AUTH_TOKEN)) as string,
  };
}
