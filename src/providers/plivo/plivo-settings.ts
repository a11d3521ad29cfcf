import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';

/** Plivo's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const PLIVO_SETTINGS = {
  VERITY_PLIVO_AUTH_ID: { schema: z.string().regex(/^[A-Z0-9]{10,40}$/, 'must be the Auth ID from the Plivo console (MA… or SA…)').optional(), doc: 'Plivo provider: Auth ID of the account or subaccount.', required: {} },
  VERITY_PLIVO_AUTH_TOKEN: {
    schema: z.string().min(16).optional(),
    doc: 'Plivo provider: Auth Token of the same account; it authenticates the REST API (HTTP Basic) and verifies the status callbacks\' X-Plivo-Signature-V3.',
    required: {},
  },
  VERITY_PLIVO_POWERPACK_UUID: { schema: z.string().uuid().optional(), doc: 'Plivo provider: send from this Powerpack (number pool) instead of VERITY_SMS_FROM.' },
  VERITY_PLIVO_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60_000).default(10_000),
    doc: 'Plivo provider: how long a send may take. A send that times out is not retried on another route (Plivo may have taken it).',
  },
  VERITY_PLIVO_API_BASE: { schema: z.string().url().default('https://api.plivo.com'), doc: 'Plivo provider: API origin (override only for testing).' },
} as const satisfies SettingRows;

export interface PlivoSettings {
  authId: string;
  authToken: string;
  powerpackUuid: string | undefined;
  apiBase: string;
  timeoutMs: number;
}

/** Plivo's settings; only called when Plivo is selected, so the required ones are there. */
export function plivoSettings(config: Config): PlivoSettings {
  const r = settingValues(config, PLIVO_SETTINGS);
  return {
    authId: r.VERITY_PLIVO_AUTH_ID as string,
    authToken: r.VERITY_PLIVO_AUTH_TOKEN as string,
    powerpackUuid: r.VERITY_PLIVO_POWERPACK_UUID,
    apiBase: r.VERITY_PLIVO_API_BASE.replace(/\/+$/, ''),
    timeoutMs: r.VERITY_PLIVO_TIMEOUT_MS,
  };
}
