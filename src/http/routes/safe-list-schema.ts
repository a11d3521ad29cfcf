import { z } from 'zod';
import { API_ERRORS, BODY_ERRORS, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';

/**
 * Verify's SafeList: an account's numbers that the fraud guard never blocks. In Verity that guard is
 * the send gate's SMS-pumping prefix cap (60410); the country allow-list (60605), the per-number
 * send limit (60203) and the account's send budget (64301) still apply (docs/compatibility.md).
 */

const TAG = 'Safe List';
const numberDescription = 'An E.164 phone number (`+14155552671`).';

const SafeListCreateParams = field.fields({ PhoneNumber: field.required({ max: 16 }).meta({ description: numberDescription }) }).meta({ id: 'SafeListCreateParams' });

const SafeListNumber = z
  .object({
    sid: sid('GN', 'The entry\'s SID.'),
    phone_number: z.string().meta({ description: 'The number, E.164.' }),
    url: absoluteUrl('Absolute URL of this entry (the number URL-encoded).'),
  })
  .meta({ id: 'SafeListNumber', description: 'A number on the account\'s SafeList.' });

const SafeListPath = z.object({ phoneNumber: z.string().meta({ description: `${numberDescription} URL-encoded (\`%2B14155552671\`).` }) });

const notListed: ErrorCase = { code: 20404, when: 'the number is not on the authenticated account\'s SafeList (or is no E.164 number).', message: 'The requested resource /SafeList/Numbers/+14155552671 was not found' };
const guard = 'A send to a listed number skips the SMS-pumping prefix cap (60410) of every service of the account; every other check of the send gate still applies.';

export const createSafeListNumberSchema = operation({
  operationId: 'createSafeListNumber',
  tag: TAG,
  summary: 'Add a number to the SafeList',
  description: `Adds a number to the account's SafeList. ${guard} Adding a listed number again answers its entry.`,
  caller: 'account',
  body: SafeListCreateParams,
  ok: { 201: { description: 'The entry.', schema: SafeListNumber } },
  errors: [{ code: 60200, when: 'PhoneNumber missing or not an E.164 number.', message: 'Invalid parameter: PhoneNumber (expected an E.164 phone number such as +14155552671)' }, ...BODY_ERRORS, ...API_ERRORS],
});

export const fetchSafeListNumberSchema = operation({
  operationId: 'fetchSafeListNumber',
  tag: TAG,
  summary: 'Check a number on the SafeList',
  description: 'Answers the entry of a listed number, 20404 otherwise.',
  caller: 'account',
  params: SafeListPath,
  ok: { 200: { description: 'The entry.', schema: SafeListNumber } },
  errors: [notListed, ...API_ERRORS],
});

export const deleteSafeListNumberSchema = operation({
  operationId: 'deleteSafeListNumber',
  tag: TAG,
  summary: 'Remove a number from the SafeList',
  description: 'Removes the number: the prefix cap applies to it again from the next send.',
  caller: 'account',
  params: SafeListPath,
  ok: { 204: { description: 'Removed (no body).' } },
  errors: [notListed, ...API_ERRORS],
});
