import { carrierApi, carrierRefusal } from '../carrier-api.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';

export interface TelnyxProviderOptions {
  apiKey: string;
  /** API origin, e.g. `https://api.telnyx.com`. */
  apiBase: string;
  /** Sender: an E.164 number, short code or alphanumeric sender id (VERITY_SMS_FROM); may be empty with a messaging profile. */
  from: string;
  messagingProfileId?: string | undefined;
  /** Where Telnyx posts this instance's message webhooks: `<public URL>/messaging/<instance>/events`. */
  webhookUrl: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/**
 * SMS through Telnyx's Messaging API v2 (`POST /v2/messages`, Bearer API key). Each message names
 * Verity's webhook URL, so its `message.sent` / `message.finalized` events come back signed
 * (telnyx-routes.ts); the profile's own webhooks are not used for it.
 */
export function createTelnyxProvider(options: TelnyxProviderOptions): DeliveryProvider {
  const api = carrierApi({ carrier: 'Telnyx', authorization: `Bearer ${options.apiKey}`, fetch: options.fetch, timeoutMs: options.timeoutMs });
  const url = `${options.apiBase.replace(/\/+$/, '')}/v2/messages`;
  return {
    name: 'telnyx',
    receipts: true,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel !== 'sms') throw new DeliveryError(`the telnyx provider does not deliver the ${message.channel} channel`, { retryable: false });
      const body = {
        to: message.to,
        text: message.body,
        type: 'SMS',
        ...(options.from ? { from: options.from } : {}),
        ...(options.messagingProfileId ? { messaging_profile_id: options.messagingProfileId } : {}),
        webhook_url: options.webhookUrl,
        use_profile_webhooks: false,
      };
      const { ok, status, payload } = await api.post(url, { json: body }, 'send message');
      if (!ok) throw carrierRefusal(`Telnyx send message failed with HTTP ${status}${telnyxErrorSuffix(payload, message.body)}`, status);
      const data = payload?.['data'] as Record<string, unknown> | undefined;
      const id = data?.['id'];
      if (typeof id !== 'string' || id === '') throw new DeliveryError(`Telnyx send message answered HTTP ${status} without data.id`, { retryable: false });
      const parts = data?.['parts'];
      const cost = data?.['cost'] as { amount?: unknown; currency?: unknown } | null | undefined;
      return {
        providerMessageId: id,
        ...(typeof parts === 'number' && parts > 0 ? { parts } : {}),
        ...(cost && (typeof cost.amount === 'string' || typeof cost.amount === 'number') && typeof cost.currency === 'string'
          ? { price: { amount: String(cost.amount), currency: cost.currency.toUpperCase() } }
          : {}),
      };
    },
  };
}

/** Telnyx's first error (`errors[0]`: code, title, detail), with the message text removed should it echo it. */
function telnyxErrorSuffix(payload: Record<string, unknown> | undefined, body: string): string {
  const errors = payload?.['errors'];
  const first = Array.isArray(errors) ? (errors[0] as Record<string, unknown> | undefined) : undefined;
  if (!first) return '';
  let text = [first['title'], first['detail']].filter((part) => typeof part === 'string' && part !== '').join(': ');
  if (body !== '') text = text.split(body).join('[redacted]');
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  return `: Telnyx error ${typeof first['code'] === 'string' || typeof first['code'] === 'number' ? String(first['code']) : 'unknown'}${text ? ` (${text})` : ''}`;
}
