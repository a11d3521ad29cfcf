import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Every browser-facing page family (hosted pages, admin console, /docs, virtual phone) gets its
 * security headers from @fastify/helmet, registered once here. Not global: the JSON API, the
 * event streams, the carriers' webhooks and the hosted pages' scripts and stylesheet send none of
 * these, as before. A family either declares its headers for all its routes
 * (`securityHeadersFor(scope, …)`, `{ helmet: … }` on one route, the static-assets option) or, when
 * the policy depends on the response (a hosted page's form targets), sets them as it replies
 * (`reply.helmet(…)`).
 *
 * What every page shares (docs/security.md, "Security headers"):
 * - a CSP whose directives the family spells out in full (`useDefaults: false`: helmet's defaults
 *   would add sources we never allow);
 * - `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`
 *   (the admin console: same-origin);
 * - helmet's other defaults, harmless for pages that load only their own files:
 *   `Cross-Origin-Opener-Policy: same-origin` (not on the hosted pages: an application may open
 *   them in a window of its own), `Cross-Origin-Resource-Policy: same-origin`,
 *   `Origin-Agent-Cluster: ?1`, `X-DNS-Prefetch-Control: off`, `X-Download-Options: noopen`,
 *   `X-Permitted-Cross-Domain-Policies: none`, `X-XSS-Protection: 0`;
 * - no `Strict-Transport-Security`: TLS and its HSTS policy belong to the reverse proxy in front of
 *   Verity (an `includeSubDomains` from here would bind every host of the operator's domain).
 */

/** A page's Content Security Policy: directive → sources, sent in this order. */
export type CspDirectives = Record<string, string[]>;

/** Helmet's settings for one page family (on top of what every page shares): helmet's HelmetOptions. */
export type SecurityHeaders = NonNullable<Parameters<FastifyReply['helmet']>[0]>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Where @fastify/helmet reads a route's headers (securityHeadersFor sets it). */
    helmet?: SecurityHeaders;
  }
}

const SHARED: SecurityHeaders = {
  // Strictest: a family that forgets its own policy sends a page that loads nothing.
  contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
};

/** Registers @fastify/helmet once (before any route, so each one's hooks include it). */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  if (app.hasReplyDecorator('helmet')) return;
  await app.register(helmet, { ...SHARED, global: false });
}

/** Where a page family departs from what every page shares. */
interface PageDifferences {
  referrerPolicy?: { policy: 'same-origin' };
  crossOriginOpenerPolicy?: false;
}

/** A page family's headers: its CSP, and where it departs from the shared defaults. */
export function pageHeaders(csp: CspDirectives, differences: PageDifferences = {}): SecurityHeaders {
  return { contentSecurityPolicy: { useDefaults: false, directives: csp }, ...differences };
}

/** Every route registered in `scope` from now on (its plugins' too) gets `headers`. */
export function securityHeadersFor(scope: FastifyInstance, headers: SecurityHeaders): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, helmet: headers };
  });
}
