import { newSid } from '../../crypto/random.ts';
import type { Clock } from '../../crypto/clock.ts';
import { notFound, VerityError } from '../../errors/verity-error.ts';
import type { Stores } from '../../store/unit-of-work.ts';
import type { RateLimitBucketRow, RateLimitRow, ServiceRow } from '../../store/schema.ts';
import { checkedUniqueName, isRateLimitSid, isUniqueName, RATE_LIMIT_RULES } from './rate-limit-rules.ts';

/**
 * Verify's Service Rate Limits (`RK…`) and their Buckets (`BL…`): create, read, update, delete.
 * A rate limit is addressed by its SID or its UniqueName (the hosted API's "addressable name").
 * Caps and uniqueness are decided in one transaction under a row lock, so concurrent creates on
 * several nodes cannot exceed them.
 */

type Deps = { stores: Pick<Stores, 'rateLimitDefinitions' | 'transaction'>; clock: Clock };

const rateLimitPath = (serviceSid: string, ref: string) => `/Services/${serviceSid}/RateLimits/${ref}`;
const bucketPath = (serviceSid: string, ref: string, sid: string) => `${rateLimitPath(serviceSid, ref)}/Buckets/${sid}`;

export async function createRateLimit(deps: Deps, service: ServiceRow, input: { uniqueName: string; description: string | undefined }): Promise<RateLimitRow> {
  const uniqueName = checkedUniqueName(input.uniqueName);
  const now = deps.clock.now();
  const row: RateLimitRow = { sid: newSid('RK'), service_sid: service.sid, account_sid: service.account_sid, unique_name: uniqueName, description: input.description ?? null, date_created: now, date_updated: now };
  return deps.stores.transaction(async (tx) => {
    await tx.rateLimitDefinitions.lockService(service.sid);
    if (await tx.rateLimitDefinitions.findRateLimitNamed(service.sid, uniqueName)) throw duplicateName();
    if ((await tx.rateLimitDefinitions.countRateLimits(service.sid)) >= RATE_LIMIT_RULES.maxRateLimitsPerService) {
      throw new VerityError(60207, `Max rate limits per service reached: a service has at most ${RATE_LIMIT_RULES.maxRateLimitsPerService}`);
    }
    if (!(await tx.rateLimitDefinitions.insertRateLimit(row))) throw duplicateName();
    return row;
  });
}

const duplicateName = () => new VerityError(60208, 'Rate limit with that UniqueName already exists in this service');

/** The service's rate limit by SID or UniqueName, or 20404. */
export async function findRateLimit(deps: Pick<Deps, 'stores'>, service: ServiceRow, ref: string): Promise<RateLimitRow> {
  const store = deps.stores.rateLimitDefinitions;
  const row = isRateLimitSid(ref) ? await store.findRateLimit(service.sid, ref) : isUniqueName(ref) ? await store.findRateLimitNamed(service.sid, ref) : undefined;
  if (!row) throw notFound(rateLimitPath(service.sid, ref));
  return row;
}

/** Description is the only thing that changes (UniqueName is the key verifications name). */
export async function updateRateLimit(deps: Deps, service: ServiceRow, ref: string, description: string | undefined): Promise<RateLimitRow> {
  const existing = await findRateLimit(deps, service, ref);
  if (description === undefined) return existing;
  const row = await deps.stores.rateLimitDefinitions.updateRateLimit(existing.sid, { description, date_updated: deps.clock.now() });
  if (!row) throw notFound(rateLimitPath(service.sid, ref));
  return row;
}

/** Deletes the rate limit and its buckets; a verification naming it afterwards is refused (60200). */
export async function deleteRateLimit(deps: Deps, service: ServiceRow, ref: string): Promise<void> {
  const existing = await findRateLimit(deps, service, ref);
  if (!(await deps.stores.rateLimitDefinitions.deleteRateLimit(service.sid, existing.sid))) throw notFound(rateLimitPath(service.sid, ref));
}

export async function createBucket(deps: Deps, service: ServiceRow, ref: string, input: { max: number; interval: number }): Promise<RateLimitBucketRow> {
  const rateLimit = await findRateLimit(deps, service, ref);
  const now = deps.clock.now();
  const row: RateLimitBucketRow = { sid: newSid('BL'), rate_limit_sid: rateLimit.sid, service_sid: service.sid, account_sid: service.account_sid, max: input.max, interval: input.interval, date_created: now, date_updated: now };
  return deps.stores.transaction(async (tx) => {
    await tx.rateLimitDefinitions.lockRateLimit(rateLimit.sid);
    // Deleted meanwhile: the insert would break its foreign key.
    if (!(await tx.rateLimitDefinitions.findRateLimit(service.sid, rateLimit.sid))) throw notFound(rateLimitPath(service.sid, ref));
    if (await tx.rateLimitDefinitions.findBucketWithInterval(rateLimit.sid, input.interval, '')) throw duplicateInterval();
    if ((await tx.rateLimitDefinitions.countBuckets(rateLimit.sid)) >= RATE_LIMIT_RULES.maxBucketsPerRateLimit) {
      throw new VerityError(60210, `Max Buckets per Rate limit reached: a rate limit has at most ${RATE_LIMIT_RULES.maxBucketsPerRateLimit}`);
    }
    if (!(await tx.rateLimitDefinitions.insertBucket(row))) throw duplicateInterval();
    return row;
  });
}

const duplicateInterval = () => new VerityError(60211, 'Bucket with the given Interval already exists in this rate limit');

/** The rate limit's bucket, or 20404 (also for a malformed SID). */
export async function findBucket(deps: Pick<Deps, 'stores'>, service: ServiceRow, ref: string, sid: string): Promise<RateLimitBucketRow> {
  const rateLimit = await findRateLimit(deps, service, ref);
  const row = /^BL[0-9a-f]{32}$/.test(sid) ? await deps.stores.rateLimitDefinitions.findBucket(rateLimit.sid, sid) : undefined;
  if (!row) throw notFound(bucketPath(service.sid, ref, sid));
  return row;
}

/** Changes Max and/or Interval; counts already made stay (a lower Max refuses until they drain). */
export async function updateBucket(deps: Deps, service: ServiceRow, ref: string, sid: string, changes: { max: number | undefined; interval: number | undefined }): Promise<RateLimitBucketRow> {
  const existing = await findBucket(deps, service, ref, sid);
  if (changes.max === undefined && changes.interval === undefined) return existing;
  return deps.stores.transaction(async (tx) => {
    await tx.rateLimitDefinitions.lockRateLimit(existing.rate_limit_sid);
    const interval = changes.interval ?? existing.interval;
    if (await tx.rateLimitDefinitions.findBucketWithInterval(existing.rate_limit_sid, interval, existing.sid)) throw duplicateInterval();
    const row = await tx.rateLimitDefinitions.updateBucket(existing.sid, { max: changes.max ?? existing.max, interval, date_updated: deps.clock.now() });
    if (!row) throw notFound(bucketPath(service.sid, ref, sid));
    return row;
  });
}

export async function deleteBucket(deps: Deps, service: ServiceRow, ref: string, sid: string): Promise<void> {
  const existing = await findBucket(deps, service, ref, sid);
  if (!(await deps.stores.rateLimitDefinitions.deleteBucket(existing.rate_limit_sid, existing.sid))) throw notFound(bucketPath(service.sid, ref, sid));
}
