import { z } from 'zod';
import { formRefusals, hostedOperation, pageForm, refusalPages, stepAnswer } from '../../http/routes/hosted-page-schema.ts';
import { SESSION, FACTOR } from '../../http/routes/handoff-pages-schema.ts';
import { enrollForm, ENROLL_FIELDS } from '../../http/routes/handoff-enroll-schema.ts';

/** The schemas of push approval on the hosted pages (push-routes.ts): its sign-in forms and its enrollment hub forms. */

/** `POST /handoff/push` */
export const pushSchema = hostedOperation({
  operationId: 'startHandoffPush',
  summary: 'Send a push approval for a hand-off (hosted page form)',
  description: 'The "Approve on your phone" form of the chooser: `session` and `factor` (a verified push factor of the user; the request must allow `push`). Creates a push challenge ("Sign in to <application>", the application\'s name as its one field) and shows the waiting page: the `number_match` to choose on the phone, and a small script of this server (CSP `script-src \'self\'`, `connect-src \'self\'`) that follows the challenge\'s progress stream and, on an outcome, posts `/handoff/push/continue`, which is also the page\'s button without script.',
  body: pageForm({ session: SESSION, factor: FACTOR }, ['session', 'factor']),
  answers: { 303: stepAnswer('the waiting page, or the chooser again when the push limit was reached') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow push, or the factor is not a verified push factor of the user.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/push/continue` */
export const pushContinueSchema = hostedOperation({
  operationId: 'continueHandoffPush',
  summary: 'Continue a hand-off after a push approval (hosted page form)',
  description: 'The waiting page\'s form: `session`. Reads the push challenge\'s status on the server (never the browser\'s word). Approved: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["swk"]`) and the session is spent. Denied or expired: the chooser again with the reason. Still pending: the waiting page again.',
  body: pageForm({ session: SESSION }, ['session']),
  answers: { 303: stepAnswer('the chooser with the reason (denied or expired), or the waiting page again (not decided yet)', 'Approved') },
  refusals: refusalPages(formRefusals({ 400: 'The session started no push.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/push/resend` */
export const pushResendSchema = hostedOperation({
  operationId: 'resendHandoffPush',
  summary: 'Send the pending push approval to the phone again (hosted page form)',
  description: 'The waiting page\'s "Resend push": `session`. Sends the session\'s pending push challenge to its device again (the same challenge, number and expiry), at most once per 30 seconds, the first 30 seconds after it was sent (and within the challenge Notifications limit); earlier, the waiting page again says how many seconds to wait and nothing is sent. A challenge decided meanwhile goes on as `/handoff/push/continue` does.',
  body: pageForm({ session: SESSION }, ['session']),
  answers: { 303: stepAnswer('the waiting page (resent, or the time to wait), or the chooser with the reason (denied or expired)', 'Approved meanwhile') },
  refusals: refusalPages(formRefusals({ 400: 'The session started no push.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/enroll/push` */
export const enrollPushSchema = enrollForm('startHandoffPushEnrollment', 'Add a push device (hosted page form)', 'Issues a single-use push enrollment token (at most 5 minutes, within the session; its `account_name`, which the device shows, is the request\'s `name`, else the device\'s name, never `sub`) shown as text and as a QR code, to paste into the virtual phone or `verity-authenticator enroll`.');

/** `POST /handoff/enroll/push/check` */
export const enrollPushCheckSchema = enrollForm('checkHandoffPushEnrollment', 'Check a new push device (hosted page form)', 'Looks on the server for a push factor of the user created since the token and verified by the device\'s signature: found → the hub; not yet → the page again with the reason; token expired → the hub with the reason.');

/** `POST /handoff/enroll/push/status` (the push set-up page's script) */
export const enrollPushStatusSchema = hostedOperation({
  operationId: 'handoffPushEnrollmentStatus',
  summary: 'Where a push device set-up stands (the set-up page\'s script)',
  description: '`session` only (the page\'s form token, not claimed: this read changes nothing, and the page\'s forms keep working); answers `{"state": …}`: `waiting` (no device used the token yet), `unconfirmed` (enrolled, not yet verified by the device), `added`, or `expired` (the token). The page\'s script asks every 2 s and posts `/handoff/enroll/push/check` on `added` or `expired`; refusals are the hosted pages\' HTML error pages, except the request limits\' 429 (JSON).',
  body: pageForm({ session: ENROLL_FIELDS.session }, ['session']),
  answers: { 200: { description: 'The state.', schema: z.object({ state: z.enum(['waiting', 'unconfirmed', 'added', 'expired']) }) } },
  refusals: refusalPages(formRefusals({ 403: 'The session expired or carries no enrollment grant.', 409: 'This enrollment was already finished.' }), true),
});
