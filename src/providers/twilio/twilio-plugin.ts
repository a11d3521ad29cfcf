import type { ProviderPlugin } from '../provider-plugin.ts';
import { createTwilioProvider } from './twilio-provider.ts';
import { createTwilioVoiceProvider } from './twilio-voice.ts';
import { twilioVoiceRoutes } from './twilio-voice-routes.ts';

/**
 * Twilio: SMS through the Messages API; calls through the Calls API, driven by signed webhooks
 * (`/voice/twilio/calls/…`). Its required settings are checked at boot by loadConfig.
 */
export const twilioPlugin: ProviderPlugin = {
  name: 'twilio',
  developmentOnly: false,
  settings: ['VERITY_TWILIO_ACCOUNT_SID', 'VERITY_TWILIO_AUTH_TOKEN', 'VERITY_TWILIO_API_KEY_SID', 'VERITY_TWILIO_WEBHOOK_AUTH_TOKEN', 'VERITY_TWILIO_API_BASE'],
  delivery: {
    channels: ['sms', 'call'],
    create: ({ config }) => ({
      provider: createTwilioProvider({
        accountSid: config.twilio.accountSid as string,
        authToken: config.twilio.authToken as string,
        apiKeySid: config.twilio.apiKeySid,
        apiBase: config.twilio.apiBase,
        from: config.smsFrom,
      }),
    }),
  },
  voice: {
    create({ config, logger, events }) {
      const provider = createTwilioVoiceProvider({
        accountSid: config.twilio.accountSid as string,
        authToken: config.twilio.authToken as string,
        apiKeySid: config.twilio.apiKeySid,
        apiBase: config.twilio.apiBase,
        publicUrl: config.publicUrl,
      });
      return {
        provider,
        routes: (app) => twilioVoiceRoutes(app, {
          logger,
          authToken: config.twilio.webhookAuthToken as string,
          publicUrl: config.publicUrl,
          events: events(),
          fetchRecording: (url) => provider.fetchRecording(url),
        }),
      };
    },
  },
};
