import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VerityError } from '../errors/verity-error.ts';

/**
 * The serialized origin (`scheme://host[:port]`) of an `Origin` header, or undefined when the value is
 * not one origin: `null` (an opaque origin: sandboxed frame, data: URL, a no-referrer form), a
 * malformed URL, a list, or anything with a path. Never throws.
 */
export function parseOrigin(value: string | undefined): string | undefined {
  if (value === undefined || value === 'null' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Browsers send the serialized origin exactly; anything else (a path, credentials, a list) is not one.
  return url.origin === value ? url.origin : undefined;
}

/** Verity's own origin, from its public URL (the URL browsers use to reach it). */
export function publicOrigin(publicUrl: string): string {
  return new URL(publicUrl).origin;
}

type Headers = FastifyRequest['headers'];

/**
 * Why a request carries a browser's cross-site signals, or undefined when it does not. Fetch Metadata
 * (`Sec-Fetch-Site`) other than `none` (typed URL, bookmark) or `same-origin`, or an `Origin` that is not
 * `ownOrigin` (an unparsable or `null` Origin included). Server-to-server clients send neither header.
 */
function crossSiteSignal(headers: Headers, ownOrigin: string): string | undefined {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none' && site !== 'same-origin') return 'sec-fetch-site';
  const origin = headers.origin;
  if (origin !== undefined && parseOrigin(origin) !== ownOrigin) return 'origin';
  return undefined;
}

/**
 * Refuses, before authentication, every API request a browser marks as cross-site: the API's
 * credentials are ambient in a browser (a cached Basic login), so without this any page on any site
 * could post a form to /v2 with them. 403 / 20403, and no `WWW-Authenticate` challenge, so such a
 * request never opens the browser's credentials dialog either.
 */
export function installCrossSiteGuard(app: FastifyInstance, publicUrl: () => string): void {
  app.addHook('onRequest', async (request) => {
    const reason = crossSiteSignal(request.headers, publicOrigin(publicUrl()));
    if (reason === undefined) return;
    request.log.warn({ reason }, 'cross-site API request refused');
    throw new VerityError(20403, 'Forbidden: the API does not accept requests from web pages of other sites (Origin / Sec-Fetch-Site). Call it from your server.');
  });
}
