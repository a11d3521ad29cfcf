import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Clock } from '../crypto/clock.ts';
import { createBandwidthVoiceProvider, type BandwidthVoiceProvider } from '../providers/bandwidth/bandwidth-voice.ts';
import { SimulatorPhoneNetwork, type ScheduleTimer } from '../providers/simulator/phone-network.ts';
import { realTimers } from '../providers/simulator/simulated-call.ts';
import { EspeakPromptAudio } from '../providers/simulator/prompt-audio.ts';
import { createTwilioVoiceProvider, type TwilioVoiceProvider } from '../providers/twilio/twilio-voice.ts';
import type { CallEvents, VoiceProvider } from './voice-provider.ts';

/** The configured voice provider, typed by kind so the HTTP layer can mount its webhooks. */
export type BuiltVoiceProvider =
  | { kind: 'simulator'; provider: SimulatorPhoneNetwork }
  | { kind: 'twilio'; provider: TwilioVoiceProvider }
  | { kind: 'bandwidth'; provider: BandwidthVoiceProvider }
  | { kind: 'console'; provider: VoiceProvider }
  | { kind: 'none'; provider: undefined };

/**
 * Builds the voice provider named by VERITY_VOICE_PROVIDER (loadConfig checked its settings).
 * `events` is the call engine, built after the provider, hence a getter.
 */
export function createVoiceProvider(config: Config, clock: Clock, logger: Logger, events: () => CallEvents): BuiltVoiceProvider {
  switch (config.providers.voice) {
    case 'simulator': {
      const scale = config.voice.simulatorTimeScale;
      const timers: ScheduleTimer = (callback, ms) => realTimers(callback, ms * scale);
      return { kind: 'simulator', provider: new SimulatorPhoneNetwork({ clock, events, audio: new EspeakPromptAudio({ logger }), logger, timers }) };
    }
    case 'twilio':
      return {
        kind: 'twilio',
        provider: createTwilioVoiceProvider({
          accountSid: config.twilio.accountSid as string,
          authToken: config.twilio.authToken as string,
          ...(config.twilio.apiKeySid ? { apiKeySid: config.twilio.apiKeySid } : {}),
          apiBase: config.twilio.apiBase,
          publicUrl: config.publicUrl,
        }),
      };
    case 'bandwidth':
      return {
        kind: 'bandwidth',
        provider: createBandwidthVoiceProvider({
          accountId: config.bandwidth.accountId as string,
          username: config.bandwidth.username as string,
          password: config.bandwidth.password as string,
          applicationId: config.bandwidth.applicationId as string,
          callbackUsername: config.bandwidth.callbackUsername,
          callbackPassword: config.bandwidth.callbackPassword as string,
          apiBase: config.bandwidth.apiBase,
          publicUrl: config.publicUrl,
        }),
      };
    case 'console':
      return { kind: 'console', provider: consoleVoice(logger, events) };
    default:
      return { kind: 'none', provider: undefined };
  }
}

/**
 * Development without the simulator: each call is answered at once and what it would say is
 * printed to stderr (codes included, which is why production refuses this provider).
 */
function consoleVoice(logger: Logger, events: () => CallEvents): VoiceProvider {
  return {
    name: 'console',
    async placeCall(request) {
      setImmediate(() => {
        void (async () => {
          try {
            const instruction = await events().answered(request.callSid);
            const spoken = [...instruction.prompts, ...(instruction.then.kind === 'hangup' ? [] : instruction.then.prompt)].flatMap((p) => (p.kind === 'say' ? [p.text] : []));
            process.stderr.write(`[verity console] call to ${request.to} from ${request.from}: ${spoken.join(' ')}\n`);
            await events().ended(request.callSid, 'completed', 'console provider');
          } catch (error) {
            logger.error({ err: error, callSid: request.callSid }, 'console call failed');
          }
        })();
      });
      return { providerCallId: `console-${request.callSid}` };
    },
    async hangup() {},
  };
}
