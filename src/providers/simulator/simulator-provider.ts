import { newSid } from '../../crypto/random.ts';
import type { DeliveryProvider, DeliveryReceipt, OutboundMessage } from '../provider.ts';
import type { SimulatorInbox } from './simulator-inbox.ts';

/**
 * The built-in simulated carrier for development: nothing leaves the machine, every message
 * lands in the simulator inbox where the developer (or a test) reads the code.
 */
export function createSimulatorProvider(options: { inbox: SimulatorInbox; smsFrom: string; emailFrom: string }): DeliveryProvider {
  const { inbox, smsFrom, emailFrom } = options;
  return {
    name: 'simulator',
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      await inbox.record({
        channel: message.channel,
        to: message.to,
        from: message.channel === 'email' ? emailFrom : smsFrom,
        subject: message.subject,
        // For calls the body is the text the call would speak.
        body: message.body,
      });
      return { providerMessageId: newSid('SIM') };
    },
  };
}
