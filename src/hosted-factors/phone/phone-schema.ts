import { formRefusals, hostedOperation, pageForm, refusalPages, stepAnswer } from '../../http/routes/hosted-page-schema.ts';
import { SESSION, CODE, CHANNEL } from '../../http/routes/handoff-pages-schema.ts';
import { enrollForm } from '../../http/routes/handoff-enroll-schema.ts';

/** The 429 of every step that sends a code or places a call: the hand-off session's send budget. */
const SEND_BUDGET_SPENT = 'Or the session\'s budget is spent (`VERITY_HANDOFF_SESSION_MAX_SENDS` codes and calls, to `VERITY_HANDOFF_SESSION_MAX_NUMBERS` numbers; none once its wrong codes are spent): an error page without `Retry-After`, nothing sent.';

/** The 429 of every step that checks a code: the hand-off session's wrong codes. */
const WRONG_CODES_SPENT = 'Or the session\'s wrong codes are spent (`VERITY_HANDOFF_SESSION_MAX_WRONG_CODES`): an error page without `Retry-After`; the user starts again from the application.';

/** The schemas of the application's phone (a code by SMS or call, a call to approve, a missed call) on the hosted pages (phone-routes.ts): its sign-in forms and its enrollment hub forms. */

/** `POST /handoff/phone` */
export const phoneSchema = hostedOperation({
  operationId: 'startHandoffPhoneCode',
  summary: 'Send a code to the user\'s phone for a hand-off (hosted page form)',
  description: 'The "Text me a code" / "Call me with a code" form of the chooser: `session` and `channel` (`sms` or `call`, allowed by the request, which must carry `phone`). Starts a verification of the request\'s service to that number (its send limits and the session\'s budget apply) and shows the code form, which names the number with all but its last 2 digits hidden. For a call the form also follows the call live (the `/handoff/assets/handoff-call.js` script reads the verification\'s progress stream; CSP `script-src \'self\'`, `connect-src \'self\'`) and offers to call again or text instead.',
  body: pageForm({ session: SESSION, channel: CHANNEL }, ['session', 'channel']),
  answers: { 303: stepAnswer('the code form, or the chooser again with the reason when no code could be sent') },
  refusals: refusalPages(formRefusals({ 400: 'The request allows no code to a phone by that channel.', 409: 'A result was already issued for this session.', 429: SEND_BUDGET_SPENT })),
});

/** `POST /handoff/phone/check` */
export const phoneCheckSchema = hostedOperation({
  operationId: 'checkHandoffPhoneCode',
  summary: 'Answer a hand-off with the code sent to the phone (hosted page form)',
  description: 'The code form: `session` and `code`, checked as a verification check (five attempts). Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["sms"]` or `["tel"]`, RFC 8176) and the session is spent. Wrong: the code form again; too many wrong codes or an expired code: the chooser again with the reason.',
  body: pageForm({ session: SESSION, code: CODE }, ['session', 'code']),
  answers: { 303: stepAnswer('the code form again with the reason (a wrong code), or the chooser with the reason (too many wrong codes, or the code expired)', 'Approved') },
  refusals: refusalPages(formRefusals({ 400: 'The session sent no code.', 409: 'A result was already issued for this session.', 429: WRONG_CODES_SPENT })),
});

/** `POST /handoff/call` */
export const callSchema = hostedOperation({
  operationId: 'startHandoffCallApproval',
  summary: 'Approve a hand-off with a call (hosted page form)',
  description: 'The "Approve with a call" form of the chooser: `session` (the request must allow `call` and carry `phone`). Starts a call verification to that number with `VoiceFlow=press_one` and `NumberMatch` (the application\'s name is spoken) and shows the waiting page: the two digits to key in on the call, and a small script of this server (CSP `script-src \'self\'`, `connect-src \'self\'`) that shows the call\'s progress from the verification\'s event stream and, on an outcome, posts `/handoff/call/continue`, which is also the page\'s button without script. Posting it again calls again.',
  body: pageForm({ session: SESSION }, ['session']),
  answers: { 303: stepAnswer('the waiting page, or the chooser again with the reason when no call could be placed') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow calls to a phone.', 409: 'A result was already issued for this session.', 429: SEND_BUDGET_SPENT })),
});

/** `POST /handoff/call/continue` */
export const callContinueSchema = hostedOperation({
  operationId: 'continueHandoffCallApproval',
  summary: 'Continue a hand-off after a call approval (hosted page form)',
  description: 'The call waiting page\'s form: `session`. Reads the verification\'s status on the server (never the browser\'s word). Approved: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["tel"]`) and the session is spent. Denied, expired, or a call that ended without the digits: the chooser again with the reason. Call still in progress: the waiting page again.',
  body: pageForm({ session: SESSION }, ['session']),
  answers: { 303: stepAnswer('the chooser with the reason (denied or expired), or the waiting page again (not decided yet)', 'Approved') },
  refusals: refusalPages(formRefusals({ 400: 'The session started no call approval.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/flashcall` */
export const flashCallSchema = hostedOperation({
  operationId: 'startHandoffFlashCall',
  summary: 'Give the user a missed call for a hand-off (hosted page form)',
  description: 'The "Missed call" form of the chooser: `session` (the request must allow `flashcall` and carry `phone`; offered only when flash calls are configured). Starts a `Channel=flashcall` verification to that number and shows the form for the caller id\'s last digits, which names the caller ids\' prefix and how many digits to enter, and follows the call\'s progress with the same script. Posting it again calls again.',
  body: pageForm({ session: SESSION }, ['session']),
  answers: { 303: stepAnswer('the form for the last digits, or the chooser again with the reason when no call could be placed') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow flash calls to a phone.', 409: 'A result was already issued for this session.', 429: SEND_BUDGET_SPENT })),
});

/** `POST /handoff/flashcall/check` */
export const flashCallCheckSchema = hostedOperation({
  operationId: 'checkHandoffFlashCall',
  summary: 'Answer a hand-off with the missed call\'s last digits (hosted page form)',
  description: 'The flash call form: `session` and `code` (the caller id\'s last digits, or the whole caller id), checked as a verification check (five attempts). Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["tel"]`) and the session is spent. Wrong: the form again; too many wrong entries or an expired call: the chooser again with the reason.',
  body: pageForm({ session: SESSION, code: CODE }, ['session', 'code']),
  answers: { 303: stepAnswer('the form again with the reason (wrong digits), or the chooser with the reason (too many wrong entries, or the call expired)', 'Approved') },
  refusals: refusalPages(formRefusals({ 400: 'The session started no flash call.', 409: 'A result was already issued for this session.', 429: WRONG_CODES_SPENT })),
});

/** `POST /handoff/enroll/phone` */
export const enrollPhoneSchema = enrollForm('startHandoffPhoneEnrollment', 'Add a phone number (hosted page form)', 'Validates `phone_number` (libphonenumber-js, international format) and sends a code to it by `channel` (`sms` or `call`, offered by the request) with the service\'s send limits.', ['phone_number', 'channel']);

/** `POST /handoff/enroll/phone/check` */
export const enrollPhoneCheckSchema = enrollForm('checkHandoffPhoneEnrollment', 'Confirm a new phone number (hosted page form)', 'The code sent to the new number: approved → the hub; the number is returned to the application in the result as `phone_number` (Verity keeps no phone factor).', ['code']);
