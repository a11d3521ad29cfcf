import { z } from 'zod';
import type { DeliveryStatus, DeliveryStatusReport } from '../../messaging/delivery-status.ts';

/**
 * The parts of a Telnyx messaging webhook Verity reads (developers.telnyx.com, "Receiving
 * webhooks for messaging"): `data.event_type`, and for `message.sent` / `message.finalized` the
 * message's `id`, its recipient's status, `errors` and `cost`. Telnyx sends more; it is all signed.
 */
export const TelnyxWebhook = z.looseObject({
  data: z.looseObject({
    event_type: z.string().meta({ description: '`message.sent` or `message.finalized` are read; other events (inbound `message.received`…) are acknowledged and ignored.' }),
    id: z.string().optional().meta({ description: 'The event\'s id (Telnyx retries a webhook with the same id).' }),
    occurred_at: z.string().optional().meta({ description: 'When it happened (ISO 8601).' }),
    payload: z
      .looseObject({
        id: z.string().min(1).meta({ description: 'Telnyx\'s message id, as the send answered it (`data.id`).' }),
        to: z.array(z.looseObject({ phone_number: z.string().optional(), status: z.string() })).min(1).meta({
          description: 'The recipient and its status: `sent`, `delivered`, `delivery_failed`, `sending_failed`, `delivery_unconfirmed` (also `queued`, `sending`, `expired`).',
        }),
        errors: z.array(z.looseObject({ code: z.union([z.string(), z.number()]).optional(), title: z.string().optional(), detail: z.string().optional() })).optional(),
        cost: z.looseObject({ amount: z.union([z.string(), z.number()]), currency: z.string() }).nullable().optional(),
      })
      .optional(),
  }),
}).meta({ id: 'TelnyxMessageWebhook', description: 'A Telnyx messaging webhook (JSON), signed with the account\'s Ed25519 key.' });

export type TelnyxWebhookBody = z.output<typeof TelnyxWebhook>;

/**
 * Telnyx's recipient statuses as delivery statuses. `delivery_failed`: the carrier could not
 * deliver it (undelivered); `sending_failed`: Telnyx never got it to a carrier (failed);
 * `delivery_unconfirmed`: sent, but the carrier gave no receipt, so it stays `sent`.
 */
const STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivery_unconfirmed: 'sent',
  delivered: 'delivered',
  delivery_failed: 'undelivered',
  expired: 'undelivered',
  sending_failed: 'failed',
};

/** The events that report an outbound message's progress. */
const STATUS_EVENTS = new Set(['message.sent', 'message.finalized']);

/**
 * The delivery status a signed Telnyx webhook reports, or why there is none: `ignored` for other
 * events and statuses Verity does not know (acknowledged, nothing recorded), `malformed` for a
 * status event without a message.
 */
export function telnyxReceipt(body: TelnyxWebhookBody, instance: string): DeliveryStatusReport | 'ignored' | 'malformed' {
  const { data } = body;
  if (!STATUS_EVENTS.has(data.event_type)) return 'ignored';
  const payload = data.payload;
  if (!payload) return 'malformed';
  const status = STATUSES[payload.to[0]?.status ?? ''];
  if (!status) return 'ignored';
  const error = payload.errors?.[0];
  const at = data.occurred_at ? Date.parse(data.occurred_at) : Number.NaN;
  const cost = payload.cost;
  return {
    provider: instance,
    providerMessageId: payload.id,
    status,
    ...(error?.code !== undefined ? { errorCode: String(error.code) } : {}),
    ...(error?.title || error?.detail ? { errorMessage: [error.title, error.detail].filter(Boolean).join(': ').slice(0, 300) } : {}),
    ...(cost && String(cost.amount) !== '' ? { price: { amount: String(cost.amount), currency: cost.currency.toUpperCase() } } : {}),
    ...(Number.isFinite(at) ? { at } : {}),
  };
}
