import { basicAuthorization, carrierApi, carrierRefusal } from '../carrier-api.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';

export interface PlivoProviderOptions {
  authId: string;
  authToken: string;
  /** API origin, e.g. `https://api.plivo.com`. */
  apiBase: string;
  /** Sender number or sender id (VERITY_SMS_FROM); unused with a Powerpack. */
  from: string;
  powerpackUuid?: string | undefined;
  /** Where Plivo posts the message's status callbacks: `<public URL>/messaging/<instance>/status`. */
  statusUrl: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/**
 * SMS through Plivo's Message API (`POST /v1/Account/{auth_id}/Message/`, HTTP Basic). Each message
 * asks for status callbacks (`url`, `method=POST`) to Verity, signed with X-Plivo-Signature-V3
 * (plivo-routes.ts). Plivo answers one `message_uuid` per part of a long message: the first is the
 * message's id, the others its part ids.
 */
export function createPlivoProvider(options: PlivoProviderOptions): DeliveryProvider {
  const api = carrierApi({ carrier: 'Plivo', authorization: basicAuthorization(options.authId, options.authToken), fetch: options.fetch, timeoutMs: options.timeoutMs });
  const url = `${options.apiBase.replace(/\/+$/, '')}/v1/Account/${encodeURIComponent(options.authId)}/Message/`;
  return {
    name: 'plivo',
    receipts: true,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel !== 'sms') throw new DeliveryError(`the plivo provider does not deliver the ${message.channel} channel`, { retryable: false });
      const body = {
        ...(options.powerpackUuid ? { powerpack_uuid: options.powerpackUuid } : { src: options.from }),
        dst: message.to,
        text: message.body,
        type: 'sms',
        url: options.statusUrl,
        method: 'POST',
      };
      const { ok, status, payload } = await api.post(url, { json: body }, 'send message');
      if (!ok) throw carrierRefusal(`Plivo send message failed with HTTP ${status}${plivoErrorSuffix(payload, message.body)}`, status);
      const uuids = payload?.['message_uuid'];
      if (!Array.isArray(uuids) || uuids.length === 0 || !uuids.every((id): id is string => typeof id === 'string' && id !== '')) {
        throw new DeliveryError(`Plivo send message answered HTTP ${status} without message_uuid`, { retryable: false });
      }
      const [first, ...others] = uuids;
      return { providerMessageId: first as string, parts: uuids.length, ...(others.length > 0 ? { partIds: others } : {}) };
    },
  };
}

/** Plivo's `error` text, with the message text removed should it echo it. */
function plivoErrorSuffix(payload: Record<string, unknown> | undefined, body: string): string {
  const error = payload?.['error'];
  let text = typeof error === 'string' ? error : error !== undefined ? JSON.stringify(error) : '';
  if (text === '') return '';
  if (body !== '') text = text.split(body).join('[redacted]');
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  return `: ${text}`;
}
