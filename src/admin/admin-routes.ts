import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { rateLimitKeyOf } from '../http/client-address.ts';
import { publicOrigin } from '../http/cross-site-guard.ts';
import { securityHeadersFor } from '../http/security-headers.ts';
import { serveStaticRoot } from '../http/static-assets.ts';
import { LeasedRateLimiter } from '../store/rate-limit-store.ts';
import { readCookie, SESSION_COOKIE_PATH, sessionCookieName, SIGN_IN_PATH, writeCookie } from './admin-cookies.ts';
import { ADMIN_ASSETS_PREFIX, messagePage, overviewPage, servicePage, type Viewer } from './admin-pages.ts';
import { CHART_DAYS, DAY_MS } from '../store/admin-queries.ts';
import { ADMIN_HEADERS, redirect, sendPage } from './admin-reply.ts';
import { AdminSessions } from './admin-sessions.ts';
import { isSameOriginPost, sessionCsrfToken, tokenMatches } from './form-protection.ts';
import { safeNext } from './safe-next.ts';
import { recordAdminAction } from './audit-log.ts';
import { signInRoutes } from './sign-in-routes.ts';
import { keysAdminRoutes } from './keys-routes.ts';
import { authyKeyAdminRoutes } from './authy-key-routes.ts';
import { settingsAdminRoutes } from './settings-routes.ts';
import { auditAdminRoutes } from './audit-routes.ts';
import { handoffClientsAdminRoutes } from './handoff-clients-routes.ts';
import { overviewStats } from './overview-stats.ts';
import { entitiesAdminRoutes } from './entities-routes.ts';
import { challengesAdminRoutes } from './challenges-routes.ts';
import { limitsAdminRoutes } from './limits-routes.ts';
import { verificationsAdminRoutes } from './verifications-routes.ts';
import { webhooksAdminRoutes } from './webhooks-routes.ts';
import { deliveryCharts, overviewCharts } from './charts/traffic-charts.ts';
import { deliveryPageSchema, overviewSchema, servicePageSchema, signOutSchema, verificationPageSchema } from './admin-form-schemas.ts';
import { DELIVERY_WINDOWS, deliveryPage, verificationPage, windowLabel, type DeliveryWindow } from './delivery-pages.ts';
import { deliveryStats } from './delivery-stats.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { destinationSearch } from '../verify/destination-search.ts';

