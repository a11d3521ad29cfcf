import { z } from 'zod';
import { settingValues, type Config } from '../../config/config.ts';
import type { SettingRows } from '../../config/config-rows.ts';

/** Kannel's variables in the configuration table (docs/configuration.md), checked at boot by loadConfig. */
export const KANNEL_SETTINGS = {
  VERITY_KANNEL_SENDSMS_URL: {
    schema: z.string().url().regex(/^https?:\/\//, 'must be an http:// or https:// URL').optional(),
    doc: 'Kannel provider: the smsbox `sendsms` URL, e.g. `http://127.0.0.1:13013/cgi-bin/sendsms` (keep smsbox\'s `sendsms-interface` on loopback or a private network).',
    required: {},
  },
  VERITY_KANNEL_USERNAME: { schema: z.string().min(1).optional(), doc: 'Kannel provider: `username` of the `sendsms-user` group Verity sends as.', required: {} },
  VERITY_KANNEL_PASSWORD: { schema: z.string().min(1).optional(), doc: 'Kannel provider: `password` of that `sendsms-user` group.', required: {} },
  VERITY_KANNEL_SMSC: {
    schema: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a Kannel smsc-id (letters, digits, dot, dash, underscore)').optional(),
    doc: 'Kannel provider: the `smsc-id` to send through (sendsms `smsc`); unset lets Kannel route.',
  },
  VERITY_KANNEL_FROM: { schema: z.string().min(1).max(20).optional(), doc: 'Kannel provider: sender (`from`); defaults to VERITY_SMS_FROM.' },
  VERITY_KANNEL_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).max(60_000).default(10_000),
    doc: 'Kannel provider: how long a sendsms request may take; one that times out is not retried (Kannel may have queued the message).',
  },
} as const satisfies SettingRows;

export interface KannelSettings {
  sendsmsUrl: string;
  username: string;
  password: string;
  smsc: string | undefined;
  from: string;
  timeoutMs: number;
}

/** Kannel's settings; only called when Kannel is selected, so the required ones are there. */
export function kannelSettings(config: Config): KannelSettings {
  const r = settingValues(config, KANNEL_SETTINGS);
  return {
    sendsmsUrl: r.VERITY_KANNEL_SENDSMS_URL as string,
    username: r.VERITY_KANNEL_USERNAME as string,
    password: r.VERITY_KANNEL_PASSWORD as string,
    smsc: r.VERITY_KANNEL_SMSC,
    from: r.VERITY_KANNEL_FROM ?? config.smsFrom,
    timeoutMs: r.VERITY_KANNEL_TIMEOUT_MS,
  };
}
