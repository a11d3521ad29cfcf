/**
 * The one place dates become text. Verity writes times as ISO 8601 in UTC to the second
 * (`2015-07-30T20:00:00Z`, as the Twilio Verify API does) and calendar days as `2015-07-30`.
 */

/** `2015-07-30T20:00:00Z`: a millisecond timestamp in UTC, milliseconds dropped. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2015-07-30`: the UTC calendar day of a millisecond timestamp. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `Thu, 30 Jul 2015 20:00:00 +0000` (RFC 2822 in UTC): how the 2010-04-01 API (API keys) writes dates. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}
