import { carrierRefusal } from '../carrier-api.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import { sayTwiml } from './say-twiml.ts';
import { twilioAccount, twilioErrorSuffix, type TwilioAccountOptions } from './twilio-account.ts';

export interface TwilioProviderOptions extends TwilioAccountOptions {
  /** Sender number (SMS and caller id) or a Messaging Service `MG…` (SMS only). */
  from: string;
  /**
   * Where Twilio posts each message's (and message call's) status: `<public>/messaging/<instance>/status`
   * (twilio-status-routes.ts). Given, the provider reports receipts.
   */
  statusCallbackUrl?: string;
}

/**
 * SMS through the Messages API and voice through the Calls API with inline TwiML, each with a
 * StatusCallback when `statusCallbackUrl` is given (a call's reports only its end: its receipt).
 */
export function createTwilioProvider(options: TwilioProviderOptions): DeliveryProvider {
  const { accountUrl, api } = twilioAccount(options);
  const fromIsMessagingService = options.from.startsWith('MG');

  async function create(resource: 'Messages' | 'Calls', form: URLSearchParams, message: OutboundMessage): Promise<DeliveryReceipt> {
    const { ok, status, payload } = await api.post(`${accountUrl}/${resource}.json`, { form }, resource);
    if (ok) {
      const sid = payload?.['sid'];
      if (typeof sid !== 'string' || sid === '') {
        throw new DeliveryError(`Twilio ${resource} answered HTTP ${status} without a sid`, { retryable: false });
      }
      return { providerMessageId: sid };
    }
    throw carrierRefusal(`Twilio ${resource} request failed with HTTP ${status}${twilioErrorSuffix(payload, message.body)}`, status);
  }

  const withCallback = (form: URLSearchParams): URLSearchParams => {
    if (options.statusCallbackUrl !== undefined) form.set('StatusCallback', options.statusCallbackUrl);
    return form;
  };

  return {
    name: 'twilio',
    receipts: options.statusCallbackUrl !== undefined,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel === 'sms') {
        const form = new URLSearchParams({ To: message.to, Body: message.body });
        form.set(fromIsMessagingService ? 'MessagingServiceSid' : 'From', options.from);
        return create('Messages', withCallback(form), message);
      }
      if (message.channel === 'call') {
        if (fromIsMessagingService) {
          throw new DeliveryError('Twilio calls need a caller id number; a Messaging Service sid only works for SMS', { retryable: false });
        }
        const form = new URLSearchParams({ To: message.to, From: options.from, Twiml: sayTwiml(message.body, message.locale) });
        return create('Calls', withCallback(form), message);
      }
      throw new DeliveryError(`the twilio provider does not deliver the ${message.channel} channel`, { retryable: false });
    },
  };
}
