import { z } from 'zod';
import { formRefusals, formText, formToken, hostedOperation, pageForm, refusalPages, stepAnswer } from '../../http/routes/hosted-page-schema.ts';

/**
 * The schemas of the hosted passkey pages (passkey-routes.ts): the chooser's "Use a
 * passkey", the enrollment page, and what their scripts post (the credential's JSON or the
 * browser's error name).
 */

const SESSION = formToken();
const FACTOR = formText('The sid of the passkey factor the chooser offered.');
const RESPONSE = formText('The JSON of the browser\'s AuthenticationResponse or RegistrationResponse (`credential.toJSON()`).');
const ERROR = formText('The name of the browser\'s error when the ceremony failed (`NotAllowedError`, …).');

/** Every field a passkey step's handler reads. */
export type PasskeyFields = { session?: string; factor?: string; response?: string; error?: string };

/** `POST /handoff/passkey` */
export const passkeySchema = hostedOperation({
  operationId: 'startHandoffPasskey',
  summary: 'Start a passkey sign-in for a hand-off (hosted page form)',
  description: 'The "Use a passkey" form of the chooser: `session` and `factor` (a verified passkey factor of the user; the request must allow `passkeys`, and the service\'s `Passkeys.RelyingParty.Origins` must include Verity\'s public origin, whose host is the RP ID or under it). Opens a Verify challenge for that factor (until the session ends or 5 minutes, whichever is first: five attempts, the entity\'s lock-out) and shows the passkey page: its WebAuthn request options (the factor\'s credential only, the service\'s user verification) in a data attribute, and two scripts of this server (SimpleWebAuthn\'s browser bundle and the page\'s own) that call `navigator.credentials.get()` and post the result to `/handoff/passkey/verify`. Without script the page says that passkeys need JavaScript and offers "Try another way".',
  body: pageForm({ session: SESSION, factor: FACTOR }, ['session', 'factor']),
  answers: { 303: stepAnswer('the passkey page, or the chooser again when passkeys cannot run on this origin') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow passkeys, or the factor is not a verified passkey factor of the user.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/passkey/options` (the chooser's one-click passkey card) */
export const passkeyOptionsSchema = hostedOperation({
  operationId: 'handoffPasskeyOptions',
  summary: 'WebAuthn options for the chooser\'s one-click passkey card (its script)',
  description: 'Posted by the chooser\'s passkey card script when "Use a passkey" is clicked: `session` (the chooser\'s form token, not rotated: the chooser\'s forms keep working) and `factor`. Opens the same Verify challenge as `/handoff/passkey` (the factor\'s credential only, the service\'s user verification, at most 5 minutes) and answers its WebAuthn request options, which the script hands to `navigator.credentials.get()` right away, then posts the assertion to `/handoff/passkey/verify` (all checks on the server, as for the passkey page). `{"fallback": true}` (passkeys cannot run on this origin, any refusal of the session or form, a stale form; also the request limits\' 429, an HTML page): the script posts the card\'s form as without script, to the passkey page.',
  body: pageForm({ session: SESSION, factor: FACTOR }, ['session', 'factor']),
  answers: {
    200: {
      description: 'The options, or a fallback to the passkey page.',
      schema: z.union([z.object({ options: z.record(z.string(), z.unknown()) }), z.object({ fallback: z.literal(true) })]),
    },
  },
  refusals: refusalPages({}),
});

/** `POST /handoff/passkey/verify` */
export const passkeyVerifySchema = hostedOperation({
  operationId: 'verifyHandoffPasskey',
  summary: 'Answer a hand-off with a passkey (hosted page form)',
  description: 'Posted by the passkey page\'s script: `session`, `factor`, and either `response` (the AuthenticationResponseJSON, at most 16384 characters) or `error` (the name of the browser\'s error, such as `NotAllowedError`). The response answers the session\'s challenge for that factor: the signed challenge, origin, RP ID, user verification as the service requires and a signature counter that must increase are checked on the server. Verified: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["swk"]`) and the session is spent. Refused, cancelled or expired: the passkey page again with the specific reason and fresh options; too many failures for the entity: the chooser with the reason.',
  body: pageForm({ session: SESSION, factor: FACTOR, response: RESPONSE, error: ERROR }, ['session', 'factor']),
  answers: { 303: stepAnswer('the passkey page again with the specific reason and fresh options (refused, cancelled or expired), or the chooser with the reason (too many failures)', 'Verified') },
  refusals: refusalPages(formRefusals({ 400: 'The session started no passkey request for this factor.', 403: 'The user\'s account changed meanwhile.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/passkey/identify` */
export const passkeyIdentifySchema = hostedOperation({
  operationId: 'identifyHandoffPasskey',
  summary: 'Usernameless passkey sign-in for a hand-off (hosted page form)',
  description: 'A request with `purpose: "identify"` (no `sub`, `passkeys` in `factors`) opens the "Sign in with a passkey" page: WebAuthn request options without `allowCredentials` and with `userVerification: "required"` whatever the service\'s setting, used once. Its script posts here `session` and either `response` (the AuthenticationResponseJSON, at most 16384 characters) or `error` (the name of the browser\'s error). The server checks the options were issued and not used, the credential is a verified passkey of the service, the user handle is its entity, the signature, origin, RP ID, the UV flag and a signature counter that must increase. Identified: `303` to `return_to?result=<result JWT>&state=<state>` whose `sub` is the passkey\'s identity (`amr` `["swk"]`); the application looks the user up by it. Refused or cancelled: the page again with the reason, fresh options and a link back to the application.',
  body: pageForm({ session: SESSION, response: RESPONSE, error: ERROR }, ['session']),
  answers: { 303: stepAnswer('the page again with the reason and fresh options: cancelled or no passkey on this device, or a refused passkey (unknown credential, options used or expired, signature, user verification, counter; that page answers 400)', 'Identified') },
  refusals: refusalPages(formRefusals({ 400: 'The session is not for `purpose: identify`.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/enroll/passkey` */
export const enrollPasskeySchema = hostedOperation({
  operationId: 'startHandoffPasskeyEnrollment',
  summary: 'Add a passkey on the enrollment pages (hosted page form)',
  description: 'From the enrollment hub: `session`, which must hold the enrollment grant, with a request that allows `passkeys`. Creates an unverified passkey factor for the user (the entity is created for a user enrolling a first factor; WebAuthn `user.name` and `user.displayName` are the request\'s `name`, else the passkey\'s name, never `sub`; `user.id` is the opaque entity handle) with the passkey backend\'s registration options (attestation `none`, discoverable credential as the service prefers, its user verification, the user\'s passkeys excluded; valid 5 minutes) and shows the page whose script calls `navigator.credentials.create()` and posts the result to `/handoff/enroll/passkey/verify`.',
  body: pageForm({ session: SESSION }, ['session']),
  answers: { 303: stepAnswer('the page that creates the passkey') },
  refusals: refusalPages(formRefusals({ 400: 'The request does not allow passkeys, or the service\'s passkeys cannot run on Verity\'s origin.', 403: 'The session holds no enrollment grant.', 409: 'A result was already issued for this session.' })),
});

/** `POST /handoff/enroll/passkey/verify` */
export const enrollPasskeyVerifySchema = hostedOperation({
  operationId: 'verifyHandoffPasskeyEnrollment',
  summary: 'Finish adding a passkey (hosted page form)',
  description: 'Posted by the enrollment page\'s script: `session` and either `response` (the RegistrationResponseJSON) or `error` (the name of the browser\'s error). The passkey backend verifies the registration (challenge, origin, RP ID, user verification as required; a credential once per service) and the factor becomes verified: the page confirms it, with the way back to the enrollment hub. Refused, cancelled or expired: the page again with the specific reason and fresh options.',
  body: pageForm({ session: SESSION, response: RESPONSE, error: ERROR }, ['session']),
  answers: { 303: stepAnswer('that the passkey was added (with the way back to the hub), or the page again with the reason') },
  refusals: refusalPages(formRefusals({ 400: 'The session is adding no passkey.', 403: 'The session holds no enrollment grant.', 409: 'A result was already issued for this session.' })),
});
