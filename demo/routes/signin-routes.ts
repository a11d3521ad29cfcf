import { buildHandoffRequestUrl, HANDOFF_FACTOR_TYPES, HandoffResultError, verifyHandoffResult, type HandoffFactorType } from '@verity/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { returnUrlOf } from '../config.ts';
import type { DemoContext } from '../demo-context.ts';
import { html } from '../reply-helpers.ts';
import { randomToken, safeEqual, type PendingHandoff } from '../sessions.ts';
import { checkPassword } from '../users/passwords.ts';
import { DEVICE_COOKIE, DEVICE_MAX_AGE_SECONDS } from '../users/remembered-devices.ts';
import type { User } from '../users/users-store.ts';
import { errorPage, signinPage } from '../views/auth-pages.ts';

/** Every second factor Demo Bank accepts, as far as this SDK knows them (email is not one: the demo has no addresses). */
const WANTED: readonly string[] = ['totp', 'push', 'sms', 'call', 'flashcall', 'passkeys', 'voiceprint', 'recovery_code'];
const SIGNIN_FACTORS: HandoffFactorType[] = HANDOFF_FACTOR_TYPES.filter((type) => WANTED.includes(type));
const HANDOFF_MS = 10 * 60_000;

/** What the user reads when a result is refused, by the SDK's stable code. */
const REFUSALS: Record<string, string> = {
  ERR_HANDOFF_REPLAYED: 'This sign-in answer from Verity was already used. Each answer works once. Sign in again.',
  ERR_HANDOFF_STATE: 'This answer from Verity is not for the sign-in started in this browser. Sign in again.',
  ERR_HANDOFF_SUBJECT: 'This answer from Verity is about another account. Sign in again.',
  ERR_HANDOFF_EXPIRED: 'The answer from Verity expired before it reached us. Sign in again.',
  ERR_HANDOFF_SIGNATURE: 'The answer from Verity is not signed by Verity (it was changed on the way). Sign in again.',
  ERR_HANDOFF_AUDIENCE: 'This answer from Verity was meant for another application. Sign in again.',
  ERR_HANDOFF_ISSUER: 'This answer did not come from our Verity. Sign in again.',
  ERR_HANDOFF_MALFORMED: 'The answer from Verity could not be read. Sign in again.',
  ERR_HANDOFF_JWKS_UNAVAILABLE: 'We could not reach Verity to check its answer. Try again in a moment.',
};

/** Sends the user to Verity for a second factor (or to enroll factors), remembering a fresh state for the return. */
export async function handOff(ctx: DemoContext, request: FastifyRequest, reply: FastifyReply, user: User, purpose: PendingHandoff['purpose'], remember = false): Promise<FastifyReply> {
  const state = randomToken();
  request.demoSession.data.handoff = { purpose, userId: user.id, state, remember, startedAt: Date.now() };
  const url = await buildHandoffRequestUrl({
    verityUrl: ctx.config.verityUrl,
    clientSid: ctx.config.handoffClientSid,
    secret: ctx.config.handoffClientSecret,
    subject: user.id,
    // What the user sees in their authenticator app, passkey manager and push device: their username, not the opaque id.
    displayName: user.username,
    state,
    returnTo: returnUrlOf(ctx.config.publicUrl),
    factors: SIGNIN_FACTORS,
    phone: user.phone,
    now: ctx.now(),
    ...(purpose === 'enroll' ? { purpose: 'enroll' as const } : {}),
  });
  return reply.redirect(url, 303);
}

