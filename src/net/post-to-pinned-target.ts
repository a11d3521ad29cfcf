import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedTarget } from './resolve-outbound-target.ts';

interface PinnedPost {
  url: URL;
  target: PinnedTarget;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** Sends one request to a checked target; injectable so tests can stall or fail it. */
export type PostToPinnedTarget = (request: PinnedPost) => Promise<{ status: number }>;

/** Bytes of a response body read (and dropped) so its connection can be reused; a longer body closes it. */
const MAX_DRAINED_BODY = 64 * 1024;
/** Agents (one per checked target) unused for this long are closed with their sockets. */
const AGENT_IDLE_MS = 30_000;
/** A pooled socket idle this long is closed (receivers often close at 5–60 s; reuse only fresh ones). */
const SOCKET_IDLE_MS = 4_000;

/** Connects only to the checked addresses: node's own lookup is replaced, so no second DNS answer can be used. */
function pinnedLookup(target: PinnedTarget): LookupFunction {
  const [first] = target.addresses;
  // With autoSelectFamily (happy eyeballs) node asks for all addresses; it gets only the checked ones.
  return (_hostname, options, callback) => {
    if (!first) callback(new Error('no address to connect to'), '', 4);
    else if (options.all) callback(null, target.addresses.map(({ address, family }) => ({ address, family })));
    else callback(null, first.address, first.family);
  };
}

/**
 * Keep-alive connection pools, one per checked target: the key is the scheme, host name, port and
 * the exact addresses that were checked, so a pooled socket is always one connected to an address
 * checked for this host (a DNS answer that changes makes a new key, hence new connections, and the
 * old pool is closed once idle). Used by the webhook dispatcher and the OneTouch callbacks.
 */
export class PinnedAgents {
  private readonly agents = new Map<string, { agent: HttpAgent; used: number }>();

  get(url: URL, target: PinnedTarget): HttpAgent {
    const now = performance.now();
    const key = `${url.protocol}//${url.hostname}:${url.port}|${target.addresses.map((a) => a.address).join(',')}`;
    let entry = this.agents.get(key);
    if (!entry) {
      this.closeIdle(now);
      const options = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: SOCKET_IDLE_MS, lookup: pinnedLookup(target) };
      entry = { agent: url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options), used: now };
      this.agents.set(key, entry);
    }
    entry.used = now;
    return entry.agent;
  }

  /** Closes every pooled connection (the dispatcher stopping). */
  destroy(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private closeIdle(now: number): void {
    for (const [key, { agent, used }] of this.agents) {
      if (now - used < AGENT_IDLE_MS) continue;
      agent.destroy();
      this.agents.delete(key);
    }
  }
}

function post({ url, target, headers, body, signal }: PinnedPost, agent: HttpAgent | undefined): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    if (target.addresses.length === 0) {
      reject(new Error('no address to connect to'));
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(target),
      // Without a pool, a fresh connection per request.
      agent: agent ?? false,
      signal,
    });
    request.once('response', (response: IncomingMessage) => {
      resolve({ status: response.statusCode ?? 0 });
      if (!agent) {
        // Only the status matters; close rather than read a body of any size.
        response.destroy();
        request.destroy();
        return;
      }
      // Read (and drop) a short body so the connection goes back to the pool; a long one closes it.
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_DRAINED_BODY) request.destroy();
      });
      response.on('error', () => undefined);
    });
    // `on`, not `once`: destroying the socket after the response may report a second error.
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * POSTs `body` to `url`, connecting only to the addresses in `target` (resolved and checked before).
 * The URL's host name stays the Host header and, over https, the TLS server name and the name the
 * certificate must match. Redirects are not followed (node:http never does); the response body is
 * discarded. A fresh connection per request.
 */
export const postToPinnedTarget: PostToPinnedTarget = (request) => post(request, undefined);

/** As `postToPinnedTarget`, over keep-alive connections pooled per checked target (`agents`). */
export function pooledPostToPinnedTarget(agents: PinnedAgents): PostToPinnedTarget {
  return (request) => post(request, agents.get(request.url, request.target));
}
