import { EspeakPromptAudio } from '../../audio/prompt-audio.ts';
import { readWav } from '../../audio/line-audio.ts';
import type { ProviderPlugin } from '../provider-plugin.ts';
import type { RenderPrompt } from './media/instruction-player.ts';
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
      const audio = new EspeakPromptAudio({ logger });
      // Decoded once per cached WAV (the cache hands back the same Buffer): every prompt of an
      // instruction renders at once when a call is answered, and decoding each again cost the
      // live calls' audio up to 57 ms of delay in bench:sip with 50 calls.
      const decoded = new WeakMap<Buffer, Int16Array>();
      const render: RenderPrompt = async (text, locale) => {
        const id = await audio.prepare(text, locale);
        const wav = id === null ? undefined : await audio.get(id);
        if (!wav) return null;
        let samples = decoded.get(wav);
        if (!samples) decoded.set(wav, (samples = readWav(wav).samples));
        return samples;
      };
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
