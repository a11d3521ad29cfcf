import ipaddr from 'ipaddr.js';

/** The IPv6 prefix one subscriber is assumed to hold. */
const SUBSCRIBER_PREFIX_BITS = 64;

/**
 * The key a client address's per-IP limits are counted under (every per-IP bucket and counter):
 * - an IPv4 address: the address itself;
 * - an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports for an IPv4
 *   peer): its IPv4 address, so both spellings share one bucket;
 * - any other IPv6 address: its /64 prefix (`2001:db8:1:2::/64`). An ISP hands one subscriber a /64
 *   at least (RFC 6177 recommends a /56 or /48 per site) and the host picks any of its 2^64 addresses
 *   freely (SLAAC privacy addresses, RFC 8981), so keyed by the full address one client would get
 *   2^64 buckets. A /64 is the smallest block one subscriber cannot split.
 * Anything else (no address: a socket already closed) is returned as it is.
 */
export function rateLimitKeyOf(ip: string | undefined): string {
  if (ip === undefined || !ipaddr.isValid(ip)) return String(ip);
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  // The first four 16-bit groups are the /64; the zone id (`%eth0`) is dropped with the rest.
  const prefix = new ipaddr.IPv6([...(address as ipaddr.IPv6).parts.slice(0, SUBSCRIBER_PREFIX_BITS / 16), 0, 0, 0, 0]);
  return `${prefix.toString()}/${SUBSCRIBER_PREFIX_BITS}`;
}
