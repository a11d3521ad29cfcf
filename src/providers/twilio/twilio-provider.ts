import { describeFetchFailure, fetchNeverConnected, readJsonObject } from '../fetch-failure.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import { sayTwiml } from './say-twiml.ts';

export interface TwilioProviderOptions {
  accountSid: string;
  /** Auth token, or the API key secret when `apiKeySid` is set. */
  authToken: string;
  apiKeySid?: string;
  /** REST API origin, e.g. `https://api.twilio.com`. */
  apiBase: string;
  /** Sender number (SMS and caller id) or a Messaging Service `MG…` (SMS only). */
  from: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** SMS through the Messages API and voice through the Calls API with inline TwiML. */
export function createTwilioProvider(options: TwilioProviderOptions): DeliveryProvider {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const accountUrl = `${options.apiBase.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${options.apiKeySid ?? options.accountSid}:${options.authToken}`).toString('base64')}`;
  const fromIsMessagingService = options.from.startsWith('MG');

  async function create(resource: 'Messages' | 'Calls', form: URLSearchParams, message: OutboundMessage): Promise<DeliveryReceipt> {
    let response: Response;
    try {
      response = await doFetch(`${accountUrl}/${resource}.json`, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // A timeout or a reset after connecting may come after Twilio accepted the request.
      const retryable = fetchNeverConnected(err);
      throw new DeliveryError(`Twilio ${resource} request failed: ${describeFetchFailure(err)}`, { retryable, cause: err });
    }

    const payload = await readJsonObject(response);
    if (response.ok) {
      const sid = payload?.['sid'];
      if (typeof sid !== 'string' || sid === '') {
        throw new DeliveryError(`Twilio ${resource} answered HTTP ${response.status} without a sid`, { retryable: false });
      }
      return { providerMessageId: sid };
    }
    // 429 means the request was refused before processing; any other status may not be safe to repeat
    // (a 5xx may come after the message was queued).
    const retryable = response.status === 429;
    throw new DeliveryError(`Twilio ${resource} request failed with HTTP ${response.status}${twilioErrorSuffix(payload, message.body)}`, { retryable });
  }

  return {
    name: 'twilio',
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel === 'sms') {
        const form = new URLSearchParams({ To: message.to, Body: message.body });
        form.set(fromIsMessagingService ? 'MessagingServiceSid' : 'From', options.from);
        return create('Messages', form, message);
      }
      if (message.channel === 'call') {
        if (fromIsMessagingService) {
          throw new DeliveryError('Twilio calls need a caller id number; a Messaging Service sid only works for SMS', { retryable: false });
        }
        const form = new URLSearchParams({ To: message.to, From: options.from, Twiml: sayTwiml(message.body, message.locale) });
        return create('Calls', form, message);
      }
      throw new DeliveryError(`the twilio provider does not deliver the ${message.channel} channel`, { retryable: false });
    },
  };
}

/** Twilio's error code and message, with the message text removed should Twilio ever echo it back. */
export function twilioErrorSuffix(payload: Record<string, unknown> | undefined, body = ''): string {
  const code = payload?.['code'];
  const rawText = payload?.['message'];
  if (typeof code !== 'number' && typeof rawText !== 'string') return '';
  let text = typeof rawText === 'string' ? rawText : '';
  if (body !== '') text = text.split(body).join('[redacted]');
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  return `: Twilio error ${typeof code === 'number' ? code : 'unknown'}${text ? ` (${text})` : ''}`;
}


