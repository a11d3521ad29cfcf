import type { z } from 'zod';
import type { ErrorCase } from './error-responses.ts';

/**
 * Who may call an operation: an account (HTTP Basic), a push device (bearer JWT), Bandwidth's
 * voice callbacks (HTTP Basic with the callback credentials), or anyone.
 */
type Caller = 'account' | 'device' | 'bandwidth' | 'none';

const SECURITY: Record<Caller, Array<Record<string, string[]>>> = {
  account: [{ accountAuth: [] }],
  device: [{ bearerAuth: [] }],
  bandwidth: [{ bandwidthCallbackAuth: [] }],
  none: [],
};

interface OperationSpec<P, Q, B, R> {
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  caller: Caller;
  params?: P;
  querystring?: Q;
  body?: B;
  /** Request headers the operation reads (a loose object: the other headers stay). */
  headers?: z.ZodType;
  /**
   * A body other than form or JSON parameters (a recording), by content type: Fastify checks only
   * the types listed (a schema that takes anything documents it and leaves the checks to the handler).
   */
  bodyContent?: Record<string, z.ZodType>;
  /**
   * Success responses: their description and, unless there is no body (204), their schema;
   * `contentType` when the body is not JSON (text, audio, a stream).
   */
  ok: { [S in keyof R]: { description: string; schema?: R[S]; contentType?: string; headers?: ResponseHeaders } };
  errors: ErrorCase[];
  /** The body's content types in the document, when not the API's form and JSON (a hosted page's form, a carrier's webhook). */
  consumes?: string[];
}

/** Response headers the document names (a redirect's `Location`), by name: their description and JSON schema. */
type ResponseHeaders = Record<string, { description: string; schema: Record<string, unknown> }>;

/**
 * A route's `schema`: what Fastify validates and serialises (params, querystring, body, response)
 * and what the OpenAPI document says about it. `okDescriptions`, `okHeaders` and `errors` are read only by the
 * document generator (openapi-plugin.ts).
 */
export function operation<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined, R extends Record<number, z.ZodType> = Record<number, z.ZodType>>(spec: OperationSpec<P, Q, B, R>) {
  const response = Object.fromEntries(
    Object.entries(spec.ok as Record<string, { schema?: z.ZodType; contentType?: string }>).flatMap(([status, ok]) =>
      // Fastify picks a response schema by content type when it is given as `content` (a text body is sent as is).
      ok.schema ? [[status, ok.contentType ? { content: { [ok.contentType]: { schema: ok.schema } } } : ok.schema]] : [],
    ),
  ) as R;
  const okDescriptions = Object.fromEntries(Object.entries(spec.ok as Record<string, { description: string }>).map(([status, ok]) => [status, ok.description]));
  const okHeaders = Object.fromEntries(Object.entries(spec.ok as Record<string, { headers?: ResponseHeaders }>).flatMap(([status, ok]) => (ok.headers ? [[status, ok.headers]] : [])));
  return {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: spec.description,
    security: SECURITY[spec.caller],
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.querystring ? { querystring: spec.querystring } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
    // Form-encoded as the official Twilio clients send them; a JSON object with the same keys too.
    ...(spec.body ? { body: spec.body, consumes: spec.consumes ?? ['application/x-www-form-urlencoded', 'application/json'] } : {}),
    ...(spec.bodyContent ? { body: { content: Object.fromEntries(Object.entries(spec.bodyContent).map(([type, schema]) => [type, { schema }])) } } : {}),
    response,
    okDescriptions,
    ...(Object.keys(okHeaders).length > 0 ? { okHeaders } : {}),
    errors: spec.errors,
    // The resource builders return loosely typed records: responses are checked against their
    // schema at run time in tests (validation.ts), so their static type is left open here.
  } as { params: P; querystring: Q; body: B; response: Record<number, z.ZodType<unknown>>; okDescriptions: Record<string, string>; errors: ErrorCase[] };
}
