import type { Keyring } from '../../crypto/keyring.ts';
import { keyedDigest } from '../../crypto/digest.ts';
import { invalidParameter, VerityError } from '../../errors/verity-error.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { BucketCharges, type BucketPolicy } from '../../store/rate-limit-store.ts';
import type { StoreSet } from '../../store/store-set.ts';
import type { RateLimitBucketRow } from '../../store/schema.ts';
import { isUniqueName, RATE_LIMIT_RULES } from './rate-limit-rules.ts';

/**
 * A verification's `RateLimits` (`{"end_user_ip_address": "1.2.3.4"}`): for each named rate limit
 * of the service, every one of its Buckets counts one verification for that value, and a full
 * bucket refuses the verification with 20429 (HTTP 429, Retry-After), as the hosted API does.
 *
 * Counting reuses the shared token buckets (RateLimitStore: one atomic upsert per bucket, so every
 * node on the database counts alike): a bucket holds Max tokens and refills Max per Interval.
 * Each bucket is charged in a statement of its own, before the verification's transaction (its row is
 * locked for that statement only, so verifications sharing a value do not queue behind each other's
 * transactions), in one order (sorted keys). A refusal gives back every bucket charged before it; the
 * caller gives back the returned charges when the verification is refused later or rolls back, so a
 * refused verification costs nothing. Values are counted under a keyed digest, never stored: they
 * are often IP addresses or session ids.
 */
export async function chargeServiceRateLimits(
  deps: { keyring: Keyring; metrics: Pick<Metrics, 'rateLimited'> },
  stores: Pick<StoreSet, 'rateLimitDefinitions' | 'rateLimits'>,
  request: { serviceSid: string; rateLimits: Record<string, unknown> | undefined; now: number },
): Promise<BucketCharges | undefined> {
  if (request.rateLimits === undefined) return undefined;
  const values = requestedValues(request.rateLimits);
  if (values.size === 0) return undefined;
  const limits = await stores.rateLimitDefinitions.rateLimitsNamed(request.serviceSid, [...values.keys()]);
  for (const name of values.keys()) {
    if (!limits.some((limit) => limit.unique_name === name)) {
      throw invalidParameter('RateLimits', isUniqueName(name) ? `the service has no rate limit named ${name}` : 'a key is not the UniqueName of one of the service\'s rate limits');
    }
  }
  const nameOf = new Map(limits.map((limit) => [limit.sid, limit.unique_name]));
  const key = deps.keyring.derive('rate-limit-values');
  const charges = (await stores.rateLimitDefinitions.bucketsOf(limits.map((limit) => limit.sid)))
    .map((bucket) => {
      const name = nameOf.get(bucket.rate_limit_sid) ?? '';
      const digest = keyedDigest(key, bucket.rate_limit_sid, countedValue(values.get(name) ?? '')).toString('base64url');
      return { bucket, name, key: `service-rate:${bucket.sid}:${digest}`, policy: policyOf(bucket) };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken = new BucketCharges(stores.rateLimits);
  for (const charge of charges) {
    const result = await taken.take(charge.key, charge.policy, request.now);
    if (!result.allowed) {
      await taken.refund();
      deps.metrics.rateLimited.inc({ limit: 'service_rate_limit' });
      throw new VerityError(20429, `Too many requests: rate limit ${charge.name} allows ${charge.bucket.max} verifications per ${charge.bucket.interval} seconds for this value`, {
        retryAfterSeconds: result.retryAfterSeconds,
      });
    }
  }
  return taken;
}

/** A bucket of Max tokens refilled at Max per Interval: at most Max at once, then Max per Interval on average. */
function policyOf(bucket: RateLimitBucketRow): BucketPolicy {
  return { capacity: bucket.max, refillPerSecond: bucket.max / bucket.interval };
}

/** UniqueName → value; a value is a non-empty string (a number is read as its text), else 60200. */
function requestedValues(raw: Record<string, unknown>): Map<string, string> {
  const entries = Object.entries(raw);
  if (entries.length > RATE_LIMIT_RULES.maxRateLimitsPerService) throw invalidParameter('RateLimits', `at most ${RATE_LIMIT_RULES.maxRateLimitsPerService} rate limits`);
  const values = new Map<string, string>();
  for (const [name, value] of entries) {
    const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    if (text === undefined || text === '' || text.length > RATE_LIMIT_RULES.valueMaxLength) {
      throw invalidParameter('RateLimits', `each value must be a non-empty string of at most ${RATE_LIMIT_RULES.valueMaxLength} characters`);
    }
    values.set(name, text);
  }
  return values;
}

/**
 * The value a bucket counts: Unicode NFKC and no surrounding spaces, so ` 1.2.3.4` or a full-width
 * `１.2.3.4` (often passed through from a header an end user controls) share the bucket of `1.2.3.4`.
 */
export function countedValue(value: string): string {
  return value.normalize('NFKC').trim();
}
