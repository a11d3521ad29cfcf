import type { ProviderPlugin } from '../provider-plugin.ts';
import { createConsoleProvider } from './console-provider.ts';
import { createConsoleVoice } from './console-voice.ts';

/** Development only: messages on stdout, calls answered at once and printed on stderr. */
export const consolePlugin: ProviderPlugin = {
  name: 'console',
  developmentOnly: true,
  settings: {},
  delivery: {
    channels: ['sms', 'call', 'email', 'whatsapp'],
    create: () => ({ provider: createConsoleProvider({}) }),
  },
  voice: {
    create: ({ logger, events }) => ({ provider: createConsoleVoice({ logger, events }) }),
  },
};
