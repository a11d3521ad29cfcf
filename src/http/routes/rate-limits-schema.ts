import { z } from 'zod';
import { RATE_LIMIT_RULES } from '../../verify/rate-limits/rate-limit-rules.ts';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, listOf, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';
import { ServicePath } from './services-schema.ts';

/**
 * Verify's Service Rate Limits (`RK…`) and their Buckets (`BL…`). A verification names rate
 * limits in `RateLimits` (`{"<UniqueName>": "<value>"}`); each bucket of each named rate limit
 * allows at most Max verifications per Interval seconds for one value.
 */

const RATE_LIMITS_TAG = 'Service Rate Limits';
const BUCKETS_TAG = 'Service Rate Limit Buckets';
const R = RATE_LIMIT_RULES;

const uniqueNameDescription = `Unique in the service: 1 to ${R.uniqueNameMaxLength} letters, digits, \`-\`, \`_\` or \`.\` (60209 otherwise), not shaped like a rate limit SID. The key a verification's \`RateLimits\` names. Should not contain personal data.`;
const maxDescription = `Verifications allowed per Interval for one value: ${R.max.min} to ${R.max.max}.`;
const intervalDescription = `Seconds the Max applies over: ${R.interval.min} to ${R.interval.max} (a day). One bucket per Interval in a rate limit (60211).`;

const RateLimitCreateParams = field
  .fields({
    UniqueName: field.required({ max: R.uniqueNameMaxLength }).meta({ description: uniqueNameDescription, examples: ['end_user_ip_address'] }),
    Description: field.string({ max: R.descriptionMaxLength }).meta({ description: `Free text (at most ${R.descriptionMaxLength} characters).` }),
  })
  .meta({ id: 'RateLimitCreateParams' });

const RateLimitUpdateParams = field
  .fields({ Description: field.string({ max: R.descriptionMaxLength }).meta({ description: `Free text (at most ${R.descriptionMaxLength} characters); absent: unchanged.` }) })
  .meta({ id: 'RateLimitUpdateParams' });

const BucketCreateParams = field
  .fields({
    Max: field.integer(R.max.min, R.max.max).meta({ description: `${maxDescription} Required.` }),
    Interval: field.integer(R.interval.min, R.interval.max).meta({ description: `${intervalDescription} Required.` }),
  })
  .meta({ id: 'BucketCreateParams', required: ['Max', 'Interval'] });

const BucketUpdateParams = field
  .fields({
    Max: field.integer(R.max.min, R.max.max).meta({ description: `${maxDescription} Absent: unchanged.` }),
    Interval: field.integer(R.interval.min, R.interval.max).meta({ description: `${intervalDescription} Absent: unchanged.` }),
  })
  .meta({ id: 'BucketUpdateParams' });

const RateLimit = z
  .object({
    sid: sid('RK', 'Rate limit SID.'),
    service_sid: sid('VA', 'Service SID.'),
    account_sid: sid('AC', 'Account SID.'),
    unique_name: z.string().meta({ description: uniqueNameDescription }),
    description: z.string().nullable().meta({ description: 'Its description, else null.' }),
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last update,'),
    url: absoluteUrl('Absolute URL of this rate limit.'),
    links: z.object({ buckets: absoluteUrl('Its buckets.') }),
  })
  .meta({ id: 'RateLimit', description: 'A key a verification names in `RateLimits`, limited by its buckets.' });

const Bucket = z
  .object({
    sid: sid('BL', 'Bucket SID.'),
    rate_limit_sid: sid('RK', 'Rate limit SID.'),
    service_sid: sid('VA', 'Service SID.'),
    account_sid: sid('AC', 'Account SID.'),
    max: z.number().int().meta({ description: maxDescription }),
    interval: z.number().int().meta({ description: intervalDescription }),
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last update,'),
    url: absoluteUrl('Absolute URL of this bucket.'),
  })
  .meta({ id: 'RateLimitBucket', description: 'At most `max` verifications per `interval` seconds for one value of its rate limit.' });

const RateLimitList = listOf('rate_limits', RateLimit, 'RateLimitList', 'A page of a service\'s rate limits, oldest first.');
const BucketList = listOf('buckets', Bucket, 'RateLimitBucketList', 'A page of a rate limit\'s buckets, oldest first.');

const rateLimitRef = z.string().meta({ description: 'Rate limit SID (`RK` + 32 hex) or its UniqueName.' });
const RateLimitPath = ServicePath.extend({ rateLimitSid: rateLimitRef });
const BucketPath = RateLimitPath.extend({ bucketSid: z.string().meta({ description: 'Bucket SID (`BL` + 32 hex).', pattern: '^BL[0-9a-f]{32}$' }) });

