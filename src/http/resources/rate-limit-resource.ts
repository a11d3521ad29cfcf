import type { RateLimitBucketRow, RateLimitRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';

/** A Service Rate Limit as the hosted API shows it (twilio-node `rateLimit.js` fields). */
export function rateLimitResource(row: RateLimitRow, base: string): Record<string, unknown> {
  const url = `${base}/v2/Services/${row.service_sid}/RateLimits/${row.sid}`;
  return {
    sid: row.sid,
    service_sid: row.service_sid,
    account_sid: row.account_sid,
    unique_name: row.unique_name,
    description: row.description,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    url,
    links: { buckets: `${url}/Buckets` },
  };
}

/** A Bucket of a rate limit (twilio-node `rateLimit/bucket.js` fields). */
export function bucketResource(row: RateLimitBucketRow, base: string): Record<string, unknown> {
  return {
    sid: row.sid,
    rate_limit_sid: row.rate_limit_sid,
    service_sid: row.service_sid,
    account_sid: row.account_sid,
    max: row.max,
    interval: row.interval,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    url: `${base}/v2/Services/${row.service_sid}/RateLimits/${row.rate_limit_sid}/Buckets/${row.sid}`,
  };
}
