/**
 * Addresses and URLs a webhook must not reach (server-side request forgery), as data: every spelling
 * of loopback an attacker tries, cloud metadata, private, CGNAT, multicast and the other non-public
 * ranges. Shared by the classifier's unit tests and the registration tests.
 */

/** [address as written, the range it must be classified as]. */
export const REFUSED_ADDRESSES: ReadonlyArray<readonly [string, string]> = [
  // Loopback, in every spelling ipaddr.js (and inet_aton) accepts.
  ['127.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['127.0.1', 'loopback'],
  ['2130706433', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['0x7f.0.0.1', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['017700000001', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  // IPv4-mapped IPv6 reaches the IPv4 address (ipaddr.process unwraps it).
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.5', 'private'],
  ['::ffff:169.254.169.254', 'linkLocal'],
  // Unspecified: connecting to 0.0.0.0 reaches this host on Linux.
  ['0.0.0.0', 'unspecified'],
  ['0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['::ffff:0.0.0.0', 'unspecified'],
  // Link-local: the cloud metadata services (AWS, GCP, Azure) live at 169.254.169.254.
  ['169.254.169.254', 'linkLocal'],
  ['169.254.0.1', 'linkLocal'],
  ['fe80::1', 'linkLocal'],
  ['febf::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  // Private (RFC 1918) and unique local IPv6 (fc00::/7; AWS metadata over IPv6 is fd00:ec2::254).
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['fc00::1', 'uniqueLocal'],
  ['fd00:ec2::254', 'uniqueLocal'],
  // Carrier-grade NAT (RFC 6598).
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.255', 'carrierGradeNat'],
  // Multicast and broadcast.
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  // Reserved, documentation and benchmarking ranges.
  ['240.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  // IPv6 forms that embed or translate to an IPv4 address, and other non-global IPv6.
  ['::7f00:1', 'nonGlobalIpv6'],
  ['64:ff9b::7f00:1', 'rfc6052'],
  ['2002:7f00:1::1', '6to4'],
  ['2001::1', 'teredo'],
  ['::ffff:0:7f00:1', 'rfc6145'],
  ['fec0::1', 'deprecatedSiteLocal'],
  ['100::1', 'discard'],
];

/** Public addresses, including the neighbours of refused ranges. */
export const PUBLIC_ADDRESSES: readonly string[] = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e'];

/** Webhook URLs that must be refused at registration under the default policy (no DNS needed). */
export const REFUSED_WEBHOOK_URLS: readonly string[] = [
  'http://127.0.0.1:4000/hook',
  'http://127.1/hook',
  'http://2130706433/hook',
  'http://0x7f000001/hook',
  'http://0x7f.1/hook',
  'http://0177.0.0.1/hook',
  'http://127.000.000.001/hook',
  'http://①②⑦.0.0.1/hook',
  'http://127。0。0。1/hook',
  'http://[::1]/hook',
  'http://[0:0:0:0:0:0:0:1]:8080/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:7f00:1]/hook',
  'http://localhost/hook',
  'http://LOCALHOST./hook',
  'http://admin.localhost/hook',
  'http://0.0.0.0:22/',
  'http://0/hook',
  'http://[::]/hook',
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://[::ffff:169.254.169.254]/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://[fe80::1]/hook',
  'http://10.0.0.5:22/',
  'https://172.16.0.1/hook',
  'https://192.168.0.1/hook',
  'http://[fc00::1]/hook',
  'http://100.64.0.1/hook',
  'http://224.0.0.1/hook',
  'http://[ff02::1]/hook',
  'http://255.255.255.255/hook',
  'http://240.0.0.1/hook',
  'http://[64:ff9b::7f00:1]/hook',
  'http://[::7f00:1]/hook',
];
