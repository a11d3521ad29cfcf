import { lookup } from 'node:dns/promises';
import { checkAddress, isIpLiteral, type AddressVerdict, type OutboundAddressPolicy } from './outbound-address-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to its addresses; injectable so tests can answer deterministically (and rebind). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

/** The operating system's resolver (getaddrinfo, so /etc/hosts counts), in the order it answers. */
export const resolveWithSystem: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/**
 * The addresses a request to `hostname` may connect to, all checked against the policy. The
 * connection must use these (and only these): resolving again when connecting would let a DNS answer
 * that changed in between (rebinding) reach an address that was never checked.
 */
export interface PinnedTarget {
  /** The URL's host name, still used for the Host header and TLS (SNI and certificate). */
  hostname: string;
  addresses: AddressVerdict[];
}

export type OutboundTargetFailure = 'refused' | 'lookup-failed';

export class OutboundTargetError extends Error {
  constructor(
    readonly reason: OutboundTargetFailure,
    /** For `refused`: the first refused address's range (ipaddr.js name). */
    readonly range: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundTargetError';
  }
}

/**
 * Resolves `hostname` (as in `URL.hostname`: an IPv6 literal in brackets) once and checks every
 * address against `policy`. A name with any refused address is refused as a whole: a resolver may
 * answer in any order, and a name that points inside the network is not a public receiver.
 * `localhost` and `*.localhost` are loopback by definition (RFC 6761 §6.3), whatever a resolver says.
 */
export async function resolveOutboundTarget(hostname: string, policy: OutboundAddressPolicy, resolve: ResolveHost): Promise<PinnedTarget> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIpLiteral(bare)) return { hostname, addresses: [allowedOrThrow(bare, policy)] };

  const name = bare.toLowerCase().replace(/\.$/, '');
  if ((name === 'localhost' || name.endsWith('.localhost')) && !policy.allowLoopback) {
    throw new OutboundTargetError('refused', 'loopback', 'the host name is a loopback name');
  }
  let answers: ResolvedAddress[];
  try {
    answers = await resolve(name);
  } catch (err) {
    throw new OutboundTargetError('lookup-failed', undefined, 'the host name did not resolve', { cause: err });
  }
  if (answers.length === 0) throw new OutboundTargetError('lookup-failed', undefined, 'the host name has no address');
  return { hostname, addresses: answers.map((answer) => allowedOrThrow(answer.address, policy)) };
}

function allowedOrThrow(address: string, policy: OutboundAddressPolicy): AddressVerdict {
  const verdict = checkAddress(address, policy);
  if (!verdict) throw new OutboundTargetError('lookup-failed', undefined, 'the resolver answered something that is not an IP address');
  if (!verdict.allowed) throw new OutboundTargetError('refused', verdict.range, `the address is ${verdict.range}`);
  return verdict;
}
