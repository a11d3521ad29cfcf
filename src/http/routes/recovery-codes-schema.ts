import { z } from 'zod';
import { API_ERRORS, BODY_ERRORS, SERVICE_NOT_FOUND } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, extension, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { EntityPath, entityNotFound, lockedOut } from './factors-schema.ts';

/** Recovery codes (a Verity extension): issued once, then only counted; checked one at a time. */

const RECOVERY_CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const RecoveryCodesIssueParams = extension(field.fields({}), 'No parameters: an empty body.').meta({ id: 'RecoveryCodesIssueParams' });

const RecoveryCodeCheckParams = extension(
  field.fields({
    // Codes over 32 characters are refused by recovery-codes.ts with their own message; the schema stops at 64.
    Code: field.required({ max: 64 }).meta({ maxLength: 32, description: 'A recovery code; case, dashes and spaces do not matter, and O/I/L read as 0/1/1 (Crockford). Required.' }),
  }),
  '',
).meta({ id: 'RecoveryCodeCheckParams' });

const counts = {
  entity_sid: sid('YE', 'Entity SID.'),
  identity: z.string(),
  service_sid: sid('VA', 'Service SID.'),
  account_sid: sid('AC', 'Account SID.'),
  total: z.number().int().min(0).meta({ description: 'Codes in the current batch (10).' }),
  remaining: z.number().int().min(0).meta({ description: 'Codes not used yet.' }),
  date_created: z.string().nullable().meta({ format: 'date-time', description: 'When the current batch was issued (null: none yet).' }),
  url: absoluteUrl(),
};

const RecoveryCodes = extension(z.object(counts), 'The entity\'s recovery codes: counts only; the codes appear once, in the response that issues them.').meta({ id: 'RecoveryCodes' });

const IssuedRecoveryCodes = extension(
  z.object({
    ...counts,
    codes: z.array(z.string().regex(RECOVERY_CODE)).meta({ description: 'Only in the issuing response: 10 codes of 12 Crockford base32 symbols (60 bits each), stored only as argon2id hashes.' }),
  }),
  'A new batch of recovery codes, shown this once.',
).meta({ id: 'IssuedRecoveryCodes' });

const RecoveryCodeCheck = extension(
  z.object({
    entity_sid: sid('YE', 'Entity SID.'),
    identity: z.string(),
    valid: z.boolean().meta({ description: 'true once for a right, unused code (it is consumed); false for a wrong or used code (not an error, and counted toward the entity\'s lock-out).' }),
    remaining: z.number().int().min(0),
    amr: z.array(z.string()).nullable().meta({ description: 'RFC 8176 methods a valid code stands for (`["otp"]`), as a challenge\'s `amr`; null when the code was not valid.' }),
  }),
  'Whether a recovery code was valid.',
).meta({ id: 'RecoveryCodeCheck' });

export const issueRecoveryCodesSchema = operation({
  operationId: 'issueRecoveryCodes',
  tag: 'Entities',
  summary: 'Issue recovery codes (Verity extension)',
  description: '**Verity extension.** Issues 10 new single-use recovery codes for the entity (created if missing), shown once in this response; the previous batch stops working.',
  caller: 'account',
  params: EntityPath,
  body: RecoveryCodesIssueParams,
  ok: { 201: { description: 'The new batch, with its codes.', schema: IssuedRecoveryCodes } },
  errors: [{ code: 60200, when: 'Identity is not 8–64 dash-separated letters and digits.', message: 'Invalid parameter: Identity' }, SERVICE_NOT_FOUND, ...API_ERRORS],
});

export const fetchRecoveryCodesSchema = operation({
  operationId: 'fetchRecoveryCodes',
  tag: 'Entities',
  summary: 'Count recovery codes (Verity extension)',
  description: '**Verity extension.** How many recovery codes the entity has and how many are unused; never the codes.',
  caller: 'account',
  params: EntityPath,
  ok: { 200: { description: 'The counts.', schema: RecoveryCodes } },
  errors: [entityNotFound, ...API_ERRORS],
});

export const checkRecoveryCodeSchema = operation({
  operationId: 'checkRecoveryCode',
  tag: 'Entities',
  summary: 'Use a recovery code (Verity extension)',
  description:
    '**Verity extension.** Consumes a right, unused code (exactly once, even under concurrent use) and answers `valid: true` with `amr: ["otp"]`; emits `recovery_code.used`. Wrong codes count toward the entity\'s lock-out, shared with its challenges.',
  caller: 'account',
  params: EntityPath,
  body: RecoveryCodeCheckParams,
  ok: { 200: { description: 'Whether the code was valid, and how many remain.', schema: RecoveryCodeCheck } },
  errors: [{ code: 60200, when: 'Code is missing or longer than 32 characters.', message: 'Invalid parameter: Code (required)' }, lockedOut, entityNotFound, ...BODY_ERRORS, ...API_ERRORS],
});
