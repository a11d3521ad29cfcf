import { z } from 'zod';
import { operation } from '../../http/schema/operation.ts';
import { PlivoStatusCallback } from './plivo-receipt.ts';

/** The schema of Plivo's message status callbacks (plivo-routes.ts): documentation only, the route checks the signed parameters itself. */

const PlivoSignature = z.looseObject({
  'X-Plivo-Signature-V3': z.string().meta({
    description:
      'One or more comma-separated base64 HMAC-SHA256 signatures, keyed with the Auth Token (`VERITY_PLIVO_AUTH_TOKEN`), of the URL (`VERITY_PUBLIC_URL` + path), `?`, the form parameters sorted by name as name+value, `.` and the nonce.',
  }),
  'X-Plivo-Signature-V3-Nonce': z.string().meta({ description: 'The nonce the signature covers.' }),
});

export const plivoStatusSchema = operation({
  operationId: 'plivoMessageStatus',
  tag: 'Messaging provider webhooks',
  summary: 'Plivo: a message status changed',
  description:
    'Called by Plivo, not by applications; present only when a Plivo instance delivers SMS (`/messaging/<instance>/status`, the `url` of each message Verity sends). ' +
    'Records the message\'s (or part\'s) status, Plivo\'s error code and the cost.',
  caller: 'none',
  headers: PlivoSignature,
  body: PlivoStatusCallback,
  consumes: ['application/x-www-form-urlencoded'],
  ok: { 200: { description: 'Taken (recorded, a repeat of what was known, or a status Verity does not read).' } },
  errors: [
    { code: 20001, when: 'the parameters lack `MessageUUID` or `Status`.', message: 'Malformed Plivo status callback' },
    { code: 20003, status: 403, when: 'X-Plivo-Signature-V3 or its nonce is missing or no signature in it matches.', message: 'The X-Plivo-Signature-V3 header is missing or does not match the request' },
    { code: 20404, when: 'no message Verity sent through this instance has this MessageUUID (yet): answered non-2xx so that Plivo retries it (after 1, 3 and 7 minutes), which covers a callback that overtakes the send\'s own answer.', message: 'No message of this provider has this id' },
  ],
});
