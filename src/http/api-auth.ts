import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccountAuthenticator } from '../accounts/account-credentials.ts';
import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import type { AccountRow } from '../store/schema.ts';
import { LeasedRateLimiter } from '../store/rate-limit-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account: AccountRow;
  }
}

function basicCredentials(request: FastifyRequest): { user: string; password: string } | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic `AccountSid:AuthToken` on every API route, then the per-account and per-client-IP
 * token buckets (kept in the database, so they hold across every Verity process).
 */
export function installApiAuth(app: FastifyInstance, ctx: AppContext): void {
  const authenticator = new AccountAuthenticator(ctx.db, ctx.keyring);
  const limiter = new LeasedRateLimiter(ctx.db.kysely, ctx.db.dialect);
  const { account: accountLimit, ip: ipLimit } = ctx.config.rateLimits;
  app.decorateRequest('account', null as unknown as AccountRow);
  app.addHook('onRequest', async (request) => {
    const credentials = basicCredentials(request);
    const account = credentials && (await authenticator.authenticate(credentials.user, credentials.password));
    if (!account) throw new VerityError(20003, 'Authenticate');
    request.account = account;
    const now = ctx.clock.now();
    const perAccount = await limiter.take(`acct:${account.sid}`, { capacity: accountLimit.burst, refillPerSecond: accountLimit.perSecond }, now);
    const perIp = perAccount.allowed ? await limiter.take(`ip:${request.ip}`, { capacity: ipLimit.burst, refillPerSecond: ipLimit.perSecond }, now) : perAccount;
    const limited = !perAccount.allowed ? { limit: 'account', retryAfterSeconds: perAccount.retryAfterSeconds } : !perIp.allowed ? { limit: 'ip', retryAfterSeconds: perIp.retryAfterSeconds } : undefined;
    if (limited) {
      ctx.metrics.rateLimited.inc({ limit: limited.limit });
      throw new VerityError(20429, 'Too many requests', { retryAfterSeconds: limited.retryAfterSeconds });
    }
  });
}
