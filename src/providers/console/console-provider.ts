import { newSid } from '../../crypto/random.ts';
import type { DeliveryProvider, DeliveryReceipt, OutboundMessage } from '../provider.ts';

/**
 * Development provider that prints each message, code included, on stdout. It deliberately
 * bypasses the pino logger, whose output must never contain codes.
 */
export function createConsoleProvider(options: { write?: (line: string) => void } = {}): DeliveryProvider {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  return {
    name: 'console',
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      const subject = message.subject !== undefined ? ` subject=${JSON.stringify(message.subject)}` : '';
      // JSON quoting keeps a multi-line body on one line.
      write(`[verity:console] ${message.channel} to ${message.to} (${message.verificationSid})${subject}: ${JSON.stringify(message.body)}`);
      return { providerMessageId: newSid('CON') };
    },
  };
}