export function signinRoutes(app: FastifyInstance, ctx: DemoContext): void {
  app.get('/signin', async (request, reply) => {
    const data = request.demoSession.data;
    const message = data.notice;
    delete data.notice;
    return html(reply, signinPage(data.csrf, { ...(message ? { message } : {}) }));
  });

  app.post<{ Body: Record<string, string | undefined> }>('/signin', async (request, reply) => {
    const session = request.demoSession;
    const username = (request.body.username ?? '').trim().slice(0, 32);
    const password = (request.body.password ?? '').slice(0, 128);
    const wait = ctx.throttle.retryAfter(username);
    if (wait > 0) {
      return html(reply, signinPage(session.data.csrf, { username, error: `Too many wrong passwords for this username. Try again in ${Math.ceil(wait / 60_000)} minutes.` }), 429);
    }
    const user = username ? ctx.users.byUsername(username) : undefined;
    // Unknown users cost one argon2id verification too, so timing does not tell who has an account.
    if (!(await checkPassword(user?.password_hash, password)) || !user) {
      ctx.throttle.fail(username);
      return html(reply, signinPage(session.data.csrf, { username, error: 'The username or the password is wrong.' }), 401);
    }
    ctx.throttle.succeed(username);
    const deviceCookie = request.cookies[DEVICE_COOKIE];
    const device = deviceCookie ? request.unsignCookie(deviceCookie) : undefined;
    if (device?.valid && ctx.devices.recognises(user.id, device.value ?? undefined)) {
      ctx.sessions.rotate(reply, session, { userId: user.id, amr: ['pwd', 'device'], signedInAt: Date.now() });
      return reply.redirect('/account', 303);
    }
    return handOff(ctx, request, reply, user, 'signin', request.body.remember === '1');
  });

  /**
   * "Sign in with a passkey": no username, no password. Verity's page asks the browser for any
   * passkey of this bank (user verification required, so the passkey alone is two factors) and
   * its result names the user; remember-device does not apply.
   */
  app.post('/signin/passkey', async (request, reply) => {
    const state = randomToken();
    request.demoSession.data.handoff = { purpose: 'identify', userId: '', state, remember: false, startedAt: Date.now() };
    const url = await buildHandoffRequestUrl({
      verityUrl: ctx.config.verityUrl,
      clientSid: ctx.config.handoffClientSid,
      secret: ctx.config.handoffClientSecret,
      purpose: 'identify',
      factors: ['passkeys'],
      state,
      returnTo: returnUrlOf(ctx.config.publicUrl),
      now: ctx.now(),
    });
    return reply.redirect(url, 303);
  });

  /** Verity sends the user back here: `?result=<signed JWT>&state=<our state>`. */
  app.get<{ Querystring: { result?: string; state?: string; error?: string } }>('/handoff/return', async (request, reply) => {
    const session = request.demoSession;
    const pending = session.data.handoff;
    const fail = (title: string, message: string, status: number) => html(reply, errorPage(title, message, { back: { href: pending?.purpose === 'enroll' ? '/account' : '/signin', label: pending?.purpose === 'enroll' ? 'Back to your account' : 'Sign in again' } }), status);
    // Back to Verity's pages after signing in, then "Continue": Verity says the hand-off already answered (docs/handoff.md).
    if (request.query.error === 'already_completed' && session.data.userId) return reply.redirect('/account', 303);
    if (!pending || Date.now() - pending.startedAt > HANDOFF_MS) {
      delete session.data.handoff;
      return fail('No sign-in in progress', 'No sign-in was started in this browser, or it took longer than 10 minutes. Nothing was signed in. Start again.', 400);
    }
    const { result, state } = request.query;
    if (result === undefined && request.query.error === 'expired') {
      delete session.data.handoff;
      return fail('Sign-in took too long', 'The second step at Verity expired before it was finished, so you are not signed in. Sign in again.', 400);
    }
    if (result === undefined) {
      // Verity's "Cancel and go back" link (or `error=access_denied`): the return URL without a result.
      delete session.data.handoff;
      session.data.notice =
        pending.purpose === 'enroll'
          ? 'You left the security settings at Verity. Nothing was changed.'
          : pending.purpose === 'identify'
            ? 'You left the passkey sign-in at Verity, so you are not signed in. Sign in with your password, or try the passkey again.'
            : 'You canceled the second step at Verity, so you are not signed in.';
      return reply.redirect(pending.purpose === 'enroll' ? '/account' : '/signin', 303);
    }
    if (typeof result !== 'string' || result.length === 0 || result.length > 8192) return fail('Sign-in refused', 'Verity sent no readable answer. Start again.', 400);
    const identify = pending.purpose === 'identify';
    const asked = identify ? undefined : ctx.users.byId(pending.userId);
    if (!identify && !asked) return fail('Sign-in refused', 'This account no longer exists.', 400);
    let verified;
    try {
      if (typeof state !== 'string' || !safeEqual(state, pending.state)) throw new HandoffResultError('ERR_HANDOFF_STATE', 'state in the URL is not the session\'s');
      verified = await verifyHandoffResult({
        token: result,
        verityUrl: ctx.config.verityUrl,
        clientSid: ctx.config.handoffClientSid,
        expectedState: pending.state,
        // identify: the result tells us who signed in (looked up below); otherwise it must be about the user we asked about.
        ...(asked ? { expectedSubject: asked.id } : {}),
        seenJti: (jti, expiresAt) => ctx.usedResults.seen(jti, expiresAt),
        now: ctx.now(),
      });
    } catch (error) {
      if (!(error instanceof HandoffResultError)) throw error;
      request.log.warn({ code: error.code }, 'hand-off result refused');
      // A refused answer ends this attempt: the state is not usable again.
      delete session.data.handoff;
      return fail('Sign-in refused', REFUSALS[error.code] ?? 'The answer from Verity was refused. Sign in again.', error.code === 'ERR_HANDOFF_JWKS_UNAVAILABLE' ? 502 : 400);
    }
    const user = identify ? ctx.users.byId(verified.subject) : asked;
    if (!user) {
      delete session.data.handoff;
      request.log.warn('passkey sign-in: Verity identified a user this bank does not know');
      return fail('No account for this passkey', 'Verity recognised this passkey, but it does not belong to any Demo Bank account (it may have been closed). Nothing was signed in. Sign in with your username and password.', 400);
    }
    if (identify) {
      delete session.data.handoff;
      ctx.sessions.rotate(reply, session, { userId: user.id, amr: ['passkey'], signedInAt: Date.now() });
      return reply.redirect('/account', 303);
    }
    if (pending.purpose === 'enroll') {
      delete session.data.handoff;
      if (session.data.userId !== user.id) return fail('Not signed in', 'Sign in first, then open the security settings.', 403);
      if (verified.phoneNumber && verified.phoneNumber !== user.phone) ctx.users.updatePhone(user.id, verified.phoneNumber);
      session.data.notice = verified.phoneNumber && verified.phoneNumber !== user.phone ? 'Your sign-in methods and your phone number were updated.' : 'Your sign-in methods were updated.';
      return reply.redirect('/account', 303);
    }
    ctx.sessions.rotate(reply, session, { userId: user.id, amr: ['pwd', ...verified.amr], signedInAt: Date.now() });
    if (pending.remember) {
      const token = ctx.devices.remember(user.id, deviceLabel(request.headers['user-agent']));
      reply.setCookie(DEVICE_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.publicUrl.startsWith('https:'), signed: true, maxAge: DEVICE_MAX_AGE_SECONDS });
    }
    return reply.redirect('/account', 303);
  });

  app.post('/signout', async (request, reply) => {
    ctx.sessions.destroy(reply, request.demoSession.id);
    request.demoSession.destroyed = true;
    return reply.redirect('/', 303);
  });
}

/** "Chrome on Linux"-style label for the remembered-devices list. */
function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'A browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'an unknown system';
  return `${browser} on ${os}`;
}
