import { z } from 'zod';
import type { DeliveryStatus, DeliveryStatusReport } from '../../messaging/delivery-status.ts';

/**
 * Meta's webhook notification as far as Verity reads it: `entry[].changes[].value.statuses[]`
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). Messages users
 * send, template updates and other fields are taken and ignored.
 */
const StatusError = z.looseObject({
  code: z.number().int().meta({ description: 'Meta\'s error code, e.g. 131026 (message undeliverable).' }),
  title: z.string().optional(),
  message: z.string().optional(),
});

const Status = z.looseObject({
  id: z.string().min(1).meta({ description: 'The `wamid.…` id the send answered.' }),
  status: z.string().min(1).meta({ description: '`sent`, `delivered`, `read` or `failed` (others are ignored).' }),
  timestamp: z.string().regex(/^[0-9]{1,12}$/).meta({ description: 'Unix seconds.' }),
  recipient_id: z.string().optional(),
  errors: z.array(StatusError).optional().meta({ description: 'With `failed`: why.' }),
  pricing: z.looseObject({ billable: z.boolean().optional(), pricing_model: z.string().optional(), category: z.string().optional() }).optional().meta({ description: 'How Meta bills it (no amount: Meta reports prices only in its billing).' }),
});

export const WhatsAppNotification = z
  .looseObject({
    object: z.string().meta({ description: '`whatsapp_business_account`.' }),
    entry: z.array(
      z.looseObject({
        id: z.string().optional(),
        changes: z.array(
          z.looseObject({
            field: z.string(),
            value: z.looseObject({ statuses: z.array(Status).optional() }),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'WhatsAppNotification', description: 'A WhatsApp Business Account webhook notification.' });

export type WhatsAppNotification = z.infer<typeof WhatsAppNotification>;

/**
 * Meta's statuses in Verity's words. A message read was delivered (the `delivered` webhook may be
 * lost or late). `failed` comes after Meta accepted the message (the send answered its id) and could
 * not deliver it (not on WhatsApp, 131026; an unsupported app version…): `undelivered`, which lets the
 * dispatcher try the next route.
 */
const STATUSES: Readonly<Record<string, DeliveryStatus>> = { sent: 'sent', delivered: 'delivered', read: 'delivered', failed: 'undelivered' };

/** The delivery reports of one notification, in its order; statuses Verity does not read (`deleted`, `warning`) are left out. */
export function whatsAppReports(notification: WhatsAppNotification, instance: string): DeliveryStatusReport[] {
  const reports: DeliveryStatusReport[] = [];
  for (const entry of notification.entry) {
    for (const change of entry.changes) {
      for (const status of change.value.statuses ?? []) {
        const mapped = STATUSES[status.status];
        if (mapped === undefined) continue;
        const error = status.errors?.[0];
        reports.push({
          provider: instance,
          providerMessageId: status.id,
          status: mapped,
          at: Number(status.timestamp) * 1000,
          ...(error ? { errorCode: String(error.code), ...(error.title ?? error.message ? { errorMessage: (error.title ?? error.message) as string } : {}) } : {}),
        });
      }
    }
  }
  return reports;
}
