import { formRefusals, hostedOperation, pageForm, refusalPages, stepAnswer } from '../../http/routes/hosted-page-schema.ts';
import { SESSION, CODE } from '../../http/routes/handoff-pages-schema.ts';
import { enrollForm } from '../../http/routes/handoff-enroll-schema.ts';

/** The schemas of recovery codes on the hosted pages (recovery-code-routes.ts): its sign-in forms and its enrollment hub forms. */

/** `POST /handoff/recovery-code` */
export const recoveryCodeSchema = hostedOperation({
  operationId: 'submitHandoffRecoveryCode',
  summary: 'Answer a hand-off with a recovery code (hosted page form)',
  description: 'The form of the chooser page: `session` and `code`, one of the user\'s single-use recovery codes (counted in the entity\'s lock-out). Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["otp"]`) and the session is spent. Wrong: the page again with the reason.',
  body: pageForm({ session: SESSION, code: CODE }, ['session', 'code']),
  answers: { 303: stepAnswer('the page again with the reason (a wrong or used code, or locked out)', 'Accepted') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow recovery codes.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/enroll/recovery-codes` */
export const enrollRecoveryCodesSchema = enrollForm('issueHandoffRecoveryCodes', 'Get recovery codes (hosted page form)', 'Issues a new set of ten recovery codes; the previous set stops working (the hub warns of it first). The codes page is this step\'s page: reload, Back and Forward show the same codes until "I saved them — back to my sign-in methods" leads back to the hub; the button posted again from a stale page makes no new set.');
