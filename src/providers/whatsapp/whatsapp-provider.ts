import { carrierApi, type CarrierApi } from '../carrier-api.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import { templateLanguage } from './whatsapp-settings.ts';

export interface WhatsAppProviderOptions {
  /** `https://graph.facebook.com/v23.0` (no trailing slash). */
  graphUrl: string;
  accessToken: string;
  phoneNumberId: string;
  /** The approved authentication template (copy-code button). */
  template: string;
  /** The languages it is approved in, the fallback first. */
  languages: readonly string[];
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/**
 * Meta's error codes that refuse a message before accepting it because of a rate, so a retry (later,
 * or on another route) cannot deliver it twice: 4 (app request limit), 80007 (WABA rate limit),
 * 130429 (Cloud API throughput), 131048 (spam rate limit), 131056 (too many messages to this user).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
const THROTTLED = new Set([4, 80007, 130429, 131048, 131056]);

/** Meta's `{error: {code, message, type}}`, without anything that could hold the code (`error_data.details` is never read). */
function metaError(payload: Record<string, unknown> | undefined, code: string): { code: number | undefined; text: string } {
  const error = payload?.['error'];
  if (typeof error !== 'object' || error === null) return { code: undefined, text: '' };
  const fields = error as Record<string, unknown>;
  const number = typeof fields['code'] === 'number' ? fields['code'] : undefined;
  let text = typeof fields['message'] === 'string' ? fields['message'] : '';
  // Meta's messages name parameters, not their values; redact the code should one ever appear.
  if (code !== '') text = text.split(code).join('[redacted]');
  if (text.length > 300) text = `${text.slice(0, 300)}…`;
  return { code: number, text };
}

/**
 * The authentication template of Meta's documentation ("Sending authentication templates"): the
 * code is the body's one parameter and the copy-code button's URL parameter (button index 0).
 */
export function authenticationTemplate(to: string, code: string, template: string, language: string): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template,
      language: { code: language },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: code }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: code }] },
      ],
    },
  };
}

/**
 * WhatsApp through Meta's Cloud API: one authentication template per code
 * (`POST <graph>/<phone-number-id>/messages`, Bearer token). Meta answers the message id
 * (`messages[0].id`, a `wamid.…`) that its status webhooks (whatsapp-routes.ts) name.
 */
export function createWhatsAppProvider(options: WhatsAppProviderOptions): DeliveryProvider {
  const api: CarrierApi = carrierApi({ carrier: 'WhatsApp', authorization: `Bearer ${options.accessToken}`, fetch: options.fetch, timeoutMs: options.timeoutMs });
  const url = `${options.graphUrl}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  return {
    name: 'whatsapp',
    receipts: true,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel !== 'whatsapp') throw new DeliveryError(`the whatsapp provider does not deliver the ${message.channel} channel`, { retryable: false });
      const code = message.code;
      if (code === undefined || code === '') throw new DeliveryError('a WhatsApp authentication template needs the code as its parameter', { retryable: false });
      const language = templateLanguage(message.locale, options.languages);
      const { ok, status, payload } = await api.post(url, { json: authenticationTemplate(message.to, code, options.template, language) }, 'send template');
      if (ok) {
        const messages = payload?.['messages'];
        const id = Array.isArray(messages) ? (messages[0] as Record<string, unknown> | undefined)?.['id'] : undefined;
        if (typeof id !== 'string' || id === '') throw new DeliveryError(`WhatsApp answered HTTP ${status} without messages[0].id`, { retryable: false });
        return { providerMessageId: id, status: 'queued' };
      }
      const error = metaError(payload, code);
      const retryable = status === 429 || (error.code !== undefined && THROTTLED.has(error.code));
      const detail = error.code === undefined ? '' : `: Meta error ${error.code}${error.text ? ` (${error.text})` : ''}`;
      throw new DeliveryError(`WhatsApp send template request failed with HTTP ${status}${detail}`, { retryable });
    },
  };
}
