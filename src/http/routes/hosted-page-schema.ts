import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';

/**
 * The schemas of the hosted hand-off pages' routes: what their forms post, their queries and path
 * parameters. These routes answer HTML pages (or JSON to a page's script), never the API's 60200,
 * and the flow already reads every field as the browser sent it: a missing, repeated or stray field
 * leads to the page it always led to (a form token that does not parse is the "session invalid"
 * page, an unknown factor the chooser again). So the schema types the handler and names the fields,
 * and the route's validator hands the input through untouched; the pages are left out of the
 * OpenAPI document (`hide`: they are not an API).
 */

/** A field of a hosted page's form, as the browser posts it. */
export const formText = (description: string) => z.string().optional().meta({ description });

/** The form token every form posts: `<session id>.<form nonce>`. */
export const formToken = () => formText('The form token: `<session id>.<form nonce>` (handoff-flow.ts).');

/** A form body (no body at all is allowed: it carries no fields). */
export const pageForm = <const Shape extends z.ZodRawShape>(shape: Shape) => z.object(shape).optional();

/** Takes the input as sent (see above): returning no `value` leaves the request untouched. Any route's schema will do. */
const asSent: (routeSchema: unknown) => ReturnType<FastifySchemaCompiler<unknown>> = () => () => ({});

/** A hosted page route's options: its schemas, hidden from the document, and the pass-through validator. */
export function hostedPage<const Parts extends { body?: z.ZodType; querystring?: z.ZodType; params?: z.ZodType; headers?: z.ZodType }>(parts: Parts) {
  return { schema: { ...parts, hide: true }, validatorCompiler: asSent };
}
