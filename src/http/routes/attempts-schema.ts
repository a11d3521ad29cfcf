import { z } from 'zod';
import { API_ERRORS, PAGE_ERRORS, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, listOf, pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';

/**
 * Verify's VerificationAttempts and VerificationAttemptsSummary: account-level analytics of the
 * sends of codes. One attempt per send (`send_code_attempts[].attempt_sid`, `VL…`), whatever
 * service sent it; an account sees only its own.
 */

const TAG = 'Verification Attempts';
const WINDOW = 'Without `DateCreatedAfter`/`DateCreatedBefore` the window is the 30 days up to now (the history the hosted API keeps); both are inclusive.';

const channels = 'sms, call, email or whatsapp (any case; `rbm` is accepted and matches nothing: Verity does not send RBM)';
const CommonFilters = {
  DateCreatedAfter: field.string({ max: 40 }).meta({ format: 'date-time', description: 'Only attempts created at or after this time (ISO 8601, `2026-01-01T00:00:00Z`). Default: 30 days before DateCreatedBefore.' }),
  DateCreatedBefore: field.string({ max: 40 }).meta({ format: 'date-time', description: 'Only attempts created at or before this time (ISO 8601). Default: now.' }),
  Country: field.string({ pattern: /^[A-Za-z]{2}$/, why: 'expected an ISO 3166-1 alpha-2 country code' }).meta({ description: 'Only attempts to numbers of this country (ISO 3166-1 alpha-2, any case).' }),
  Channel: field.string({ pattern: /^(sms|call|email|whatsapp|rbm)$/i, why: `expected ${channels}` }).meta({ description: `Only attempts over this channel: ${channels}. A flash call counts as \`call\`.` }),
  VerifyServiceSid: field.string({ pattern: /^VA[0-9a-f]{32}$/, why: 'expected VA followed by 32 hex characters' }).meta({ description: 'Only attempts of this service.' }),
};

const AttemptListQuery = field.fields({
  ...PageQuery.out.shape,
  ...CommonFilters,
  'ChannelData.To': field.string({ max: 320 }).meta({ description: 'Only attempts to this destination (E.164 number or e-mail address; normalised as a verification\'s `To` is).' }),
  VerificationSid: field.string({ pattern: /^VE[0-9a-f]{32}$/, why: 'expected VE followed by 32 hex characters' }).meta({ description: 'Only the attempts of this verification.' }),
  Status: field.string({ pattern: /^(converted|unconverted)$/i, why: 'expected converted or unconverted' }).meta({ description: 'Only `converted` (the verification was approved) or `unconverted` attempts (any case).' }),
});

const SummaryQuery = field.fields({
  ...CommonFilters,
  DestinationPrefix: field.string({ pattern: /^\+?[0-9]{1,15}$/, why: 'expected the leading digits of an E.164 number, such as +4420' }).meta({ description: 'Only attempts to numbers starting with this prefix (E.164: `+` and digits; the `+` may be left out).' }),
});

const Price = z
  .object({ value: z.string().meta({ description: 'The carrier\'s price as it reported it (a decimal string).' }), currency: z.string().meta({ description: 'ISO 4217, lower case.' }) })
  .nullable()
  .meta({ description: 'What the carriers charged for this send (every message of it, a failover\'s too), when they reported a price; else null.' });

const ChannelData = z
  .record(z.string(), z.unknown())
  .meta({
    description:
      'The send as the channel saw it: `to`, and for a message channel `message_status` (the last provider\'s status in upper case: `SENDING`, `QUEUED`, `SENT`, `DELIVERED`, `UNDELIVERED`, `FAILED`, `REJECTED`), `error_code` (the carrier\'s, or null) and `number_segments` (SMS parts, when the carrier said).',
  });

const VerificationAttempt = z
  .object({
    sid: sid('VL', 'The send\'s SID (`send_code_attempts[].attempt_sid` of its verification).'),
    account_sid: sid('AC', 'Account SID.'),
    service_sid: sid('VA', 'The service that sent it.'),
    verification_sid: sid('VE', 'The verification it sent the code of.'),
    date_created: dateTime('When the code was sent,'),
    date_updated: dateTime('Last change (conversion or delivery status),'),
    conversion_status: z.enum(['converted', 'unconverted']).meta({ description: '`converted` once the verification is approved (every attempt of it), else `unconverted`.' }),
    channel: z.enum(['sms', 'call', 'email', 'whatsapp']).meta({ description: 'The channel (a flash call is `call`).' }),
    price: Price,
    channel_data: ChannelData,
    url: absoluteUrl('Absolute URL of this attempt.'),
  })
  .meta({ id: 'VerificationAttempt', description: 'One send of a verification\'s code.' });

const VerificationAttemptList = listOf('attempts', VerificationAttempt, 'VerificationAttemptList', 'A page of the account\'s verification attempts, newest first.');

const Summary = z
  .object({
    total_attempts: z.number().int().meta({ description: 'Attempts the filters select.' }),
    total_converted: z.number().int().meta({ description: 'Of those, converted (their verification was approved).' }),
    total_unconverted: z.number().int().meta({ description: 'Of those, not converted.' }),
    conversion_rate_percentage: z.number().meta({ description: '(total_converted / total_attempts) × 100, two decimals; 0 without attempts.' }),
    url: absoluteUrl('Absolute URL of the summary.'),
  })
  .meta({ id: 'VerificationAttemptsSummary', description: 'Counts of verification attempts and how many converted.' });

const invalidFilter: ErrorCase = { code: 60200, when: 'a filter is malformed (a date that is not ISO 8601, DateCreatedAfter later than DateCreatedBefore, an unknown channel, country or status, a malformed SID).', message: 'Invalid parameter: DateCreatedAfter (expected an ISO 8601 date-time such as 2026-01-01T00:00:00Z)' };

export const listAttemptsSchema = operation({
  operationId: 'listVerificationAttempts',
  tag: TAG,
  summary: 'List verification attempts',
  description: `Lists the account's sends of codes, newest first, filtered by every parameter given. ${WINDOW}`,
  caller: 'account',
  querystring: AttemptListQuery,
  ok: { 200: { description: 'A page of attempts.', schema: VerificationAttemptList } },
  errors: [invalidFilter, ...PAGE_ERRORS, ...API_ERRORS],
});

export const fetchAttemptSchema = operation({
  operationId: 'fetchVerificationAttempt',
  tag: TAG,
  summary: 'Fetch a verification attempt',
  description: 'Fetches one send of a code by its `VL…` SID.',
  caller: 'account',
  params: z.object({ sid: pathSid('VL', 'The attempt\'s SID.') }),
  ok: { 200: { description: 'The attempt.', schema: VerificationAttempt } },
  errors: [{ code: 20404, when: 'no attempt with this SID belongs to the authenticated account.', message: 'The requested resource /Attempts/VL0123456789abcdef0123456789abcdef was not found' }, ...API_ERRORS],
});

export const attemptsSummarySchema = operation({
  operationId: 'fetchVerificationAttemptsSummary',
  tag: TAG,
  summary: 'Summarize verification attempts',
  description: `Counts the account's attempts the filters select and how many converted, in one aggregate query. ${WINDOW}`,
  caller: 'account',
  querystring: SummaryQuery,
  ok: { 200: { description: 'The summary.', schema: Summary } },
  errors: [invalidFilter, ...API_ERRORS],
});
