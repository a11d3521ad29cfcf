import { z } from 'zod';
import type { DeliveryStatus, DeliveryStatusReport } from '../../messaging/delivery-status.ts';

const field = (description: string) => z.string().optional().meta({ description });

/**
 * The parameters of Plivo's message status callback Verity reads (docs.plivo.com, "Message Status
 * Callbacks"), form-encoded; Plivo sends more (From, To, MCC, MNC, Sequence, the times…), all signed.
 */
export const PlivoStatusCallback = z
  .looseObject({
    MessageUUID: z.string().min(1).meta({ description: 'Plivo\'s id of the message (of one part, for a long message sent as several).' }),
    Status: z.string().min(1).meta({ description: '`queued`, `sent`, `delivered`, `undelivered`, `failed` or `rejected`.' }),
    ErrorCode: field('Plivo\'s error code, for `failed` and `undelivered`.'),
    TotalAmount: field('What the message cost (TotalRate × Units), in the account\'s currency (USD).'),
    Units: field('How many SMS parts it was sent as.'),
  })
  .meta({ id: 'PlivoStatusCallback', description: 'A Plivo message status callback, signed with X-Plivo-Signature-V3.' });

export type PlivoStatusCallbackBody = z.output<typeof PlivoStatusCallback>;

/** Plivo's message statuses as delivery statuses; `rejected` (refused by Plivo or the carrier before sending) is a failure. */
const STATUSES: Readonly<Record<string, DeliveryStatus>> = {
  queued: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  rejected: 'failed',
};

/**
 * The delivery status a signed Plivo callback reports, or `ignored` for a status Verity does not
 * know (WhatsApp's `read`, inbound `received`). Plivo bills in US dollars, and its callbacks carry
 * no currency. Its times carry no zone either, so the report has the time it was received.
 */
export function plivoReceipt(body: PlivoStatusCallbackBody, instance: string): DeliveryStatusReport | 'ignored' {
  const status = STATUSES[body.Status];
  if (!status) return 'ignored';
  const errorCode = body.ErrorCode?.trim();
  const amount = body.TotalAmount?.trim();
  return {
    provider: instance,
    providerMessageId: body.MessageUUID,
    status,
    ...(errorCode && status !== 'delivered' && errorCode !== '000' ? { errorCode } : {}),
    ...(amount && /^\d+(\.\d+)?$/.test(amount) ? { price: { amount, currency: 'USD' } } : {}),
  };
}
