import { z } from 'zod';
import { API_ERRORS, type ErrorCase } from '../../http/schema/error-responses.ts';
import { operation } from '../../http/schema/operation.ts';
import { pathSid } from '../../http/schema/resource-fields.ts';

/**
 * The schemas of a carrier's call webhooks (`POST <base>/:callSid/{answer,gather,record,<progress>}`),
 * built from what differs per carrier. They document the carrier's parameters and answers; the
 * routes take the body as sent (`takenAsSent`): a signature covers the raw parameters, and the
 * carrier's readers check every field they take.
 */

const tag = 'Voice provider webhooks';

const CallPath = z.object({
  callSid: pathSid('CL', 'Verity\'s call SID (`CL` + 32 hex) from the URLs Verity gave the platform, not the platform\'s own call id.'),
});

const SERVER_ERRORS = API_ERRORS.filter((c) => c.code === 20500 || c.code === 20503);

/** One call event: its name in the operation id, its summary and what it does. */
interface CallEventDoc {
  event: string;
  summary: string;
  description: string;
}

export interface CarrierWebhookDoc {
  /** `Twilio`, `Bandwidth`: the operation ids' prefix (lower case) and the summaries' first word. */
  carrier: string;
  /** The description's first and last sentences: who calls, when it exists, how it authenticates. */
  intro: string;
  outro: string;
  caller: 'none' | 'bandwidth';
  /** The request headers a call carries (a signature), if any. */
  headers?: z.ZodType;
  /** The parameters Verity reads, as a loose object (the carrier sends more). */
  body: z.ZodType;
  consumes: string;
  /** The markup answers: TwiML or BXML, their content type and an example. */
  markup: { name: string; contentType: string; example: string };
  refused: ErrorCase;
  answer: CallEventDoc;
  gather: CallEventDoc;
  record: CallEventDoc;
  progress: CallEventDoc;
}

/** The four operations of a carrier's call webhooks. */
export function callWebhookSchemas(doc: CarrierWebhookDoc) {
  const markup = {
    description: `${doc.markup.name} for the call's next step (a hang-up document when the call is unknown, over, or its verification is no longer pending).`,
    contentType: doc.markup.contentType,
    schema: z.string().meta({ examples: [doc.markup.example] }),
  };
  const common = (what: CallEventDoc) => ({
    operationId: `${doc.carrier.toLowerCase()}Voice${what.event}`,
    tag,
    summary: `${doc.carrier}: ${what.summary}`,
    description: `${doc.intro} ${what.description} ${doc.outro}`,
    caller: doc.caller,
    params: CallPath,
    ...(doc.headers ? { headers: doc.headers } : {}),
    body: doc.body,
    consumes: [doc.consumes],
    errors: [doc.refused, ...SERVER_ERRORS],
  });
  return {
    answer: operation({ ...common(doc.answer), ok: { 200: markup } }),
    gather: operation({ ...common(doc.gather), ok: { 200: markup } }),
    record: operation({ ...common(doc.record), ok: { 200: markup } }),
    progress: operation({ ...common(doc.progress), ok: { 204: { description: 'Recorded (no body). Refusals by the call engine are logged, never answered with an error.' } } }),
  };
}

export type CallWebhookSchemas = ReturnType<typeof callWebhookSchemas>;