function pageNumber(value: string | undefined): number {
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : 0;
  return Math.min(n, 1000);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in operator (set by the console's session hook). */
    adminViewer: Viewer | null;
    /** The handle of their session (sign-out closes it). */
    adminSessionSid: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

const HOUR_MS = 3_600_000;

function deliveryWindow(value: string | undefined): DeliveryWindow {
  return DELIVERY_WINDOWS.find((hours) => String(hours) === value) ?? 24;
}

/**
 * The admin console (`/admin`): server-rendered pages about one account's services. An operator signs
 * in with the account's SID and Auth Token (sign-in-routes.ts) and gets a server-side session
 * (admin-sessions.ts) in an HttpOnly, SameSite=Strict cookie (admin-cookies.ts); never HTTP Basic, so
 * the browser holds no credentials it would replay to the API. Every post (two actions, sign-out)
 * must come from the console's own page (same-origin check) and carry the session's CSRF token.
 */
export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The console's own assets are public (nothing in them is account data).
  // static/ holds exactly the stylesheet and the icon (STYLESHEET_PATH, FAVICON_PATH).
  serveStaticRoot(app, fileURLToPath(new URL('./static/', import.meta.url)), ADMIN_ASSETS_PREFIX, { cacheControl: 'public, max-age=300', securityHeaders: ADMIN_HEADERS });

  await app.register(async (scope) => {
    // Every console response (pages, redirects, refusals) carries the console's security headers.
    securityHeadersFor(scope, ADMIN_HEADERS);
    const limiter = new LeasedRateLimiter(ctx.stores.rateLimits);
    const { ip: ipLimit } = ctx.config.rateLimits;
    const sessions = new AdminSessions(ctx.stores, ctx.clock, ctx.config.admin.session);
    const cookies = () => ({ env: ctx.config.env, publicUrl: ctx.config.publicUrl });

    scope.addHook('onRequest', async (request, reply) => {
      const taken = await limiter.take(`ip:${rateLimitKeyOf(request.ip)}`, { capacity: ipLimit.burst, refillPerSecond: ipLimit.perSecond }, ctx.clock.now());
      if (!taken.allowed) {
        ctx.metrics.rateLimited.inc({ limit: 'ip' });
        return sendPage(reply.header('Retry-After', String(taken.retryAfterSeconds)), 429, messagePage(undefined, 'Too many requests', 'Try again shortly.'));
      }
    });

    signInRoutes(scope, ctx, sessions);

    await scope.register(async (instance) => {
      const admin = instance.withTypeProvider<ZodTypeProvider>();
      admin.decorateRequest('adminViewer', null);
      admin.decorateRequest('adminSessionSid', null);

      admin.addHook('onRequest', async (request, reply) => {
        const unsafe = !SAFE_METHODS.has(request.method);
        // Before the session is even looked up: a post another site's page made is refused outright.
        if (unsafe && !isSameOriginPost(request.headers, publicOrigin(ctx.config.publicUrl))) {
          request.log.warn('admin: cross-origin post refused');
          return sendPage(reply, 403, messagePage(undefined, 'Refused: not sent from this console', `This action did not come from a page of this console, so it was not carried out. Open ${ctx.config.publicUrl}/admin and try again there.`, { href: '/admin', label: 'Open the console' }));
        }
        const found = await sessions.resume(readCookie(request, sessionCookieName(cookies())));
        if (found.status !== 'active') {
          if (found.status === 'expired') writeCookie(reply, cookies(), sessionCookieName(cookies()), SESSION_COOKIE_PATH, undefined);
          const reason = found.status === 'expired' ? 'reason=expired&' : '';
          if (!unsafe) return redirect(reply, `${SIGN_IN_PATH}?${reason}next=${encodeURIComponent(safeNext(request.url))}`);
          if (request.routeOptions.url === '/admin/sign-out') return redirect(reply, `${SIGN_IN_PATH}?reason=signed-out`);
          return sendPage(reply, 403, messagePage(undefined, 'Your session has ended', 'Nothing was changed. Sign in again, then repeat the action.', { href: `${SIGN_IN_PATH}?${reason}`.replace(/[?&]$/, ''), label: 'Sign in' }));
        }
        const { session } = found;
        if (session.rotatedId) writeCookie(reply, cookies(), sessionCookieName(cookies()), SESSION_COOKIE_PATH, session.rotatedId);
        request.adminViewer = { account: session.account, csrfToken: sessionCsrfToken(ctx.keyring, session.sid), sessionSid: session.sid, ip: request.ip };
        request.adminSessionSid = session.sid;
      });

      // The synchronizer token, once the form body is parsed: compared in constant time.
      admin.addHook('preHandler', async (request, reply) => {
        if (SAFE_METHODS.has(request.method)) return;
        const viewer = request.adminViewer as Viewer;
        // Every console form's schema (admin-form-schemas.ts) has csrf_token, and always yields an object.
        const { csrf_token: csrfToken } = request.body as { csrf_token?: string };
        if (!tokenMatches(viewer.csrfToken, csrfToken)) {
          request.log.warn('admin: post without the session\'s CSRF token refused');
          return sendPage(reply, 403, messagePage(viewer, 'Form expired or not from this console', 'Nothing was changed. Reload the page and try again.'));
        }
      });

      admin.post('/admin/sign-out', { schema: signOutSchema }, async (request, reply) => {
        await recordAdminAction(ctx, request.adminViewer as Viewer, { action: 'session.sign_out', targetSid: request.adminSessionSid as string });
        await sessions.close(request.adminSessionSid as string);
        writeCookie(reply, cookies(), sessionCookieName(cookies()), SESSION_COOKIE_PATH, undefined);
        request.log.info({ account: (request.adminViewer as Viewer).account.sid }, 'admin: signed out');
        return redirect(reply, `${SIGN_IN_PATH}?reason=signed-out`);
      });

      keysAdminRoutes(instance, ctx);
      authyKeyAdminRoutes(instance, ctx);
      settingsAdminRoutes(instance, ctx);
      auditAdminRoutes(instance, ctx);
      handoffClientsAdminRoutes(instance, ctx);
      entitiesAdminRoutes(instance, ctx);
      challengesAdminRoutes(instance, ctx);
      limitsAdminRoutes(instance, ctx);
      verificationsAdminRoutes(instance, ctx);
      webhooksAdminRoutes(instance, ctx);

      const queries = ctx.stores.adminQueries;

      admin.get('/admin', { schema: overviewSchema }, async (request, reply) => {
        const viewer = request.adminViewer as Viewer;
        const page = pageNumber(request.query.page);
        const { rows, more } = await queries.services(viewer.account.sid, page);
        const now = ctx.clock.now();
        const [stats, charts] = await Promise.all([overviewStats(ctx.stores, viewer.account.sid, rows, now), overviewCharts(ctx.stores, viewer.account.sid, now)]);
        return sendPage(reply, 200, overviewPage(viewer, rows, page, more, stats, charts));
      });

      admin.get('/admin/services/:serviceSid', { schema: servicePageSchema }, async (request, reply) => {
        const viewer = request.adminViewer as Viewer;
        const { account } = viewer;
        const { serviceSid } = request.params;
        const service = /^VA[0-9a-f]{32}$/.test(serviceSid) ? await queries.service(account.sid, serviceSid) : undefined;
        if (!service) return sendPage(reply, 404, messagePage(viewer, 'Service not found', `No service ${serviceSid} in this account.`));
        const to = request.query.to?.trim() ? request.query.to.trim().slice(0, 320) : undefined;
        const page = pageNumber(request.query.page);
        const now = ctx.clock.now();
        const today = Math.floor(now / DAY_MS);
        const [verifications, webhooks, deliveries, buckets, failures, daily] = await Promise.all([
          queries.verifications(account.sid, service.sid, to === undefined ? undefined : destinationSearch(to), page),
          queries.webhooks(account.sid, service.sid),
          queries.deliveries(account.sid, service.sid),
          queries.lowBuckets(service.sid, 2),
          queries.checkFailures(service.sid),
          queries.dailyCounts(account.sid, service.sid, today - CHART_DAYS + 1),
        ]);
        return sendPage(
          reply,
          200,
          servicePage({ viewer, service, to, page, verifications: verifications.rows, more: verifications.more, webhooks, deliveries, buckets, failures, daily, today, now, voiceprint: ctx.voiceprintStatus }),
        );
      });

      admin.get('/admin/services/:serviceSid/verifications/:verificationSid', { schema: verificationPageSchema }, async (request, reply) => {
        const viewer = request.adminViewer as Viewer;
        const { serviceSid, verificationSid } = request.params;
        const service = /^VA[0-9a-f]{32}$/.test(serviceSid) ? await queries.service(viewer.account.sid, serviceSid) : undefined;
        if (!service) return sendPage(reply, 404, messagePage(viewer, 'Service not found', `No service ${serviceSid} in this account.`));
        const verification = /^VE[0-9a-f]{32}$/.test(verificationSid) ? await queries.verification(viewer.account.sid, service.sid, verificationSid) : undefined;
        if (!verification) {
          return sendPage(reply, 404, messagePage(viewer, 'Verification not found', `No verification ${verificationSid} in this service.`, { href: `/admin/services/${service.sid}`, label: 'Back to the service' }));
        }
        const attempts = await queries.verificationAttempts(viewer.account.sid, verification.sid);
        return sendPage(reply, 200, verificationPage({ viewer, service, verification, attempts }));
      });

      admin.get('/admin/delivery', { schema: deliveryPageSchema }, async (request, reply) => {
        const viewer = request.adminViewer as Viewer;
        const hours = deliveryWindow(request.query.hours);
        const [outcomes, ownServices] = await Promise.all([queries.attemptOutcomes(viewer.account.sid, ctx.clock.now() - hours * HOUR_MS), queries.serviceSids(viewer.account.sid)]);
        const charts = await deliveryCharts(ctx.stores, viewer.account.sid, ctx.clock.now(), outcomes.rows, windowLabel(hours));
        const page = deliveryPage({ viewer, hours, stats: deliveryStats(outcomes.rows), truncated: outcomes.truncated, routing: ctx.routing.snapshot(), ownServices, charts });
        return sendPage(reply, 200, page);
      });
    });
  });
}
