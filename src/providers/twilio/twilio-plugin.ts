import type { ProviderPlugin } from '../provider-plugin.ts';
import { createTwilioProvider } from './twilio-provider.ts';
import { TWILIO_SETTINGS, twilioSettings } from './twilio-settings.ts';
import { createTwilioVoiceProvider } from './twilio-voice.ts';
import { twilioVoiceRoutes } from './twilio-voice-routes.ts';

/**
 * Twilio: SMS through the Messages API; calls through the Calls API, driven by signed webhooks
 * (`/voice/twilio/calls/…`). Its settings (twilio-settings.ts) are checked at boot by loadConfig.
 */
export const twilioPlugin: ProviderPlugin = {
  name: 'twilio',
  developmentOnly: false,
  settings: TWILIO_SETTINGS,
  delivery: {
    channels: ['sms', 'call'],
    create({ config }) {
      const { accountSid, authToken, apiKeySid, apiBase } = twilioSettings(config);
      return { provider: createTwilioProvider({ accountSid, authToken, apiKeySid, apiBase, from: config.smsFrom }) };
    },
  },
  voice: {
    create({ config, logger, events }) {
      const { accountSid, authToken, apiKeySid, apiBase, webhookAuthToken } = twilioSettings(config);
      const provider = createTwilioVoiceProvider({ accountSid, authToken, apiKeySid, apiBase, publicUrl: config.publicUrl });
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
