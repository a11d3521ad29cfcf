import { describeFetchFailure, fetchNeverConnected, readJsonObject } from '../fetch-failure.ts';
import type { CarrierPrice } from '../../messaging/delivery-status.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import { isGsm7 } from '../smpp/gsm7.ts';
import { vonageSignature, type VonageSignatureMethod } from './vonage-signature.ts';
import { RETRYABLE_SEND_STATUSES, VONAGE_SEND_STATUSES } from './vonage-status.ts';

export interface VonageProviderOptions {
  apiKey: string;
  apiSecret: string;
  /** Given: each send is signed with it (`timestamp` + `sig`) instead of carrying the API secret. */
  signing?: { secret: string; method: VonageSignatureMethod } | undefined;
  from: string;
  /** Where Vonage posts the delivery receipts (`<public>/messaging/<instance>/dlr`); given, receipts are asked for. */
  callbackUrl?: string | undefined;
  /** The account's currency (Vonage's prices do not name it). */
  currency: string;
  apiBase: string;
  timeoutMs: number;
  /** Seconds since the epoch for signed requests. */
  now: () => number;
  fetch?: typeof globalThis.fetch;
}

/** One entry of the SMS API's `messages` answer: one per part of the message. */
interface SentPart {
  status: string;
  messageId: string | undefined;
  price: string | undefined;
  errorText: string | undefined;
}

/**
 * SMS through Vonage's SMS API (`POST /sms/json`): GSM-7 text as `type=text`, anything else as
 * `type=unicode`; Vonage splits a long message itself and answers one message id per part. With a
 * callback URL it asks for a delivery receipt per part (`status-report-req=1`, `callback`) and tags
 * the message with the attempt (`client-ref`).
 */
export function createVonageProvider(options: VonageProviderOptions): DeliveryProvider {
  const doFetch = options.fetch ?? globalThis.fetch;
  const url = `${options.apiBase}/sms/json`;

  function form(message: OutboundMessage): URLSearchParams {
    const params: Record<string, string> = {
      api_key: options.apiKey,
      from: options.from.replace(/^\+/, ''),
      // Vonage takes international numbers without the plus.
      to: message.to.replace(/^\+/, ''),
      text: message.body,
      type: isGsm7(message.body) ? 'text' : 'unicode',
      'client-ref': message.attemptId,
      ...(options.callbackUrl !== undefined ? { 'status-report-req': '1', callback: options.callbackUrl } : {}),
    };
    if (options.signing) {
      params['timestamp'] = String(Math.floor(options.now()));
      params['sig'] = vonageSignature(params, options.signing.secret, options.signing.method);
    } else {
      params['api_secret'] = options.apiSecret;
    }
    return new URLSearchParams(params);
  }

  return {
    name: 'vonage',
    receipts: options.callbackUrl !== undefined,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel !== 'sms') throw new DeliveryError(`the vonage provider does not deliver the ${message.channel} channel`, { retryable: false });
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form(message).toString(),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        // A timeout or a reset after connecting may come after Vonage took the message.
        throw new DeliveryError(`Vonage SMS API request failed: ${describeFetchFailure(err)}`, { retryable: fetchNeverConnected(err), cause: err });
      }
      const payload = await readJsonObject(response);
      if (response.status !== 200) {
        // 429 is refused before processing; a 5xx may come after Vonage acted.
        throw new DeliveryError(`Vonage SMS API answered HTTP ${response.status}`, { retryable: response.status === 429 });
      }
      return receiptOf(parts(payload), message, options.currency);
    },
  };
}

function parts(payload: Record<string, unknown> | undefined): SentPart[] {
  const messages = payload?.['messages'];
  if (!Array.isArray(messages)) return [];
  return messages.map((m: unknown) => {
    const entry = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    const text = (name: string) => (typeof entry[name] === 'string' ? (entry[name] as string) : typeof entry[name] === 'number' ? String(entry[name]) : undefined);
    return { status: text('status') ?? '', messageId: text('message-id'), price: text('message-price'), errorText: text('error-text') };
  });
}

/** The answer's parts as a receipt, or the refusal they say. */
function receiptOf(sent: SentPart[], message: OutboundMessage, currency: string): DeliveryReceipt {
  if (sent.length === 0) throw new DeliveryError('Vonage SMS API answered without messages', { retryable: false });
  const refused = sent.filter((part) => part.status !== '0');
  if (refused.length > 0) {
    const first = refused[0] as SentPart;
    const name = VONAGE_SEND_STATUSES[first.status] ?? 'unknown status';
    // The error text names the problem; it is dropped should it ever echo the message (the code).
    const text = first.errorText && !first.errorText.includes(message.body) ? `: ${first.errorText.slice(0, 200)}` : '';
    const accepted = sent.length - refused.length;
    // Retrying is safe only when Vonage took no part of the message and says to try again.
    const retryable = accepted === 0 && refused.every((part) => RETRYABLE_SEND_STATUSES.has(part.status));
    const partly = accepted > 0 ? ` (${accepted} of ${sent.length} parts were accepted)` : '';
    throw new DeliveryError(`Vonage SMS API refused the message: status ${first.status} ${name}${text}${partly}`, { retryable });
  }
  const ids = sent.map((part) => part.messageId);
  if (ids.some((id) => id === undefined || id === '')) throw new DeliveryError('Vonage SMS API accepted the message without a message-id', { retryable: false });
  const [first, ...rest] = ids as string[];
  const price = totalPrice(sent.map((part) => part.price), currency);
  return { providerMessageId: first as string, ...(rest.length > 0 ? { partIds: rest } : {}), parts: sent.length, status: 'queued', ...(price ? { price } : {}) };
}

/** The parts' prices added up exactly (decimal strings such as `0.03330000`), or undefined when one is missing. */
export function totalPrice(prices: readonly (string | undefined)[], currency: string): CarrierPrice | undefined {
  if (prices.length === 0 || prices.some((p) => p === undefined || !/^\d+(\.\d+)?$/.test(p))) return undefined;
  const scale = Math.max(...prices.map((p) => (p as string).split('.')[1]?.length ?? 0));
  const units = prices.reduce((sum, p) => {
    const [whole = '0', fraction = ''] = (p as string).split('.');
    return sum + BigInt(whole + fraction.padEnd(scale, '0'));
  }, 0n);
  const digits = units.toString().padStart(scale + 1, '0');
  const amount = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return { amount, currency };
}
