import type { ProviderPlugin } from '../provider-plugin.ts';
import { createSmppProvider } from './smpp-provider.ts';
import { SMPP_SETTINGS, smppSettings } from './smpp-settings.ts';

/**
 * SMPP 3.4: SMS straight to an SMSC (a carrier or an aggregator) over binds Verity keeps open, with
 * delivery receipts as `deliver_sm` on the same binds (no webhook, so no routes). Its settings
 * (smpp-settings.ts) are checked at boot by loadConfig.
 */
export const smppPlugin: ProviderPlugin = {
  name: 'smpp',
  developmentOnly: false,
  settings: SMPP_SETTINGS,
  delivery: {
    channels: ['sms'],
    create({ config, logger, instance, deliveryStatus }) {
      // No deps.clock: the window and throughput limit pace the wire in real (monotonic) time.
      return { provider: createSmppProvider({ ...smppSettings(config), instance, deliveryStatus, logger }) };
    },
  },
};
