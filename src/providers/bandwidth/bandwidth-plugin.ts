import type { ProviderPlugin } from '../provider-plugin.ts';
import { createBandwidthVoiceProvider } from './bandwidth-voice.ts';
import { bandwidthVoiceRoutes } from './bandwidth-voice-routes.ts';

/**
 * Bandwidth: calls only, through the Voice API v2, driven by callbacks with HTTP Basic credentials
 * (`/voice/bandwidth/calls/…`). Its required settings are checked at boot by loadConfig.
 */
export const bandwidthPlugin: ProviderPlugin = {
  name: 'bandwidth',
  developmentOnly: false,
  settings: [
    'VERITY_BANDWIDTH_ACCOUNT_ID',
    'VERITY_BANDWIDTH_USERNAME',
    'VERITY_BANDWIDTH_PASSWORD',
    'VERITY_BANDWIDTH_APPLICATION_ID',
    'VERITY_BANDWIDTH_CALLBACK_USERNAME',
    'VERITY_BANDWIDTH_CALLBACK_PASSWORD',
    'VERITY_BANDWIDTH_API_BASE',
  ],
  voice: {
    create({ config, logger, events }) {
      const settings = config.bandwidth;
      const provider = createBandwidthVoiceProvider({
        accountId: settings.accountId as string,
        username: settings.username as string,
        password: settings.password as string,
        applicationId: settings.applicationId as string,
        callbackUsername: settings.callbackUsername,
        callbackPassword: settings.callbackPassword as string,
        apiBase: settings.apiBase,
        publicUrl: config.publicUrl,
      });
      return {
        provider,
        routes: (app) => bandwidthVoiceRoutes(app, {
          logger,
          callbackUsername: settings.callbackUsername,
          callbackPassword: settings.callbackPassword as string,
          publicUrl: config.publicUrl,
          events: events(),
          fetchRecording: (url) => provider.fetchRecording(url),
        }),
      };
    },
  },
};
