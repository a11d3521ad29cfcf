import type { ProviderPlugin } from '../provider-plugin.ts';
import { receiptUrl } from '../receipt-url.ts';
import { createTwilioProvider } from './twilio-provider.ts';
import { TWILIO_SETTINGS, twilioSettings } from './twilio-settings.ts';
import { twilioStatusRoutes } from './twilio-status-routes.ts';
import { createTwilioVoiceProvider } from './twilio-voice.ts';
import { twilioVoiceRoutes } from './twilio-voice-routes.ts';

/**
 * Twilio: SMS through the Messages API, with each message's status reported by Twilio's signed
 * StatusCallback (`/messaging/<instance>/status`); calls through the Calls API, driven by signed
 * webhooks (`/voice/twilio/calls/…`). Its settings (twilio-settings.ts) are checked at boot by loadConfig.
 */
export const twilioPlugin: ProviderPlugin = {
  name: 'twilio',
  developmentOnly: false,
  settings: TWILIO_SETTINGS,
  delivery: {
    channels: ['sms', 'call'],
    create({ config, instance, deliveryStatus, logger }) {
      const { accountSid, authToken, apiKeySid, apiBase, timeoutMs, webhookAuthToken } = twilioSettings(config);
      const statusCallbackUrl = receiptUrl(config.publicUrl, instance, 'status');
      return {
        provider: createTwilioProvider({ accountSid, authToken, apiKeySid, apiBase, timeoutMs, from: config.smsFrom, statusCallbackUrl }),
        routes: (app) => twilioStatusRoutes(app, { instance, authToken: webhookAuthToken, publicUrl: config.publicUrl, sink: deliveryStatus, logger }),
      };
    },
  },
  voice: {
    create({ config, logger, events }) {
      const { accountSid, authToken, apiKeySid, apiBase, timeoutMs, webhookAuthToken } = twilioSettings(config);
      const provider = createTwilioVoiceProvider({ accountSid, authToken, apiKeySid, apiBase, timeoutMs, publicUrl: config.publicUrl });
      return {
        provider,
        routes: (app) => twilioVoiceRoutes(app, {
          logger,
          authToken: webhookAuthToken,
          publicUrl: config.publicUrl,
          events: events(),
          fetchRecording: (url) => provider.fetchRecording(url),
        }),
      };
    },
  },
};