const rateLimitNotFound: ErrorCase = { code: 20404, when: 'unknown service, or no rate limit with this SID or UniqueName in it.', message: 'The requested resource /Services/VA…/RateLimits/RK… was not found' };
const bucketNotFound: ErrorCase = { code: 20404, when: 'unknown service or rate limit, or no bucket with this SID in the rate limit.', message: 'The requested resource /Services/VA…/RateLimits/RK…/Buckets/BL… was not found' };
const invalidName: ErrorCase = { code: 60209, when: 'UniqueName has other characters than letters, digits, `-`, `_`, `.`, or is shaped like a rate limit SID.', message: 'UniqueName format is invalid: expected 1 to 100 letters, digits, -, _ or . (not shaped like a rate limit SID)' };
const duplicateName: ErrorCase = { code: 60208, when: 'the service has a rate limit with this UniqueName.', message: 'Rate limit with that UniqueName already exists in this service' };
const tooManyRateLimits: ErrorCase = { code: 60207, when: `the service has ${R.maxRateLimitsPerService} rate limits.`, message: `Max rate limits per service reached: a service has at most ${R.maxRateLimitsPerService}` };
const tooManyBuckets: ErrorCase = { code: 60210, when: `the rate limit has ${R.maxBucketsPerRateLimit} buckets.`, message: `Max Buckets per Rate limit reached: a rate limit has at most ${R.maxBucketsPerRateLimit}` };
const duplicateInterval: ErrorCase = { code: 60211, when: 'the rate limit has another bucket with this Interval.', message: 'Bucket with the given Interval already exists in this rate limit' };
const invalidParam: ErrorCase = { code: 60200, when: 'a parameter is missing or out of range (Max, Interval, the lengths of UniqueName and Description).', message: 'Invalid parameter: Max (expected an integer from 1 to 100000)' };

export const createRateLimitSchema = operation({
  operationId: 'createRateLimit',
  tag: RATE_LIMITS_TAG,
  summary: 'Create a rate limit',
  description: 'Creates a key that verifications can name in `RateLimits`; without buckets it limits nothing.',
  caller: 'account',
  params: ServicePath,
  body: RateLimitCreateParams,
  ok: { 201: { description: 'The new rate limit.', schema: RateLimit } },
  errors: [invalidParam, invalidName, duplicateName, tooManyRateLimits, SERVICE_NOT_FOUND, ...BODY_ERRORS, ...API_ERRORS],
});

export const listRateLimitsSchema = operation({
  operationId: 'listRateLimits',
  tag: RATE_LIMITS_TAG,
  summary: 'List rate limits',
  description: 'Lists the service\'s rate limits, oldest first.',
  caller: 'account',
  params: ServicePath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of rate limits.', schema: RateLimitList } },
  errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
});

export const fetchRateLimitSchema = operation({
  operationId: 'fetchRateLimit',
  tag: RATE_LIMITS_TAG,
  summary: 'Fetch a rate limit',
  description: 'Fetches a rate limit by SID or UniqueName.',
  caller: 'account',
  params: RateLimitPath,
  ok: { 200: { description: 'The rate limit.', schema: RateLimit } },
  errors: [rateLimitNotFound, ...API_ERRORS],
});

export const updateRateLimitSchema = operation({
  operationId: 'updateRateLimit',
  tag: RATE_LIMITS_TAG,
  summary: 'Update a rate limit',
  description: 'Changes its Description (the UniqueName cannot change: verifications name it).',
  caller: 'account',
  params: RateLimitPath,
  body: RateLimitUpdateParams,
  ok: { 200: { description: 'The updated rate limit.', schema: RateLimit } },
  errors: [invalidParam, rateLimitNotFound, ...BODY_ERRORS, ...API_ERRORS],
});

export const deleteRateLimitSchema = operation({
  operationId: 'deleteRateLimit',
  tag: RATE_LIMITS_TAG,
  summary: 'Delete a rate limit',
  description: 'Deletes the rate limit and its buckets; a verification naming it afterwards is refused with 60200.',
  caller: 'account',
  params: RateLimitPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [rateLimitNotFound, ...API_ERRORS],
});

export const createBucketSchema = operation({
  operationId: 'createRateLimitBucket',
  tag: BUCKETS_TAG,
  summary: 'Create a bucket',
  description: 'Adds a limit to the rate limit: at most Max verifications per Interval seconds for one value. Counted in token buckets shared by every Verity node: Max at once, refilled at Max per Interval.',
  caller: 'account',
  params: RateLimitPath,
  body: BucketCreateParams,
  ok: { 201: { description: 'The new bucket.', schema: Bucket } },
  errors: [invalidParam, tooManyBuckets, duplicateInterval, rateLimitNotFound, ...BODY_ERRORS, ...API_ERRORS],
});

export const listBucketsSchema = operation({
  operationId: 'listRateLimitBuckets',
  tag: BUCKETS_TAG,
  summary: 'List buckets',
  description: 'Lists the rate limit\'s buckets, oldest first.',
  caller: 'account',
  params: RateLimitPath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of buckets.', schema: BucketList } },
  errors: [...PAGE_ERRORS, rateLimitNotFound, ...API_ERRORS],
});

export const fetchBucketSchema = operation({
  operationId: 'fetchRateLimitBucket',
  tag: BUCKETS_TAG,
  summary: 'Fetch a bucket',
  description: 'Fetches one bucket of the rate limit.',
  caller: 'account',
  params: BucketPath,
  ok: { 200: { description: 'The bucket.', schema: Bucket } },
  errors: [bucketNotFound, ...API_ERRORS],
});

export const updateBucketSchema = operation({
  operationId: 'updateRateLimitBucket',
  tag: BUCKETS_TAG,
  summary: 'Update a bucket',
  description: 'Changes Max and/or Interval. Counts already made stay: a lower Max refuses until they drain.',
  caller: 'account',
  params: BucketPath,
  body: BucketUpdateParams,
  ok: { 200: { description: 'The updated bucket.', schema: Bucket } },
  errors: [invalidParam, duplicateInterval, bucketNotFound, ...BODY_ERRORS, ...API_ERRORS],
});

export const deleteBucketSchema = operation({
  operationId: 'deleteRateLimitBucket',
  tag: BUCKETS_TAG,
  summary: 'Delete a bucket',
  description: 'Removes the limit from the rate limit.',
  caller: 'account',
  params: BucketPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [bucketNotFound, ...API_ERRORS],
});
