import { z } from 'zod';

/**
 * The schemas of the admin console's routes: what its forms post, its queries and path parameters.
 * The console answers pages, never the API's JSON errors: a form that is missing a field, repeats
 * one or sends it in the wrong shape must reach the handler, which answers with the console's own
 * page (a 403 "form expired", the sign-in form again with its error, "service not found"). So every
 * field is `.catch(undefined)`: a value of the wrong shape is dropped (as the handlers always
 * treated it), the validation itself never fails, and the handler gets typed input. Fields the
 * console does not read pass through (`looseObject`: a browser may add its own). Hidden from the
 * OpenAPI document: the console is not an API.
 */

export const text = (description: string) => z.string().optional().catch(undefined).meta({ description });
export const csrfToken = () => text('The form\'s CSRF token (form-protection.ts): the session\'s, or on the sign-in form the sign-in cookie\'s.');
/** A form body; a post with no body at all (or not an object) reads as an empty form. */
export const form = <const Shape extends z.ZodRawShape>(shape: Shape) => z.looseObject(shape).catch({} as never);
const query = form;

export const serviceSid = z.object({ serviceSid: z.string().meta({ description: 'The service\'s SID (checked by the handler: a malformed one is "service not found").' }) });

export const signInPageSchema = {
  hide: true,
  querystring: query({ reason: text('Why the operator is here again: expired, signed-out (a notice on the page).'), next: text('The console path to open after signing in (safe-next.ts).') }),
};

export const signInSchema = {
  hide: true,
  body: form({ csrf_token: csrfToken(), account_sid: text('The Account SID.'), auth_token: text('The account\'s Auth Token.'), next: text('The console path to open after signing in.') }),
};

export const signOutSchema = { hide: true, body: form({ csrf_token: csrfToken() }) };

export const overviewSchema = { hide: true, querystring: query({ page: text('The page of services, from 0.') }) };

export const servicePageSchema = {
  hide: true,
  params: serviceSid,
  querystring: query({
    to: text('Only verifications to this destination.'),
    page: text('The page of verifications, from 0.'),
  }),
};

export const verificationPageSchema = {
  hide: true,
  params: serviceSid.extend({ verificationSid: z.string().meta({ description: 'The verification\'s SID (checked by the handler: a malformed one is "verification not found").' }) }),
};

export const deliveryPageSchema = { hide: true, querystring: query({ hours: text('The window of the delivery rates, in hours: 1, 24 or 168 (default 24).') }) };
