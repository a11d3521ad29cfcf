import { newSid } from '../../crypto/random.ts';
import { DeliveryError, type Channel, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import type { SimulatedDelivery } from './simulated-delivery.ts';
import type { SimulatorInbox } from './simulator-inbox.ts';

/** GSM 03.38 default alphabet (and its extension table), for the segment count of an SMS. */
const GSM_7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

/** How many SMS segments a text takes: 160/153 GSM-7 characters, or 70/67 UCS-2 code units. */
export function smsParts(body: string): number {
  const gsm = GSM_7.test(body);
  const length = gsm ? [...body].reduce((n, c) => n + ('^{}\\[~]|€'.includes(c) ? 2 : 1), 0) : body.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return length <= single ? 1 : Math.ceil(length / multi);
}

/** How the simulated carrier handles each channel: who it is from, and how many billable parts it is. */
interface SimChannel {
  sender: 'sms' | 'email';
  parts(body: string): number;
}

/** One row per channel the simulator offers (the plug-in lists which of them it is selected for). */
const SIM_CHANNELS: Readonly<Record<Channel, SimChannel>> = {
  sms: { sender: 'sms', parts: smsParts },
  call: { sender: 'sms', parts: () => 1 },
  email: { sender: 'email', parts: () => 1 },
  whatsapp: { sender: 'sms', parts: () => 1 },
};

/**
 * The built-in simulated carrier for development: nothing leaves the machine, every message it
 * accepts lands in the simulator inbox where the developer (or a test) reads the code, and its
 * statuses (queued → sent → delivered, or the failures VERITY_SIMULATOR_DELIVERY asks for) come
 * back as receipts through `delivery`.
 */
export function createSimulatorProvider(options: { inbox: SimulatorInbox; smsFrom: string; emailFrom: string; delivery: SimulatedDelivery }): DeliveryProvider {
  const { inbox, delivery } = options;
  const senders = { sms: options.smsFrom, email: options.emailFrom };
  return {
    name: 'simulator',
    receipts: true,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      const channel = SIM_CHANNELS[message.channel];
      const plan = delivery.plan(message.to);
      if (plan.outcome.kind === 'reject') {
        // Refused before accepting: nothing reaches the inbox, as with a real carrier's 4xx/5xx.
        const why = plan.outcome.retryable ? 'throttled the message (simulated, retryable)' : 'refused the destination (simulated, permanent)';
        throw new DeliveryError(`simulator ${delivery.instance} ${why}; rule "${plan.rule ?? ''}"`, { retryable: plan.outcome.retryable });
      }
      const id = newSid('SIM');
      const parts = channel.parts(message.body);
      await inbox.record({
        channel: message.channel,
        to: message.to,
        from: message.emailSender ? (message.emailSender.name ? `${message.emailSender.name} <${message.emailSender.address}>` : message.emailSender.address) : senders[channel.sender],
        subject: message.subject,
        // For calls the body is the text the call would speak.
        body: message.body,
        messageId: id,
        instance: delivery.instance,
        attemptId: message.attemptId,
        status: 'queued',
      });
      delivery.start(id, message.channel, parts, plan);
      return { providerMessageId: id, parts, status: 'queued' };
    },
    async close() {
      delivery.close();
    },
  };
}
