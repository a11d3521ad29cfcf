import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccountAuthenticator, TokenChecks } from '../accounts/account-credentials.ts';
import { authenticateApiKey } from '../accounts/api-keys.ts';
import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { basicCredentials } from '../net/basic-credentials.ts';
import { rateLimitKeyOf } from './client-address.ts';
import type { AccountRow } from '../store/schema.ts';
import { LeasedRateLimiter, type BucketPolicy, type TakeResult } from '../store/rate-limit-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account: AccountRow;
    /** The `SK…` key the request authenticated with; null when it used the account's auth token. */
    apiKeySid: string | null;
  }
}

/** The account a /2010-04-01/Accounts/{sid}/… route names, when its path names one. */
function accountOf(request: FastifyRequest): string | undefined {
  const sid = (request.params as { accountSid?: unknown } | undefined)?.accountSid;
  return typeof sid === 'string' ? sid : undefined;
}

/** The service a /v2/Services/{sid}/… route acts on, when its path names one. */
function serviceOf(request: FastifyRequest): string | undefined {
  const sid = (request.params as { serviceSid?: unknown } | undefined)?.serviceSid;
  return typeof sid === 'string' && /^VA[0-9a-f]{32}$/i.test(sid) ? sid : undefined;
}

const policy = (limit: { perSecond: number; burst: number }): BucketPolicy => ({ capacity: limit.burst, refillPerSecond: limit.perSecond });

/**
 * HTTP Basic `AccountSid:AuthToken` (or `ApiKeySid:secret`, which acts as the key's account) on
 * every API route, then the limits of an authenticated caller:
 * one token bucket per account and one per service (kept in the database, so they hold across
 * every Verity process). An application backend sends all its users' traffic from a few IPs, so
 * authenticated requests are never limited per IP; only failed authentications are, per client IP
 * (an IPv6 client by its /64: client-address.ts).
 */
export function installApiAuth(app: FastifyInstance, ctx: AppContext): void {
  const authenticator = new AccountAuthenticator(ctx.stores, ctx.keyring, ctx.clock);
  const keyChecks = new TokenChecks(ctx.keyring, ctx.clock);
  const limiter = new LeasedRateLimiter(ctx.stores.rateLimits);
  // Failures are rare and must count exactly: one database take each, no leases.
  const failures = ctx.stores.rateLimits;
  const limits = ctx.config.rateLimits;
  app.decorateRequest('account', null as unknown as AccountRow);
  app.decorateRequest('apiKeySid', null);
  app.addHook('onRequest', async (request) => {
    const credentials = basicCredentials(request.headers.authorization);
    let account: AccountRow | undefined;
    let apiKeySid: string | null = null;
    if (credentials?.username.startsWith('SK')) {
      const found = await authenticateApiKey(ctx.stores.apiKeys, ctx.keyring, credentials.username, credentials.password, keyChecks);
      account = found?.account;
      apiKeySid = found?.key.sid ?? null;
    } else if (credentials) {
      account = await authenticator.authenticate(credentials.username, credentials.password);
    }
    const now = ctx.clock.now();
    if (!account) {
      const taken = await failures.take(`authfail:${rateLimitKeyOf(request.ip)}`, policy(limits.authFailures), now);
      refuseIfLimited(ctx, 'auth_failures', taken);
      throw new VerityError(20003, 'Authenticate');
    }
    // Credentials of one account never act on another's path (Twilio answers 20003 too).
    const named = accountOf(request);
    if (named !== undefined && named !== account.sid) throw new VerityError(20003, 'Authenticate');
    request.account = account;
    request.apiKeySid = apiKeySid;
    refuseIfLimited(ctx, 'account', await limiter.take(`acct:${account.sid}`, policy(limits.account), now));
    // Keyed under the account, so naming another account's service spends nothing of theirs.
    const service = serviceOf(request);
    if (service) refuseIfLimited(ctx, 'service', await limiter.take(`svc:${account.sid}:${service}`, policy(limits.service), now));
  });
}

function refuseIfLimited(ctx: AppContext, limit: string, taken: TakeResult): void {
  if (taken.allowed) return;
  ctx.metrics.rateLimited.inc({ limit });
  throw new VerityError(20429, 'Too many requests', { retryAfterSeconds: taken.retryAfterSeconds });
}
