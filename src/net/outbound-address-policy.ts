import ipaddr from 'ipaddr.js';

/**
 * Which addresses Verity may connect to when it calls a URL an API user chose (webhook deliveries).
 * By default only public unicast addresses: anything else would let an API user make Verity reach
 * its own host, the cloud metadata service or the private network behind it (SSRF).
 */
export interface OutboundAddressPolicy {
  /** 127.0.0.0/8 and ::1 (VERITY_WEBHOOK_ALLOW_LOOPBACK; on by default only in development). */
  allowLoopback: boolean;
  /** Non-public ranges allowed all the same, as CIDR text (VERITY_WEBHOOK_ALLOWED_NETWORKS), e.g. `10.1.2.0/24`. */
  allowedNetworks: readonly string[];
}

/** The production default: public unicast addresses only. */
export const PUBLIC_ONLY: OutboundAddressPolicy = { allowLoopback: false, allowedNetworks: [] };

export interface AddressVerdict {
  /** The address in canonical form; an IPv4-mapped IPv6 address is given as the IPv4 address it maps. */
  address: string;
  family: 4 | 6;
  /**
   * ipaddr.js's name of the range (`unicast` for public addresses; `loopback`, `private`, `linkLocal`,
   * `carrierGradeNat`, `uniqueLocal`, `multicast`, `unspecified`, `broadcast`, `reserved`, …), or
   * `nonGlobalIpv6` for IPv6 outside 2000::/3 that ipaddr.js leaves unnamed.
   */
  range: string;
  allowed: boolean;
}

/** No TCP connection can be meant for these, whatever the settings say. */
const NEVER_ALLOWED = new Set(['unspecified', 'multicast', 'broadcast']);
// IANA allocates IPv6 global unicast from 2000::/3 only (RFC 4291 §2.4); ipaddr.js calls the rest of the
// unnamed space `unicast` too, e.g. the deprecated IPv4-compatible ::127.0.0.1 (RFC 4291 §2.5.5.1).
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/** True when `text` is an IP address literal (any spelling ipaddr.js accepts, IPv6 without brackets). */
export function isIpLiteral(text: string): boolean {
  return ipaddr.isValid(text);
}

/** The entries that are neither an IP address nor a CIDR range (for validating the setting). */
export function invalidNetworks(entries: readonly string[]): string[] {
  return entries.filter((entry) => !ipaddr.isValid(entry) && !ipaddr.isValidCIDR(entry));
}

/**
 * Classifies an IP address literal and decides whether `policy` lets Verity connect to it; undefined
 * when `text` is not an IP address. Every spelling ipaddr.js parses is accepted (`127.1`,
 * `2130706433`, `0x7f000001`, `::ffff:127.0.0.1`), and an IPv4-mapped IPv6 address is judged as the
 * IPv4 address it reaches.
 */
export function checkAddress(text: string, policy: OutboundAddressPolicy): AddressVerdict | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.process(text);
  let range: string = address.range();
  if (address.kind() === 'ipv6' && range === 'unicast' && !address.match(IPV6_GLOBAL_UNICAST)) range = 'nonGlobalIpv6';
  const allowed =
    range === 'unicast' ||
    (!NEVER_ALLOWED.has(range) && ((range === 'loopback' && policy.allowLoopback) || policy.allowedNetworks.some((network) => inNetwork(address, network))));
  return { address: address.toString(), family: address.kind() === 'ipv4' ? 4 : 6, range, allowed };
}

function inNetwork(address: ipaddr.IPv4 | ipaddr.IPv6, network: string): boolean {
  let cidr: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    if (network.includes('/')) {
      cidr = ipaddr.parseCIDR(network);
    } else {
      const single = ipaddr.process(network);
      cidr = [single, single.kind() === 'ipv4' ? 32 : 128];
    }
  } catch {
    return false;
  }
  const [base, bits] = cidr;
  // An IPv4 range written as IPv4-mapped IPv6 (::ffff:10.0.0.0/104) still covers the IPv4 addresses.
  if (base.kind() === 'ipv6' && (base as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return address.kind() === 'ipv4' && address.match((base as ipaddr.IPv6).toIPv4Address(), bits - 96);
  }
  return base.kind() === address.kind() && address.match(base, bits);
}

/** How the ranges are described to people (error messages, docs). */
export function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: 'a loopback address',
    private: 'a private (RFC 1918) address',
    uniqueLocal: 'a unique local IPv6 address (fc00::/7)',
    linkLocal: 'a link-local address (cloud metadata lives there)',
    carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
    multicast: 'a multicast address',
    unspecified: 'the unspecified address',
    broadcast: 'the broadcast address',
  };
  return names[range] ?? `a non-public address (${range})`;
}
