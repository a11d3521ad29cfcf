import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';

const given = z.string().min(1).optional();

/** Bandwidth's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const BANDWIDTH_SETTINGS = {
  VERITY_BANDWIDTH_ACCOUNT_ID: { schema: given, doc: 'Bandwidth provider: account id.', required: {} },
  VERITY_BANDWIDTH_USERNAME: { schema: given, doc: 'Bandwidth provider: API username (HTTP Basic).', required: {} },
  VERITY_BANDWIDTH_PASSWORD: { schema: given, doc: 'Bandwidth provider: API password.', required: {} },
  VERITY_BANDWIDTH_APPLICATION_ID: { schema: given, doc: 'Bandwidth provider: voice application id the calls belong to.', required: {} },
  VERITY_BANDWIDTH_CALLBACK_USERNAME: { schema: z.string().min(1).default('verity'), doc: 'Bandwidth provider: user name Bandwidth must send (HTTP Basic) on every callback to Verity.' },
  VERITY_BANDWIDTH_CALLBACK_PASSWORD: {
    schema: z.string().min(16).optional(),
    doc: 'Bandwidth provider: password Bandwidth must send on every callback (at least 16 characters; required with the bandwidth provider).',
    required: {},
  },
  VERITY_BANDWIDTH_API_BASE: { schema: z.string().url().default('https://voice.bandwidth.com'), doc: 'Bandwidth provider: Voice API origin (override only for testing).' },
} as const satisfies SettingRows;

/** Bandwidth's settings; only called when Bandwidth is selected, so the required ones are there. */
export function bandwidthSettings(config: Config) {
  const r = settingValues(config, BANDWIDTH_SETTINGS);
  return {
    accountId: r.VERITY_BANDWIDTH_ACCOUNT_ID as string,
    username: r.VERITY_BANDWIDTH_USERNAME as string,
    password: r.VERITY_BANDWIDTH_PASSWORD as string,
    applicationId: r.VERITY_BANDWIDTH_APPLICATION_ID as string,
    callbackUsername: r.VERITY_BANDWIDTH_CALLBACK_USERNAME,
    callbackPassword: r.VERITY_BANDWIDTH_CALLBACK_PASSWORD as string,
    apiBase: r.VERITY_BANDWIDTH_API_BASE.replace(/\/+$/, ''),
  };
}
