import type { ProviderPlugin } from '../provider-plugin.ts';
import { BANDWIDTH_SETTINGS, bandwidthSettings } from './bandwidth-settings.ts';
import { createBandwidthVoiceProvider } from './bandwidth-voice.ts';
import { bandwidthVoiceRoutes } from './bandwidth-voice-routes.ts';

/**
 * Bandwidth: calls only, through the Voice API v2, driven by callbacks with HTTP Basic credentials
 * (`/voice/bandwidth/calls/…`). Its settings (bandwidth-settings.ts) are checked at boot by loadConfig.
 */
export const bandwidthPlugin: ProviderPlugin = {
  name: 'bandwidth',
  developmentOnly: false,
  settings: BANDWIDTH_SETTINGS,
  voice: {
    create({ config, logger, events }) {
      const settings = bandwidthSettings(config);
      const provider = createBandwidthVoiceProvider({ ...settings, publicUrl: config.publicUrl });
      return {
        provider,
        routes: (app) => bandwidthVoiceRoutes(app, {
          logger,
          callbackUsername: settings.callbackUsername,
          callbackPassword: settings.callbackPassword,
          publicUrl: config.publicUrl,
          events: events(),
          fetchRecording: (url) => provider.fetchRecording(url),
        }),
      };
    },
  },
};
