import { VerityApiError } from '@verity/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DemoContext } from '../demo-context.ts';
import { currentUser, html } from '../reply-helpers.ts';
import type { User } from '../users/users-store.ts';
import { accountPage } from '../views/account-pages.ts';
import { formatAmount } from './transfer-routes.ts';
import { handOff } from './signin-routes.ts';
import { maskPhone } from './signup-routes.ts';

/** The signed-in user, or a redirect to the sign-in page (answered here). */
export function requireUser(ctx: DemoContext, request: FastifyRequest, reply: FastifyReply): User | undefined {
  const user = currentUser(ctx, request);
  if (!user) {
    request.demoSession.data.notice = 'Sign in to continue.';
    void reply.redirect('/signin', 303);
  }
  return user;
}

const RECENT_SIGNIN_MS = 15 * 60_000;

export function accountRoutes(app: FastifyInstance, ctx: DemoContext): void {
  const render = (request: FastifyRequest, reply: FastifyReply, user: User, extra: { error?: string; pushToken?: string } = {}, status = 200) => {
    const data = request.demoSession.data;
    const message = data.notice;
    delete data.notice;
    const transfers = ctx.db.prepare('SELECT id, amount_cents, currency, payee, status, created_at FROM transfers WHERE user_id = ? ORDER BY created_at DESC LIMIT 10').all(user.id) as Array<{ id: string; amount_cents: number; currency: string; payee: string; status: string; created_at: number }>;
    return html(
      reply,
      accountPage({
        username: user.username,
        maskedPhone: maskPhone(user.phone),
        amr: data.amr ?? ['pwd'],
        devices: ctx.devices.list(user.id),
        transfers: transfers.map((t) => ({ id: t.id, amount: formatAmount(t.amount_cents, t.currency), payee: t.payee, status: t.status, date: new Date(t.created_at).toISOString().slice(0, 16).replace('T', ' ') })),
        csrf: data.csrf,
        message,
        ...extra,
      }),
      status,
    );
  };

  app.get('/account', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    return user ? render(request, reply, user) : reply;
  });

  app.post<{ Params: { id: string } }>('/account/devices/:id/revoke', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    if (!user) return reply;
    request.demoSession.data.notice = ctx.devices.revoke(user.id, request.params.id) ? 'That device is forgotten: its next sign-in asks for your second factor again.' : 'That device was already forgotten.';
    return reply.redirect('/account#security', 303);
  });

  /** "Set up sign-in methods": a hand-off with purpose enroll; Verity's hub adds factors after a second factor. */
  app.post('/account/security/enroll', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    return user ? handOff(ctx, request, reply, user, 'enroll') : reply;
  });

  /** A single-use enrollment token for a push authenticator (Verity's virtual phone in development). */
  app.post('/account/security/push-token', async (request, reply) => {
    const user = requireUser(ctx, request, reply);
    if (!user) return reply;
    // Adding a factor needs a recent second factor in this session, not just a remembered device.
    const amr = request.demoSession.data.amr ?? [];
    const recent = Date.now() - (request.demoSession.data.signedInAt ?? 0) < RECENT_SIGNIN_MS;
    if (!recent || !amr.some((m) => m !== 'pwd' && m !== 'device')) {
      return render(request, reply, user, { error: 'To link a new authenticator, sign in again with your second factor (not a remembered device), or use “Set up sign-in methods”.' }, 403);
    }
    try {
      const token = await ctx.verity.accessTokens.create(ctx.config.serviceSid, { identity: user.id, factorType: 'push', factorFriendlyName: 'Demo Bank phone', ttl: 300 });
      return render(request, reply, user, { pushToken: token.token });
    } catch (error) {
      if (!(error instanceof VerityApiError)) throw error;
      return render(request, reply, user, { error: `Verity could not issue an enrollment token: ${error.message}` }, 502);
    }
  });
}
