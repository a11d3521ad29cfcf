import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountAuthenticator } from '../accounts/account-credentials.ts';
import type { AppContext } from '../context.ts';
import { LeasedRateLimiter } from '../store/rate-limit-store.ts';
import type { AccountRow } from '../store/schema.ts';
import { adminFormToken, clearLockout, retryDelivery, validAdminForm } from './admin-actions.ts';
import { ACTION_NOTICES, FAVICON_PATH, messagePage, overviewPage, servicePage, STYLESHEET_PATH } from './admin-pages.ts';
import { AdminQueries, CHART_DAYS, DAY_MS } from './admin-queries.ts';

const STYLESHEET = readFileSync(new URL('./static/admin.css', import.meta.url));
const FAVICON = readFileSync(new URL('./static/favicon.svg', import.meta.url));

/** Same-origin stylesheet only: no script at all, no inline style, no framing; forms submit to us. */
export const ADMIN_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const REALM = 'Basic realm="Verity admin", charset="UTF-8"';

function basicCredentials(request: FastifyRequest): { user: string; password: string } | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', ADMIN_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Frame-Options', 'DENY')
    .header('Cache-Control', 'no-store');
}

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return secure(reply).status(status).header('Content-Type', 'text/html; charset=utf-8').send(body);
}

function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : 0;
  return Math.min(n, 1000);
}

declare module 'fastify' {
  interface FastifyRequest {
    adminAccount: AccountRow | null;
  }
}

/**
 * The admin console (`/admin`): server-rendered pages about one account's services, authenticated
 * with that account's `AccountSid:AuthToken` (HTTP Basic), like the API; two writes (retry a failed
 * webhook delivery, clear a wrong-code lock-out) behind a per-account form token.
 */
export async function adminRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The console's own assets are public (nothing in them is account data).
  app.get(STYLESHEET_PATH, async (_request, reply) => secure(reply).header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(STYLESHEET));
  app.get(FAVICON_PATH, async (_request, reply) => secure(reply).header('Content-Type', 'image/svg+xml').header('Cache-Control', 'public, max-age=300').send(FAVICON));

  await app.register(async (admin) => {
    const authenticator = new AccountAuthenticator(ctx.db, ctx.keyring);
    const limiter = new LeasedRateLimiter(ctx.db.kysely, ctx.db.dialect);
    const queries = new AdminQueries(ctx.db.kysely);
    const { ip: ipLimit } = ctx.config.rateLimits;
    admin.decorateRequest('adminAccount', null);

    admin.addHook('onRequest', async (request, reply) => {
      const taken = await limiter.take(`ip:${request.ip}`, { capacity: ipLimit.burst, refillPerSecond: ipLimit.perSecond }, ctx.clock.now());
      if (!taken.allowed) {
        ctx.metrics.rateLimited.inc({ limit: 'ip' });
        return sendPage(reply.header('Retry-After', String(taken.retryAfterSeconds)), 429, messagePage(undefined, 'Too many requests', 'Try again shortly.'));
      }
      const credentials = basicCredentials(request);
      const account = credentials && (await authenticator.authenticate(credentials.user, credentials.password));
      if (!account) {
        return sendPage(reply.header('WWW-Authenticate', REALM), 401, messagePage(undefined, 'Sign in required', 'Sign in with an Account SID as the user name and its Auth Token as the password.'));
      }
      request.adminAccount = account;
    });

    admin.get('/admin', async (request, reply) => {
      const account = request.adminAccount as AccountRow;
      const page = pageNumber((request.query as Record<string, unknown>).page);
      const { rows, more } = await queries.services(account.sid, page);
      return sendPage(reply, 200, overviewPage(account, rows, page, more));
    });

    admin.get<{ Params: { serviceSid: string }; Querystring: Record<string, unknown> }>('/admin/services/:serviceSid', async (request, reply) => {
      const account = request.adminAccount as AccountRow;
      const { serviceSid } = request.params;
      const service = /^VA[0-9a-f]{32}$/.test(serviceSid) ? await queries.service(account.sid, serviceSid) : undefined;
      if (!service) return sendPage(reply, 404, messagePage(account, 'Service not found', `No service ${serviceSid} in this account.`));
      const rawTo = request.query.to;
      const to = typeof rawTo === 'string' && rawTo.trim() !== '' ? rawTo.trim().slice(0, 320) : undefined;
      const page = pageNumber(request.query.page);
      const done = typeof request.query.done === 'string' && request.query.done in ACTION_NOTICES ? request.query.done : undefined;
      const now = ctx.clock.now();
      const today = Math.floor(now / DAY_MS);
      const [verifications, webhooks, deliveries, buckets, failures, daily] = await Promise.all([
        queries.verifications(account.sid, service.sid, to, page),
        queries.webhooks(account.sid, service.sid),
        queries.deliveries(account.sid, service.sid),
        queries.lowBuckets(service.sid, 2),
        queries.checkFailures(service.sid),
        queries.dailyCounts(account.sid, service.sid, today - CHART_DAYS + 1),
      ]);
      return sendPage(
        reply,
        200,
        servicePage({ account, service, to, page, verifications: verifications.rows, more: verifications.more, webhooks, deliveries, buckets, failures, daily, today, now, formToken: adminFormToken(ctx.keyring, account.sid), done }),
      );
    });

    type ActionRequest = { Params: { serviceSid: string; deliverySid?: string }; Body: Record<string, unknown> | undefined };
    /** Checks the form and the service, runs the action, and answers 303 back to the service page with a notice. */
    const action = (run: (account: AccountRow, serviceSid: string, request: FastifyRequest<ActionRequest>) => Promise<string>) => async (request: FastifyRequest<ActionRequest>, reply: FastifyReply) => {
      const account = request.adminAccount as AccountRow;
      if (!validAdminForm(request, ctx.keyring, account.sid, request.body?.token)) {
        return sendPage(reply, 403, messagePage(account, 'Form expired or not from this console', 'Reload the service page and try again.'));
      }
      const { serviceSid } = request.params;
      const service = /^VA[0-9a-f]{32}$/.test(serviceSid) ? await queries.service(account.sid, serviceSid) : undefined;
      if (!service) return sendPage(reply, 404, messagePage(account, 'Service not found', `No service ${serviceSid} in this account.`));
      const done = await run(account, service.sid, request);
      return secure(reply).status(303).header('Location', `/admin/services/${service.sid}?done=${done}`).send();
    };

    admin.post<ActionRequest>(
      '/admin/services/:serviceSid/deliveries/:deliverySid/retry',
      action(async (account, serviceSid, request) => {
        const deliverySid = request.params.deliverySid ?? '';
        const retried = await retryDelivery(ctx.db.kysely, account.sid, serviceSid, deliverySid, ctx.clock.now());
        ctx.logger.info({ account: account.sid, service: serviceSid, delivery: deliverySid, retried }, 'admin: webhook delivery retry requested');
        return retried ? 'retried' : 'not-retried';
      }),
    );

    admin.post<ActionRequest>(
      '/admin/services/:serviceSid/lockouts/clear',
      action(async (account, serviceSid, request) => {
        const destination = typeof request.body?.destination === 'string' ? request.body.destination.slice(0, 320) : '';
        const cleared = destination !== '' && (await clearLockout(ctx.db.kysely, serviceSid, destination));
        // The destination is personal data: the log names the service only.
        ctx.logger.info({ account: account.sid, service: serviceSid, cleared }, 'admin: wrong-code lock-out cleared');
        return cleared ? 'cleared' : 'not-cleared';
      }),
    );
  });
}
