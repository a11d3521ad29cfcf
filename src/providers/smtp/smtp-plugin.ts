import type { ProviderPlugin } from '../provider-plugin.ts';
import { settingValues } from '../../config/config.ts';
import { createSmtpProvider } from './smtp-provider.ts';
import { SMTP_SETTINGS } from './smtp-settings.ts';

/** Email through any SMTP relay (VERITY_SMTP_URL, required with it: smtp-settings.ts). */
export const smtpPlugin: ProviderPlugin = {
  name: 'smtp',
  developmentOnly: false,
  settings: SMTP_SETTINGS,
  delivery: {
    channels: ['email'],
    create: ({ config }) => ({ provider: createSmtpProvider({ url: settingValues(config, SMTP_SETTINGS).VERITY_SMTP_URL as string, from: config.emailFrom }) }),
  },
};
