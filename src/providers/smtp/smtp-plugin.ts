import type { ProviderPlugin } from '../provider-plugin.ts';
import { createSmtpProvider } from './smtp-provider.ts';

/** Email through any SMTP relay (VERITY_SMTP_URL, required with it: src/config/config.ts). */
export const smtpPlugin: ProviderPlugin = {
  name: 'smtp',
  developmentOnly: false,
  settings: ['VERITY_SMTP_URL'],
  delivery: {
    channels: ['email'],
    create: ({ config }) => ({ provider: createSmtpProvider({ url: config.smtpUrl as string, from: config.emailFrom }) }),
  },
};
