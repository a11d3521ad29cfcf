import { z } from 'zod';
import { operation } from '../../http/schema/operation.ts';

/** The schemas of Vonage's delivery receipt webhook (vonage-dlr-routes.ts): GET query or POST form/JSON in, 204 out. */

const DLR_FIELDS = {
    messageId: z.string().optional().meta({ description: 'The part\'s message id, as the SMS API answered it.' }),
    status: z.string().optional().meta({ description: '`delivered`; `accepted`, `buffered` (sent); `expired`, `failed` (undelivered); `rejected` (failed); `unknown` (ignored).' }),
    'err-code': z.string().optional().meta({ description: 'Vonage\'s DLR error code (`0` delivered).' }),
    msisdn: z.string().optional().meta({ description: 'The recipient.' }),
    'client-ref': z.string().optional().meta({ description: 'Verity\'s attempt id, sent with the message.' }),
    'message-timestamp': z.string().optional().meta({ description: 'When Vonage got the receipt (UTC, `yyyy-MM-dd HH:mm:ss`).' }),
    timestamp: z.string().optional().meta({ description: 'Signed webhooks: Unix seconds; refused when more than 5 minutes from Verity\'s clock.' }),
    nonce: z.string().optional().meta({ description: 'Signed webhooks: random, signed with the rest.' }),
    sig: z.string().optional().meta({ description: 'Signed webhooks: the signature of every other parameter with `VERITY_VONAGE_SIGNATURE_SECRET` (`VERITY_VONAGE_SIGNATURE_METHOD`).' }),
};

const VonageDlr = z.looseObject(DLR_FIELDS).meta({ id: 'VonageDeliveryReceipt', description: 'The DLR parameters Verity reads (Vonage sends more, all covered by the signature).' });
/** The same parameters in a GET's query: written out in place (a query's parameters cannot be a shared schema). */
const VonageDlrQuery = z.looseObject(DLR_FIELDS);

const common = {
  tag: 'Messaging provider webhooks',
  caller: 'none' as const,
  ok: { 204: { description: 'Taken (no body): recorded, a repeat, or a status Verity does not track (`unknown`).' } },
  errors: [
    { code: 20001 as const, when: 'the parameters are not a DLR (no messageId or status, an unknown status, a malformed err-code).', message: 'Not a Vonage delivery receipt: status is missing' },
    { code: 20404 as const, when: 'no message of this instance has the `messageId` (yet: a DLR that overtook the send\'s answer); Vonage retries it.', message: 'No message of this provider instance has that messageId' },
    { code: 20003 as const, status: 401, when: '`sig` is missing or wrong, or `timestamp` is more than 5 minutes off (only when `VERITY_VONAGE_SIGNATURE_SECRET` is set).', message: 'The Vonage signature is missing, wrong or stale' },
  ],
};

const description = (how: string) =>
  `Called by Vonage, not by applications: the \`callback\` Verity gives each message it sends through a \`vonage\` provider instance, at \`/messaging/{instance}/dlr\`, one per part; ${how} The status goes to the send attempt (\`send_code_attempts\`). Present only when receipts are on (a signature secret, or unsigned DLRs explicitly allowed).`;

export const vonageDlrPostSchema = operation({
  ...common,
  operationId: 'vonageDeliveryReceipt',
  summary: 'Vonage: a message part\'s delivery receipt (POST)',
  description: description('POSTed as a form or JSON (the account\'s webhook method).'),
  body: VonageDlr,
  consumes: ['application/x-www-form-urlencoded', 'application/json'],
});

export const vonageDlrGetSchema = operation({
  ...common,
  operationId: 'vonageDeliveryReceiptGet',
  summary: 'Vonage: a message part\'s delivery receipt (GET)',
  description: description('as a GET with the parameters in the query (the account\'s webhook method).'),
  querystring: VonageDlrQuery,
});
