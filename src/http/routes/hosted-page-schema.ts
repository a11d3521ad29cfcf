import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { HANDOFF_SESSION_MS, HANDOFF_SESSION_RETENTION_MS } from '../../handoff/handoff-session.ts';
import { operation } from '../schema/operation.ts';

/**
 * The schemas of the hosted hand-off pages' routes (the "Hosted pages" of the OpenAPI document):
 * what their forms post, their queries and path parameters, and what they answer (HTML pages, 303
 * redirects, the JSON a page's script reads). They are written with `operation()` like every API
 * route, with one difference: a page never answers the API's 60200. The flow already reads every
 * field as the browser sent it, and a missing, repeated or stray field leads to the page it always
 * led to (a form token that does not parse is the "session invalid" page, an unknown factor the
 * chooser again). So the route's validator is lenient: input the schema takes is handed on as
 * parsed, any other input as sent, for the flow's own checks; the schema types the handler
 * (`string | undefined`, what the flows check) and documents the form.
 */

export const HOSTED_TAG = 'Hosted pages';
const FORM = 'application/x-www-form-urlencoded';
const HTML = 'text/html';

/** A field of a hosted page's form, as the browser posts it. */
export const formText = (description: string) => z.string().optional().meta({ description });

/** The form token every form posts: `<session id>.<form nonce>`. */
export const formToken = () =>
  z
    .string()
    .optional()
    .meta({ description: 'The form token of the page: `<session id>.<form nonce>` (16 random bytes each, base64url). It acts once; the page after the step carries a new one.', pattern: '^[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}$' });

/**
 * A form body: its fields, those the step needs listed as `required` in the document (the flow
 * answers a page when one is missing). Other fields are kept and ignored; no body at all is allowed.
 */
export const pageForm = <const Shape extends z.ZodRawShape>(shape: Shape, required: Array<keyof Shape & string> = []) =>
  z.looseObject(shape).meta(required.length > 0 ? { required } : {}).optional();

/**
 * Validates leniently (see above): returning no `value` leaves the request part as sent. Typed for
 * any route's schema (each route's type provider infers its own), the part's schema is a zod schema.
 */
const leniently: (routeSchema: unknown) => ReturnType<FastifySchemaCompiler<unknown>> = (routeSchema) => {
  const { schema } = routeSchema as { schema: z.ZodType };
  return (data) => {
    const result = schema.safeParse(data);
    return result.success && data !== null ? { value: result.data } : {};
  };
};

/** A hosted page route's options: its operation's schema and the lenient validator. */
export function hostedPage<const Schema extends object>(schema: Schema) {
  return { schema, validatorCompiler: leniently };
}

/** How the hosted pages keep a hand-off (handoff-flow.ts, src/handoff/handoff-session.ts; docs/handoff.md). */
export const HOSTED_SESSION = `The hand-off session lives on the server (table \`handoff_sessions\`; its state sealed with AES-256-GCM under the master key and bound to its row; usable ${HANDOFF_SESSION_MS / 60_000} minutes from the request; the row is deleted ${HANDOFF_SESSION_RETENTION_MS / 60_000} minutes after it expired), bound to the browser by a cookie: \`verity_handoff\` over HTTP, \`__Host-verity_handoff\` over HTTPS (\`Secure\`), 32 random bytes, \`HttpOnly\`, \`SameSite=Lax\` (sent with the top-level GET from the application's site, never with another site's POST), \`Path=/\`, \`Max-Age\` 24 h, refreshed by each new hand-off and shared by hand-offs in other tabs. Verity keeps only its SHA-256 and compares it in constant time: the session id, visible in URLs and logs, opens nothing without it (403 "This sign-in page belongs to another browser", no link). Every form posts the form token \`<session id>.<form nonce>\` (16 random bytes each, base64url) as \`session\`; a step claims the nonce with one conditional UPDATE (of concurrent submissions exactly one acts), acts once, gives the session a new nonce and answers \`303 See Other\` to the session's page \`GET /handoff/page/<id>\` (or to \`return_to\` with the result), so reload, Back and Forward repeat nothing: no second code, text, call or push, no new challenge, no new recovery codes. A stale form (double click, resubmit, an old tab, a page from the back-forward cache), or a finished or expired session, acts not at all: \`303\` to the session's page. A step refused inside the session answers an error page with the reason, "Back to the sign-in page" and "Return to <app>"; its form stays valid.`;

/** An HTML page (the body of every page answer and refusal). */
export const HtmlPage = z.string().meta({ description: 'An HTML page (strict CSP: scripts only from this server, none inline).' });
/** What a page's script gets when it is refused: a message in the page's language, and whether it may try again here. */
export const ScriptRefusal = z.object({ message: z.string(), retry: z.boolean() });

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } };
const LOCATION = (description: string) => ({ Location: { description, schema: { type: 'string' } } });

