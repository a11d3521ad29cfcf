import { z } from 'zod';
import { operation } from '../../http/schema/operation.ts';
import { WhatsAppNotification } from './whatsapp-receipt.ts';

/** The schemas of the WhatsApp Cloud API's webhook (whatsapp-routes.ts): one callback URL for the handshake and the notifications. */

const tag = 'Messaging provider webhooks';

const Handshake = z.object({
  'hub.mode': z.string().max(32).optional().meta({ description: '`subscribe`.' }),
  'hub.verify_token': z.string().max(512).optional().meta({ description: 'The verify token entered in the app\'s WhatsApp configuration (`VERITY_WHATSAPP_VERIFY_TOKEN`).' }),
  'hub.challenge': z.string().max(512).optional().meta({ description: 'Echoed back when the token matches.' }),
});

export const whatsAppHandshakeSchema = operation({
  operationId: 'whatsAppWebhookHandshake',
  tag,
  summary: 'WhatsApp: verify the callback URL',
  description:
    'Called by Meta, not by applications, when the callback URL (`/messaging/<instance>/webhook`) is saved in the app\'s WhatsApp configuration; present only when a WhatsApp Cloud API instance is configured. Answers `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token` matches (compared in constant time).',
  caller: 'none',
  querystring: Handshake,
  ok: { 200: { description: 'The challenge, as sent.', schema: z.string(), contentType: 'text/plain' } },
  errors: [{ code: 20003, status: 403, when: '`hub.mode` is not `subscribe` or the verify token does not match.', message: 'The WhatsApp webhook verify token does not match' }],
});

const Signature = z.looseObject({
  'x-hub-signature-256': z.string().meta({ description: '`sha256=` and the hex HMAC-SHA256 of the raw body keyed with the Meta app secret (`VERITY_WHATSAPP_APP_SECRET`).' }),
});

export const whatsAppNotificationSchema = operation({
  operationId: 'whatsAppWebhookNotification',
  tag,
  summary: 'WhatsApp: message statuses',
  description:
    'Called by Meta, not by applications (`/messaging/<instance>/webhook`, the app\'s callback URL subscribed to the `messages` field). Each `statuses[]` entry records the delivery status of the message it names: `sent`, `delivered`, `read` (recorded as delivered) or `failed` (recorded as undelivered, with Meta\'s error code). ' +
    'Everything else in a notification (messages users send, other fields) is acknowledged and ignored, and so is a status of a message Verity did not send through this instance: the callback URL serves the whole WhatsApp Business Account, and a non-200 answer would make Meta retry it for days.',
  caller: 'none',
  headers: Signature,
  body: WhatsAppNotification,
  consumes: ['application/json'],
  ok: { 200: { description: 'Taken (recorded, a repeat, or nothing Verity reads).' } },
  errors: [
    { code: 20001, when: 'the body is not a WhatsApp Business Account notification (not JSON, no `entry[].changes[]`, a status without `id`, `status` or `timestamp`).', message: 'Malformed WhatsApp webhook' },
    { code: 20003, status: 403, when: 'X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with the app secret.', message: 'The X-Hub-Signature-256 header is missing or does not match the request' },
  ],
});
