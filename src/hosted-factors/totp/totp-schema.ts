import { formRefusals, hostedOperation, pageForm, refusalPages, stepAnswer } from '../../http/routes/hosted-page-schema.ts';
import { SESSION, FACTOR, CODE } from '../../http/routes/handoff-pages-schema.ts';
import { enrollForm } from '../../http/routes/handoff-enroll-schema.ts';

/** The schemas of TOTP (an authenticator app) on the hosted pages (totp-routes.ts): its sign-in forms and its enrollment hub forms. */

/** `POST /handoff/totp` */
export const totpSchema = hostedOperation({
  operationId: 'submitHandoffTotp',
  summary: 'Answer a hand-off with a TOTP code (hosted page form)',
  description: 'The form of the chooser page: `session` (the form token), `factor` (the TOTP factor sid) and `code`. The code answers the challenge opened for that factor when the session\'s chooser was made (showing the page again opens none), so the challenge\'s five attempts, the single use of a time step and the entity\'s lock-out all apply. Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["otp"]`) and the session is spent. Wrong: the page again with the reason and the attempts left.',
  body: pageForm({ session: SESSION, factor: FACTOR, code: CODE }, ['session', 'factor', 'code']),
  answers: { 303: stepAnswer('the page again with the reason and the attempts left (a wrong code), or that the attempts are spent or the user is locked out', 'Approved') },
  refusals: refusalPages(formRefusals({ 400: 'The session started no challenge for this factor.', 403: 'The factor\'s challenge expired or was used up.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/enroll/totp` */
export const enrollTotpSchema = enrollForm('startHandoffTotpEnrollment', 'Add an authenticator app (hosted page form)', 'Creates an unverified TOTP factor and shows its QR code (inline SVG), its `otpauth://` link (label `Issuer:<name>`: the request\'s `name`, else the factor\'s name, never `sub`; colons become spaces) and its secret in groups of 4 for typing in. The same page again (reload, Back) reuses the factor not yet verified.');

/** `POST /handoff/enroll/totp/verify` */
export const enrollTotpVerifySchema = enrollForm('verifyHandoffTotpEnrollment', 'Confirm a new authenticator app (hosted page form)', 'The first code of the new app: right → the factor is verified and the hub says so; wrong → the QR page again (5 tries, then the factor is removed).', ['code']);