type Answer = { description: string; schema?: z.ZodType; contentType?: string; headers?: Record<string, { description: string; schema: Record<string, unknown> }> };

/** The request limits of every hosted route (src/http/hosted-rate-limits.ts): a 429 page, or JSON for a page's script, with Retry-After. */
export function limitsAnswer(json: boolean, also?: string): Answer {
  return {
    description: `${json ? '`{message, retry: true}` for the page\'s script' : 'An HTML page in the page\'s language that says when to try again'}: too many requests from this client IP or for this hand-off session (token buckets in the database, shared by every Verity process: \`VERITY_RATE_HOSTED_IP_*\`, \`VERITY_RATE_HOSTED_SESSION_*\`; the forms that text or call spend stricter ones too, \`VERITY_RATE_HOSTED_SEND_*\`), with \`Retry-After\` in seconds.${also ? ` ${also}` : ''}`,
    headers: RETRY_AFTER,
    ...(json ? { schema: ScriptRefusal } : { schema: HtmlPage, contentType: HTML }),
  };
}

/**
 * A page's refusals: an HTML error page per status (not the API's JSON errors), and the request
 * limits' 429 (JSON for an endpoint a page's script reads; a 429 entry of `refusals` is added to
 * its description).
 */
export function refusalPages(refusals: Record<number, string>, json = false): Record<number, Answer> {
  const pages = Object.entries(refusals).filter(([status]) => status !== '429');
  return {
    ...Object.fromEntries(pages.map(([status, description]) => [status, { description: `An HTML error page: ${description}`, schema: HtmlPage, contentType: HTML }])),
    429: limitsAnswer(json, refusals[429]),
  };
}

/** How every hosted form is refused before its step runs (handoff-flow.ts), followed by the step's own refusals. */
export function formRefusals(own: Record<number, string> = {}): Record<number, string> {
  const common: Record<number, string> = {
    400: 'The form token (`session`) is missing or malformed.',
    403: 'The session belongs to another browser (the request lacks its binding cookie, or carries another): "This sign-in page belongs to another browser", no link and nothing of the application.',
    404: 'No such session: unknown, or deleted an hour after it expired ("no longer available": go back to the application and start again, no link).',
  };
  const out: Record<number, string> = {};
  for (const status of new Set([...Object.keys(common), ...Object.keys(own)].map(Number))) out[status] = [common[status], own[status]].filter(Boolean).join(' ');
  return out;
}

/**
 * What a hosted form answers (POST → 303 → GET): 303 See Other to the session's page, which then
 * shows `next`; with `result`, the step may end the hand-off with a 303 to `return_to` instead.
 */
export function stepAnswer(next: string, result?: string): Answer {
  const toPage = `\`Location\` is the session's page \`/handoff/page/<id>\`, which now shows ${next}`;
  const stale = 'A stale form or a finished or expired session acts not at all and lands on that page too (the "done" or the expired page).';
  return {
    description: result ? `${result}: \`Location\` is \`return_to\` with \`result\` and \`state\` added to its query. Otherwise ${toPage}. ${stale}` : `${toPage}. ${stale}`,
    headers: LOCATION('The session\'s page, or `return_to` with the result.'),
  };
}

/** A redirect answer (303 See Other) with its `Location` and, optionally, more headers. */
export function seeOtherAnswer(description: string, location: string, headers: Answer['headers'] = {}): Answer {
  return { description, headers: { ...LOCATION(location), ...headers } };
}

interface HostedSpec<P, Q, B> {
  operationId: string;
  summary: string;
  /** What the page does; the document prefixes it with "**Verity extension.**". */
  description: string;
  params?: P;
  querystring?: Q;
  body?: B;
  headers?: z.ZodType;
  bodyContent?: Record<string, z.ZodType>;
  /** Its answers by status: the page, the 303, the JSON of a script. */
  answers: Record<number, Answer>;
  /** Its refusals (refusalPages): HTML pages, or JSON for a script, and the 429. */
  refusals: Record<number, Answer>;
}

/**
 * A hosted route's schema: an `operation()` under the "Hosted pages" tag, without a security scheme
 * (the application's signed request, then the browser's session cookie and the form token, are
 * the credentials), its form as `application/x-www-form-urlencoded`, and no API error: its
 * refusals are pages.
 */
export function hostedOperation<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(spec: HostedSpec<P, Q, B>) {
  const { answers, refusals, description, ...rest } = spec;
  return operation({
    ...rest,
    tag: HOSTED_TAG,
    caller: 'none',
    description: `**Verity extension.** ${description}`,
    // The refusals are answers of the page like any other (operation() documents every status it is given).
    ok: { ...answers, ...refusals } as Record<number, { description: string; schema?: z.ZodType; contentType?: string }>,
    errors: [],
    ...(spec.body ? { consumes: [FORM] } : {}),
  });
}
