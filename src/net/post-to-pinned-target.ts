import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

/**
 * POSTs `body` to `url`, connecting only to the addresses in `target` (resolved and checked before):
 * node's own lookup is replaced, so no second DNS answer can be used. The URL's host name stays
 * the Host header and, over https, the TLS server name and the name the certificate must match.
 * Redirects are not followed (node:http never does); the response body is discarded.
 */
export const postToPinnedTarget: PostToPinnedTarget = ({ url, target, headers, body, signal }) =>
  new Promise((resolve, reject) => {
    const [first] = target.addresses;
    if (!first) {
      reject(new Error('no address to connect to'));
      return;
    }
    // With autoSelectFamily (happy eyeballs) node asks for all addresses; it gets only the checked ones.
    const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, target.addresses.map(({ address, family }) => ({ address, family })));
      else callback(null, first.address, first.family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup,
      // A fresh connection per delivery: a pooled socket would outlive the check it was made under.
      agent: false,
      signal,
    });
    request.once('response', (response: IncomingMessage) => {
      resolve({ status: response.statusCode ?? 0 });
      // Only the status matters; close rather than read a body of any size.
      response.destroy();
      request.destroy();
    });
    // `on`, not `once`: destroying the socket after the response may report a second error.
    request.on('error', reject);
    request.end(body);
  });
