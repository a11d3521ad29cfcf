import { z } from 'zod';
import { operation } from '../../http/schema/operation.ts';

/** The schema of Twilio's message status callback (twilio-status-routes.ts): form parameters in, 204 out. */

const TwilioStatusCallback = z
  .looseObject({
    MessageSid: z.string().optional().meta({ description: 'The message (`SM…`/`MM…`): an SMS\'s callback.' }),
    MessageStatus: z.string().optional().meta({ description: '`queued`, `sending`, `sent`, `delivered`, `undelivered`, `failed`, `read` (and `accepted`, `scheduled`, `canceled`); others are taken and ignored.' }),
    ErrorCode: z.string().optional().meta({ description: 'Twilio\'s error code of an `undelivered` or `failed` message (e.g. `30003`).' }),
    CallSid: z.string().optional().meta({ description: 'The call (`CA…`) of a call that speaks the message: its end is its receipt.' }),
    CallStatus: z.string().optional().meta({ description: '`completed` (delivered), `busy`, `no-answer`, `canceled` (undelivered), `failed`.' }),
  })
  .meta({ id: 'TwilioStatusCallback', description: 'The parameters of Twilio\'s StatusCallback that Verity reads (Twilio sends more, all covered by the signature).' });

const TwilioSignature = z.looseObject({
  'X-Twilio-Signature': z.string().meta({
    description:
      'Twilio\'s signature: base64 HMAC-SHA1, keyed with the account auth token (`VERITY_TWILIO_WEBHOOK_AUTH_TOKEN`, default `VERITY_TWILIO_AUTH_TOKEN`), of the full URL (`VERITY_PUBLIC_URL` + path) followed by the sorted form parameters.',
  }),
});

export const twilioStatusSchema = operation({
  operationId: 'twilioMessageStatus',
  tag: 'Messaging provider webhooks',
  summary: 'Twilio: a message\'s delivery status changed',
  description:
    'Called by Twilio, not by applications: the `StatusCallback` Verity gives each message (and each call that speaks one) it sends through a `twilio` provider instance, at `/messaging/{instance}/status`. The status goes to the send attempt (`send_code_attempts`). Every request must carry a valid X-Twilio-Signature, else 403.',
  caller: 'none',
  headers: TwilioSignature,
  body: TwilioStatusCallback,
  consumes: ['application/x-www-form-urlencoded'],
  ok: { 204: { description: 'Taken (no body): recorded, a repeat, a status Verity does not track, or a message it does not know (Twilio does not retry status callbacks).' } },
  errors: [
    { code: 20001, when: 'the body is not a status callback (no MessageSid or CallSid, a malformed SID or error code, no status).', message: 'MessageStatus is missing' },
    { code: 20003, status: 403, when: 'X-Twilio-Signature is missing or does not match (wrong auth token, or a `VERITY_PUBLIC_URL` other than the one the message was sent with).', message: 'The X-Twilio-Signature header is missing or does not match the request' },
  ],
});
