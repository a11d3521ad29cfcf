import { z } from 'zod';
import { operation } from '../../http/schema/operation.ts';

/** The schema of Kannel's dlr-url calls (kannel-dlr-routes.ts): the query Verity wrote into the dlr-url, with Kannel's escapes filled in. */

const KannelDlrQuery = z
  .object({
    attempt: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected Verity\'s attempt id')
      .meta({ description: 'Verity\'s id of the send attempt, written into the dlr-url by Verity.' }),
    token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'expected the dlr-url token')
      .meta({ description: 'base64url HMAC-SHA256 of the attempt id under a key derived from the master key for this provider instance; written into the dlr-url by Verity.' }),
    type: z
      .string()
      .regex(/^[0-9]{1,3}$/, 'expected Kannel\'s report type (%d)')
      .transform(Number)
      .refine((type) => (type & 0x1f) !== 0, 'expected a report type Verity asks for: 1, 2, 4, 8 or 16')
      .meta({ description: 'Kannel `%d`: 1 delivered, 2 undelivered (Kannel ≥ 1.5 may add 0x20 expired or 0x40 unknown), 4 buffered at the SMSC, 8 accepted by the SMSC, 16 rejected by the SMSC.' }),
    answer: z.string().max(1000).optional().meta({ description: 'Kannel `%A`: `ACK/`, `NACK/0x…/<reason>`, or the SMSC\'s receipt text (`stat:` and `err:` are read; the quoted `text:` never is).' }),
    ts: z
      .string()
      .regex(/^[0-9]{0,12}$/, 'expected Unix seconds (%T)')
      .transform((ts) => (ts === '' ? undefined : Number(ts)))
      .optional()
      .meta({ description: 'Kannel `%T`: Unix time of the report.' }),
    smsc: z.string().max(64).optional().meta({ description: 'Kannel `%i`: the smsc-id it went through (logged only).' }),
  })
  .meta({ description: 'The dlr-url Verity gave Kannel with the message, as Kannel calls it.' });

export const kannelDlrSchema = operation({
  operationId: 'kannelDeliveryReport',
  tag: 'Messaging provider webhooks',
  summary: 'Kannel: a delivery report',
  description:
    'Called by a Kannel gateway\'s smsbox, not by applications; present only with the Kannel provider, under its instance name (`/messaging/<instance>/dlr`, `kannel` when selected by `VERITY_SMS_PROVIDER`). Kannel cannot sign its calls: the dlr-url Verity gave it carries the attempt id and a token (an HMAC of the attempt id) that authenticates the call. The report updates the attempt\'s delivery status.',
  caller: 'none',
  querystring: KannelDlrQuery,
  ok: { 204: { description: 'Recorded (or a repeat: nothing changed).' } },
  errors: [
    { code: 60200, when: 'a parameter is missing or malformed (a report type Verity did not ask for).', message: 'Invalid parameter: type (expected Kannel\'s report type (%d))' },
    { code: 20003, status: 403, when: 'the token is not the attempt\'s: the URL was not one Verity gave Kannel.', message: 'The dlr-url token does not match the attempt' },
    { code: 20404, when: 'no attempt of this provider instance has this id (with a valid token: it was deleted). Kannel retries only with `http-request-retry` set.', message: 'No send attempt VL… of kannel' },
  ],
});
