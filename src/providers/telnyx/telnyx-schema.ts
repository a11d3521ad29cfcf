import { z } from 'zod';
import { operation } from '../../http/schema/operation.ts';
import { TelnyxWebhook } from './telnyx-receipt.ts';

/** The schema of Telnyx's message webhooks (telnyx-routes.ts): documentation only, the route checks the signed raw body itself. */

const TelnyxSignature = z.looseObject({
  'telnyx-signature-ed25519': z.string().meta({ description: 'Base64 Ed25519 signature of `${telnyx-timestamp}|${raw body}`, made with the account\'s key; verified with `VERITY_TELNYX_PUBLIC_KEY`.' }),
  'telnyx-timestamp': z.string().meta({ description: 'Unix seconds when Telnyx signed it; refused when more than 5 minutes from Verity\'s clock.' }),
});

export const telnyxEventsSchema = operation({
  operationId: 'telnyxMessageEvents',
  tag: 'Messaging provider webhooks',
  summary: 'Telnyx: a message status changed',
  description:
    'Called by Telnyx, not by applications; present only when a Telnyx instance delivers SMS (`/messaging/<instance>/events`, the `webhook_url` of each message Verity sends). ' +
    '`message.sent` and `message.finalized` events record the message\'s delivery status (delivered, undelivered, failed; `delivery_unconfirmed` stays sent), its error and its cost; other events are acknowledged and ignored.',
  caller: 'none',
  headers: TelnyxSignature,
  body: TelnyxWebhook,
  consumes: ['application/json'],
  ok: { 204: { description: 'Taken (recorded, a repeat of what was known, or an event Verity does not read).' } },
  errors: [
    { code: 20001, when: 'the body is not a Telnyx message event (not JSON, no `data.event_type`, a status event without `payload.id` or `payload.to`).', message: 'Malformed Telnyx webhook' },
    { code: 20003, status: 403, when: 'the signature is missing or does not verify with the account\'s public key, or the timestamp is over 5 minutes off.', message: 'The telnyx-signature-ed25519 header is missing or does not match the request' },
    { code: 20404, when: 'no message Verity sent through this instance has this id (yet): answered non-2xx so that Telnyx retries it, which covers a webhook that overtakes the send\'s own answer.', message: 'No message of this provider has this id' },
  ],
});
