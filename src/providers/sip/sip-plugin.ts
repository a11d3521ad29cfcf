import type { ProviderPlugin } from '../provider-plugin.ts';
import { espeakRenderer } from './espeak-renderer.ts';
import { SIP_SETTINGS, sipSettings } from './sip-settings.ts';
import { SipVoiceProvider } from './sip-voice-provider.ts';

/**
 * SIP: Verity places its calls itself through a SIP trunk, a PBX or an SBC (VERITY_SIP_PROXY), with
 * digest authentication, G.711 audio over RTP and keypad digits by RFC 4733 or in-band tones. No
 * webhooks: the call's signalling and audio are Verity's own. Its settings (sip-settings.ts) are
 * checked at boot by loadConfig; docs/voice.md tells how to connect a trunk.
 */
export const sipPlugin: ProviderPlugin = {
  name: 'sip',
  developmentOnly: false,
  settings: SIP_SETTINGS,
  voice: {
    create({ config, logger, events }) {
      const render = espeakRenderer({ logger });
      const provider = new SipVoiceProvider({ settings: sipSettings(config), events, render, logger: logger.child({ provider: 'sip' }), userAgent: 'Verity' });
      return {
        provider,
        routes: async (app) => {
          // Not HTTP routes: the SIP socket opens (and registers) with the server and closes with it.
          app.addHook('onReady', async () => {
            await provider.start();
          });
          app.addHook('onClose', async () => provider.close());
        },
      };
    },
  },
};
