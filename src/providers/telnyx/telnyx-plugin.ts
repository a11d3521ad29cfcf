import type { ProviderPlugin } from '../provider-plugin.ts';
import { createTelnyxProvider } from './telnyx-provider.ts';
import { receiptUrl } from '../receipt-url.ts';
import { TELNYX_WEBHOOK, telnyxRoutes } from './telnyx-routes.ts';
import { TELNYX_SETTINGS, telnyxSettings } from './telnyx-settings.ts';

/**
 * Telnyx: SMS through the Messaging API v2, with delivery receipts from its message webhooks
 * (`/messaging/<instance>/events`, Ed25519-signed). Its settings (telnyx-settings.ts) are checked at boot.
 */
export const telnyxPlugin: ProviderPlugin = {
  name: 'telnyx',
  developmentOnly: false,
  settings: TELNYX_SETTINGS,
  delivery: {
    channels: ['sms'],
    create({ config, instance, clock, logger, deliveryStatus }) {
      const settings = telnyxSettings(config);
      const provider = createTelnyxProvider({
        apiKey: settings.apiKey,
        apiBase: settings.apiBase,
        timeoutMs: settings.timeoutMs,
        from: config.smsFrom,
        messagingProfileId: settings.messagingProfileId,
        webhookUrl: receiptUrl(config.publicUrl, instance, TELNYX_WEBHOOK),
      });
      return { provider, routes: (app) => telnyxRoutes(app, { instance, publicKey: settings.publicKey, clock, logger, deliveryStatus }) };
    },
  },
};
