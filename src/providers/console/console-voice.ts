import type { Logger } from 'pino';
import type { CallEvents, VoiceProvider } from '../../voice/voice-provider.ts';
import { spokenPrompts } from '../../voice/call-script.ts';

/**
 * Development without the simulator: each call is answered at once and what it would say is
 * printed to stderr (codes included, which is why production refuses this provider).
 */
export function createConsoleVoice(options: { logger: Logger; events: () => CallEvents }): VoiceProvider {
  const { logger, events } = options;
  return {
    name: 'console',
    async placeCall(request) {
      setImmediate(() => {
        void (async () => {
          try {
            const instruction = await events().answered(request.callSid);
            const spoken = spokenPrompts(instruction).flatMap((p) => (p.kind === 'say' ? [p.text] : []));
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
