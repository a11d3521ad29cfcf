import { z } from 'zod';
import type { SettingRows } from '../../config/config-rows.ts';

/** The SMTP provider's variable in the configuration table (docs/configuration.md), required with it. */
export const SMTP_SETTINGS = {
  VERITY_SMTP_URL: {
    schema: z.string().regex(/^smtps?:\/\//, 'must be smtp:// or smtps://').optional(),
    doc: 'SMTP provider: `smtp://user:pass@host:port` (`smtps://` for implicit TLS).',
    required: {},
  },
} as const satisfies SettingRows;
