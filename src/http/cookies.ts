import type { FastifyRequest } from 'fastify';

/**
 * One cookie's value from the request (the first of that name: the browser sends the most specific
 * path first), or undefined. Only Verity's own cookies are read (the admin console's and the hosted
 * pages' browser binding), whose values are base64url: no unquoting or decoding is needed.
 */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined || header.length > 8192) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
