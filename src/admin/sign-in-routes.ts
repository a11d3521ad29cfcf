import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountAuthenticator } from '../accounts/account-credentials.ts';
import type { AppContext } from '../context.ts';
import { newSecret } from '../crypto/random.ts';
import { rateLimitKeyOf } from '../http/client-address.ts';
import { publicOrigin } from '../http/cross-site-guard.ts';
import type { BucketPolicy } from '../store/rate-limit-store.ts';
import { cookieWillBeDropped, readCookie, SESSION_COOKIE_PATH, sessionCookieName, SIGN_IN_PATH, signInCookieName, writeCookie } from './admin-cookies.ts';
import { redirect, sendPage } from './admin-reply.ts';
import type { AdminSessions } from './admin-sessions.ts';
import { isSameOriginPost, signInCsrfToken, tokenMatches } from './form-protection.ts';
import { messagePage } from './admin-pages.ts';
import { safeNext } from './safe-next.ts';
import { SIGN_IN_NOTICES, signInPage } from './sign-in-page.ts';
import { recordAuditEntry } from './audit-log.ts';
import { signInPageSchema, signInSchema } from './admin-form-schemas.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** The same words whatever was wrong: the page never tells whether an Account SID exists. */
const WRONG_CREDENTIALS = 'That Account SID and Auth Token do not match an active account. Check both and try again.';

/**
 * `GET/POST /admin/sign-in`: the console's sign-in with an Account SID and its Auth Token (checked by
 * the API's AccountAuthenticator). The form is protected like every console form (same-origin post,
 * CSRF token, here bound to a sign-in cookie since there is no session yet). Attempts are throttled in
 * database token buckets: every attempt spends its client IP's bucket before the credentials are
 * checked (a burst of concurrent guesses cannot slip past it); only failures spend the Account SID's
 * bucket, and past it a wrong token answers 429. The right token is never refused for its SID's bucket
 * (as on the API, api-auth.ts): anyone who knows a SID could otherwise lock its operator out, while
 * guessing a 256-bit Auth Token is hopeless whatever the limit. Success opens a new session
 * (admin-sessions.ts) and redirects to `next`, a local console path only (safe-next.ts).
 */
export function signInRoutes(instance: FastifyInstance, ctx: AppContext, sessions: AdminSessions): void {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const authenticator = new AccountAuthenticator(ctx.stores, ctx.keyring, ctx.clock);
  const buckets = ctx.stores.rateLimits;
  const cookies = () => ({ env: ctx.config.env, publicUrl: ctx.config.publicUrl });
  const policy = (): BucketPolicy => ({ capacity: ctx.config.admin.signIn.burst, refillPerSecond: ctx.config.admin.signIn.perHour / 3600 });

  /** The browser's sign-in nonce, or a new one set in a cookie; the form's token is derived from it. */
  const formToken = (request: FastifyRequest, reply: FastifyReply, fresh = false): string => {
    let nonce = fresh ? undefined : readCookie(request, signInCookieName(cookies()));
    if (nonce === undefined || !NONCE.test(nonce)) {
      nonce = newSecret();
      writeCookie(reply, cookies(), signInCookieName(cookies()), SIGN_IN_PATH, nonce);
    }
    return signInCsrfToken(ctx.keyring, nonce);
  };

  app.get(SIGN_IN_PATH, { schema: signInPageSchema }, async (request, reply) => {
    const { reason, next } = request.query;
    const notice = cookieWillBeDropped(cookies(), request.protocol, request.hostname)
      ? 'This console needs HTTPS outside development: over plain http your browser drops its session cookie. Open it through HTTPS (VERITY_PUBLIC_URL).'
      : reason !== undefined && Object.hasOwn(SIGN_IN_NOTICES, reason)
        ? SIGN_IN_NOTICES[reason]
        : undefined;
    return sendPage(reply, 200, signInPage({ csrfToken: formToken(request, reply), next: safeNext(next), notice }));
  });

  app.post(SIGN_IN_PATH, { schema: signInSchema }, async (request, reply) => {
    const { body } = request;
    const next = safeNext(body.next);
    if (!isSameOriginPost(request.headers, publicOrigin(ctx.config.publicUrl))) {
      return sendPage(reply, 403, messagePage(undefined, 'Sign-in refused', `The sign-in form was not sent from this console's own page. Open ${ctx.config.publicUrl}/admin and sign in there.`, { href: SIGN_IN_PATH, label: 'Sign in' }));
    }
    const nonce = readCookie(request, signInCookieName(cookies()));
    if (nonce === undefined || !NONCE.test(nonce) || !tokenMatches(signInCsrfToken(ctx.keyring, nonce), body.csrf_token)) {
      return sendPage(reply, 403, signInPage({ csrfToken: formToken(request, reply, true), next, error: 'The sign-in form expired or did not come from this page. Sign in again.' }));
    }
    const accountSid = body.account_sid?.trim().slice(0, 64) ?? '';
    const authToken = body.auth_token?.trim() ?? '';
    const again = (status: number, error: string) => sendPage(reply, status, signInPage({ csrfToken: formToken(request, reply), next, accountSid, error }));

    const throttled = (limit: 'ip' | 'account', retryAfterSeconds: number) => {
      ctx.metrics.rateLimited.inc({ limit: 'admin-sign-in' });
      request.log.warn({ limit }, 'admin: sign-in throttled');
      void reply.header('Retry-After', String(retryAfterSeconds));
      return again(429, `Too many sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? 's' : ''}.`);
    };

    const byIp = await buckets.take(`admin-sign-in:ip:${rateLimitKeyOf(request.ip)}`, policy(), ctx.clock.now());
    if (!byIp.allowed) return throttled('ip', byIp.retryAfterSeconds);
    // Only a well-formed SID can name an account; other strings get no bucket of their own.
    const sidKey = ACCOUNT_SID.test(accountSid) ? `admin-sign-in:sid:${accountSid}` : undefined;

    const account = await authenticator.authenticate(accountSid, authToken);
    if (!account) {
      // Whether the SID exists or not, the same bucket rule and the same answers.
      const bySid = sidKey ? await buckets.take(sidKey, policy(), ctx.clock.now()) : undefined;
      // The audit log of the account named (never the token typed): its operators see attempts on it.
      // Only an account that exists gets an entry: a typed SID must not create rows under any name.
      if (sidKey && (await ctx.stores.accounts.find(accountSid))) {
        await recordAuditEntry(ctx, { accountSid, actor: accountSid, ip: request.ip }, { action: 'session.sign_in_failed', detail: { throttled: Boolean(bySid && !bySid.allowed) } });
      }
      if (bySid && !bySid.allowed) return throttled('account', bySid.retryAfterSeconds);
      request.log.info('admin: sign-in failed');
      return again(400, WRONG_CREDENTIALS);
    }
    // A success refills the account's bucket (the operator's next typo is answered as a typo, not 429);
    // the IP's bucket is not refilled, so signing in to one's own account does not buy more guesses.
    if (sidKey) await buckets.reset(sidKey);
    const opened = await sessions.open(account, readCookie(request, sessionCookieName(cookies())));
    writeCookie(reply, cookies(), sessionCookieName(cookies()), SESSION_COOKIE_PATH, opened.id);
    writeCookie(reply, cookies(), signInCookieName(cookies()), SIGN_IN_PATH, undefined);
    request.log.info({ account: account.sid }, 'admin: signed in');
    await recordAuditEntry(ctx, { accountSid: account.sid, actor: opened.sid, ip: request.ip }, { action: 'session.sign_in', targetSid: opened.sid });
    return redirect(reply, next);
  });
}
