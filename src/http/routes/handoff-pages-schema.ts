import { z } from 'zod';
import { HANDOFF_SESSION_MS } from '../../handoff/handoff-session.ts';
import { HANDOFF_SEMANTICS } from './handoff-clients-schema.ts';
import { formRefusals, formText, formToken, HOSTED_SESSION, hostedOperation, HtmlPage, pageForm, refusalPages, seeOtherAnswer, stepAnswer } from './hosted-page-schema.ts';

/**
 * The schemas of the sign-in pages (handoff-routes.ts): the entry point `GET /handoff`, the
 * session's page and its way back, and the chooser's and waiting pages' forms. Each form posts
 * a few of these fields.
 */

/** The fields of the sign-in pages' forms (each form posts a few of them; the factors' schemas, src/hosted-factors/<factor>/<factor>-schema.ts). */
export const SESSION = formToken();
export const FACTOR = formText('The sid of the factor the chooser offered.');
export const CODE = formText('A code: from the authenticator app, a recovery code, the code sent to the phone, or a flash call\'s last digits.');
export const CHANNEL = formText('How to send a code to the phone: `sms` or `call`.');

const refusedRequest = 'No page shows the developer\'s reason (it goes to Verity\'s log, and signed to the application): when the signature verified and `return_to` and `state` check out, the page links back to `return_to?error=invalid_request&state=<state>&error_result=<JWT>` (`error=expired` for 64104); otherwise it says to go back to the application and sign in again, with no link.';

/** `GET /handoff?request=…` */
export const startHandoffSchema = hostedOperation({
  operationId: 'startHandoff',
  summary: 'Start a hand-off (hosted page)',
  description: `Where an application sends its user. Verifies the signed request and accepts it once (its \`jti\` is spent), stores the hand-off session bound to this browser (\`Set-Cookie\`) and answers \`303\` to the session's page \`GET /handoff/page/<id>\`, so the request URL never becomes a history entry; opening the same request link again in the same browser leads to its session (\`303\`), in any other browser it is "already used" (64107). The pages are HTML (strict CSP: scripts only from Verity, none inline; every page works without them except passkeys and voice recording). The session's page shows the user's verified factors that the request's \`factors\` allow (\`totp\`, \`push\`, \`recovery_code\`, \`passkeys\` when the service's relying party includes Verity's origin, \`voiceprint\`, and \`sms\`/\`call\`/\`flashcall\` when the request carries \`phone\`), each with its form; with \`purpose: enroll\`, the enrollment hub (docs/handoff.md). The pages speak the first of the request's \`ui_locales\` (space-separated BCP 47 tags) that Verity has — English, German, French, Spanish — else the browser's Accept-Language, else English. ${HOSTED_SESSION} Unauthenticated: the request's signature is the credential, then the browser's cookie. ${HANDOFF_SEMANTICS}`,
  querystring: z.looseObject({ request: formText('The signed request (compact JWS, at most 8192 characters).').meta({ maxLength: 8192 }) }).meta({ required: ['request'] }),
  answers: {
    303: seeOtherAnswer('Accepted: `Location` is the session\'s page `/handoff/page/<id>` (the chooser, the phone code or the enrollment hub).', 'The session\'s page.', {
      'Set-Cookie': { description: 'The browser binding: `verity_handoff=<32 random bytes, base64url>; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax` (`__Host-verity_handoff` and `Secure` over HTTPS); an existing one is kept and refreshed.', schema: { type: 'string' } },
    }),
  },
  refusals: refusalPages({
    400: `The request is missing, malformed (64101, a bad \`name\` or \`allow_remove_last\` included), lives too long (64105) or its \`return_to\` is not one of the client's return URLs (64108). ${refusedRequest}`,
    403: `The request is not from a known client (64102), its signature does not verify (64103), it expired (64104), its \`aud\` is not this Verity (64106), it was already used in another browser (64107) or its \`iat\` lies in the future (64109). ${refusedRequest}`,
  }),
});

const SessionId = (description: string) => z.object({ id: z.string().meta({ description, pattern: '^[A-Za-z0-9_-]{22}$' }) });

/** `GET /handoff/page/:id` */
export const showHandoffPageSchema = hostedOperation({
  operationId: 'showHandoffPage',
  summary: 'The page of a hand-off session (hosted page)',
  description: `Where \`GET /handoff\` and every form answer \`303\` to: the step the session is at, exactly as its last step rendered it (each form with the current form token). It acts on nothing (it only frees a session held over 60 s by a form request that died): reload, Back and Forward send no second code, text, call or push, open no challenge and issue no recovery codes. After the result, "You are done here" with "Continue to <app>" (\`/handoff/page/<id>/return\`, \`already_completed\`), never "already used"; after the session's ${HANDOFF_SESSION_MS / 60_000} minutes, the expired page (403) with the way back (\`expired\`). Needs the browser's binding cookie. ${HOSTED_SESSION}`,
  params: SessionId('The session id (16 random bytes, base64url). Not a credential: without the browser\'s cookie it opens nothing.'),
  answers: { 200: { description: 'The step\'s page, or the "done" page.', schema: HtmlPage, contentType: 'text/html' } },
  refusals: refusalPages({
    400: 'The page a refused step left with this status: the hub after a refused rename (the name), or the passkey sign-in page (`purpose: identify`) after a refused passkey (unknown credential, options used or expired, signature, user verification, counter).',
    403: 'The session belongs to another browser ("This sign-in page belongs to another browser", no link); or it expired: the expired page with the way back to the application; or the hub after a rename or removal refused for want of a step-up.',
    404: 'No such session: unknown, or deleted an hour after it expired ("no longer available": go back to the application, no link); or the hub after a rename or removal of a factor that is not the user\'s.',
    409: 'The hub after a refused removal of the user\'s only sign-in method; the voice set-up page of a user with no other factor (60300), or on a server without voiceprints.',
    429: 'Or the voice set-up page of a user with too many factors (no `Retry-After`).',
  }),
});

/** `GET /handoff/page/:id/return` */
export const returnFromHandoffSchema = hostedOperation({
  operationId: 'returnFromHandoff',
  summary: 'Back to the application without a result (hosted page link)',
  description: 'The way back from a session\'s pages (the chooser\'s cancel link, "Return to <app>" on an error page, "Continue to <app>" on the done page): `303` to `return_to?error=<code>&state=<state>&error_result=<JWT>` with an error result signed now (see the hand-off semantics): `already_completed` once the result was issued, `expired` once the session expired, else `access_denied` (the user left). It changes nothing: the session\'s pages stay as they were. Needs the browser\'s binding cookie.',
  params: SessionId('The session id.'),
  answers: { 303: seeOtherAnswer('`Location` is `return_to` with `error`, `state` and `error_result` added to its query.', 'The application\'s `return_to` with the error.') },
  refusals: refusalPages({
    403: 'The session belongs to another browser: no link.',
    404: 'No such session (unknown, or deleted an hour after it expired): go back to the application, no link.',
  }),
});

/** `POST /handoff/choose` */
export const chooseSchema = hostedOperation({
  operationId: 'handoffChooseAgain',
  summary: 'Back to the factor chooser (hosted page form)',
  description: '"Try another way" on every waiting page: `session` only; shows the chooser with the session\'s factors, so the user can fall back from one factor to another.',
  body: pageForm({ session: SESSION }, ['session']),
  answers: { 303: stepAnswer('the chooser') },
  refusals: refusalPages(formRefusals({})),
});
