import type { z } from 'zod';
import { formRefusals, formText, formToken, hostedOperation, pageForm, refusalPages, stepAnswer } from './hosted-page-schema.ts';

/**
 * The schemas of the enrollment hub's forms (handoff-enroll-routes.ts): each posts the form token,
 * acts once and answers 303 to the session's page.
 */

/** The fields of the hub's forms (each form posts a few of them). */
export const ENROLL_FIELDS = {
  session: formToken(),
  code: formText('The code of a new authenticator app or of the code sent to a new phone.'),
  phone_number: formText('A new phone number (international format).'),
  channel: formText('How to send the code to a new phone: `sms` or `call`.'),
  factor: formText('The sid of the factor to rename or remove.'),
  friendly_name: formText('The new name of a factor.'),
};

/** Every field a hub step's handler reads (each form posts a few of them). */
export type EnrollFields = { [Field in keyof typeof ENROLL_FIELDS]?: string };

/** How the hub's forms are refused. */
const ENROLL_REFUSALS = refusalPages(
  formRefusals({ 400: 'The request does not offer the method this form adds.', 403: 'The session carries no enrollment grant (the user has not proven who they are on these pages), or its user changed.', 409: 'This enrollment was already finished.' }),
);

/** A form of the hub: the form token and `fields`, documented as required (the step answers a page without them). */
export function enrollForm(operationId: string, summary: string, description: string, fields: Array<Exclude<keyof typeof ENROLL_FIELDS, 'session'>> = [], result?: string) {
  const posted = ['session' as const, ...fields];
  const body = pageForm(Object.fromEntries(posted.map((field) => [field, ENROLL_FIELDS[field]])), posted) as z.ZodType<EnrollFields | undefined>;
  return hostedOperation({ operationId, summary, description, body, answers: { 303: stepAnswer('the next page of the hub, or the same page with the reason', result) }, refusals: ENROLL_REFUSALS });
}

const manage = 'Checked on the server at every step: the session holds the enrollment grant, and either the grant\'s `amr` is not empty (a factor proven on these pages in this session) or the factor was added in this session (a grant without proof may only undo its own additions; the hub shows no Rename/Remove for the rest); `factor` is looked up within the session\'s user only. Refused: the hub with the reason, and the session\'s page answers 403 (no step-up) or 404 (not a verified factor of this user: another user\'s, unknown, unverified, malformed), nothing changed.';
const lastMethod = 'Never the last method: refused (the hub with "This is your only sign-in method…", status 409) when the user would keep no verified factor, no unused recovery code and no phone the application vouches for (the request\'s `phone` with `sms` or `call`), unless the request carries `allow_remove_last: true`.';

/** `POST /handoff/enroll` */
export const enrollHubSchema = enrollForm('handoffEnrollmentHub', 'The enrollment hub (hosted page form)', 'A `purpose: enroll` hand-off\'s hub: "Account: <name>" (the request\'s `name`, never `sub`), the user\'s methods (each verified factor with its name, type and date added and, after a step-up, Rename and Remove; the recovery codes, how many of the set are unused; the phone the application vouches for, masked, when the request offers `sms` or `call`; "None yet" only when there is none of these) and a form per method the request offers (authenticator app, push device, passkey, voiceprint, phone number, recovery codes). Needs the session\'s enrollment grant.');

/** `POST /handoff/enroll/rename` */
export const enrollRenameSchema = enrollForm('renameHandoffMethod', 'Rename a sign-in method (hosted page form)', `Renames the user's verified factor \`factor\` (sid) to \`friendly_name\`: spaces collapsed, NFC, then the friendly-name rule (at most 32 characters, no control or invisible characters, no markup \`< > { }\`, no links or domain names, at most 3 digits), else the hub with the reason and status 400, the name unchanged. Renamed: the hub says so (no event is sent: the hosted API has none). ${manage}`, ['factor', 'friendly_name']);

/** `POST /handoff/enroll/remove` */
export const enrollRemoveSchema = enrollForm('confirmHandoffMethodRemoval', 'Ask to remove a sign-in method (hosted page form)', `The hub's "Remove" on factor \`factor\` (sid): removes nothing, shows "Remove this sign-in method?" with the button that posts \`/handoff/enroll/remove/confirm\`. ${manage} ${lastMethod}`, ['factor']);

/** `POST /handoff/enroll/remove/confirm` */
export const enrollRemoveConfirmSchema = enrollForm('removeHandoffMethod', 'Remove a sign-in method (hosted page form)', `Deletes factor \`factor\` (sid) as \`DELETE …/Factors/{Sid}\` does (its challenges, credentials and recordings with it), with \`factor.deleted\` in the same transaction, and shows the hub. ${manage} ${lastMethod} The check and the deletion run in one transaction with the user's entity row-locked, so two removals at once cannot both pass it.`, ['factor']);

/** `POST /handoff/enroll/done` */
export const enrollDoneSchema = enrollForm('finishHandoffEnrollment', 'Finish an enrollment hand-off (hosted page form)', 'The hub\'s "Done": `303` to `return_to?result=<result JWT>&state=<state>`. `amr` is the proof behind the grant (the step-up factor, or the phone code); for a user who had nothing to prove, what they proved on the hub (a method added and confirmed in this session, or the code to a new number). The result carries `phone_number` (E.164) when a number was confirmed on the hub. With nothing proven, the hub again with the reason.', [], 'Finished');
