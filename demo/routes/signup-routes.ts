import { VerityApiError } from '@verity/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DemoContext } from '../demo-context.ts';
import { html } from '../reply-helpers.ts';
import type { PendingSignup } from '../sessions.ts';
import { checkPasswordPolicy } from '../users/password-policy.ts';
import { hashPassword } from '../users/passwords.ts';
import { newUserId } from '../users/users-store.ts';
import { errorPage, signupCallPage, signupPage, type SignupForm } from '../views/auth-pages.ts';

const USERNAME = /^[A-Za-z0-9._-]{3,32}$/;

/** The virtual phone's address for the call page's hint, when the call rings it (not over a real trunk). */
const callsOnVirtualPhone = (config: DemoContext['config']): string | undefined => (config.callsRingVirtualPhone === false ? undefined : config.virtualPhoneUrl);
const SIGNUP_MS = 15 * 60_000;

type Body = Record<string, string | undefined>;

export const maskPhone = (phone: string): string => `${'•'.repeat(Math.max(0, phone.length - 3))}${phone.slice(-2)}`;

/** Normalises to E.164, or undefined when it is not a possible mobile number. */
function toE164(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim());
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * Sign-up: username, password (argon2id, NIST SP 800-63B checks), phone verified by a keypad-code
 * call through Verity. The account exists only once Verity reports the verification approved.
 */
export function signupRoutes(app: FastifyInstance, ctx: DemoContext): void {
  const pending = (request: FastifyRequest): PendingSignup | undefined => {
    const signup = request.demoSession.data.signup;
    return signup && Date.now() - signup.startedAt < SIGNUP_MS ? signup : undefined;
  };

  /** Asks Verity to call the phone with a code to key in; the page shows the code and follows the call. */
  const placeCall = async (reply: FastifyReply, request: FastifyRequest, signup: Omit<PendingSignup, 'verificationSid' | 'displayCode' | 'startedAt'>, form: SignupForm) => {
    let verification;
    try {
      verification = await ctx.verity.verifications.create(ctx.config.serviceSid, { to: signup.phone, channel: 'call', voiceFlow: 'keypad_code', customFriendlyName: 'Demo Bank' });
    } catch (error) {
      if (!(error instanceof VerityApiError)) throw error;
      const message = error.status === 429 ? 'Too many calls were placed to this number. Wait a few minutes and try again.' : `We could not call this number: ${error.message}`;
      return html(reply, signupPage(request.demoSession.data.csrf, { ...form, error: message, field: 'phone' }), error.status === 429 ? 429 : 400);
    }
    if (!verification.display_code || !verification.links?.events) throw new Error('Verity did not return a display code for a keypad-code call');
    ctx.calls.follow(verification.sid, verification.links.events);
    request.demoSession.data.signup = { ...signup, verificationSid: verification.sid, displayCode: verification.display_code, startedAt: Date.now() };
    return reply.redirect('/signup/call', 303);
  };

  app.get('/signup', async (request, reply) => html(reply, signupPage(request.demoSession.data.csrf)));

  app.post<{ Body: Body }>('/signup', async (request, reply) => {
    const csrf = request.demoSession.data.csrf;
    const username = (request.body.username ?? '').trim();
    const password = request.body.password ?? '';
    const phoneInput = request.body.phone ?? '';
    const form: SignupForm = { username, phone: phoneInput };
    if (!USERNAME.test(username)) return html(reply, signupPage(csrf, { ...form, error: 'Choose a username of 3 to 32 letters, digits, dots, dashes or underscores.', field: 'username' }), 400);
    if (ctx.users.byUsername(username)) return html(reply, signupPage(csrf, { ...form, error: 'This username is taken. Choose another one.', field: 'username' }), 409);
    const phone = toE164(phoneInput);
    if (!phone) return html(reply, signupPage(csrf, { ...form, error: 'Enter a valid phone number in international format, starting with + and the country code (e.g. +1 415 555 0123).', field: 'phone' }), 400);
    const verdict = checkPasswordPolicy(password, [username, phone]);
    if (!verdict.ok) return html(reply, signupPage(csrf, { ...form, error: verdict.message, suggestions: verdict.suggestions, field: 'password' }), 400);
    return placeCall(reply, request, { username, passwordHash: await hashPassword(password), phone }, form);
  });

  app.get('/signup/call', async (request, reply) => {
    const signup = pending(request);
    if (!signup) return reply.redirect('/signup', 303);
    return html(reply, signupCallPage(request.demoSession.data.csrf, signup.displayCode, maskPhone(signup.phone), undefined, callsOnVirtualPhone(ctx.config)));
  });

  /** The call's progress for signup-call.js, relayed from Verity's stream. */
  app.get('/signup/progress', async (request, reply) => {
    const signup = pending(request);
    if (!signup) return reply.status(404).send({ stage: 'none', message: 'No sign-up is in progress in this browser.', outcome: 'retry' });
    return ctx.calls.state(signup.verificationSid) ?? { stage: 'unknown', message: 'Waiting for the call…', outcome: null };
  });

  app.post('/signup/call-again', async (request, reply) => {
    const signup = pending(request);
    if (!signup) return reply.redirect('/signup', 303);
    // The old verification is dropped: only the new call's code counts.
    await ctx.verity.verifications.cancel(ctx.config.serviceSid, signup.verificationSid).catch(() => undefined);
    ctx.calls.forget(signup.verificationSid);
    return placeCall(reply, request, { username: signup.username, passwordHash: signup.passwordHash, phone: signup.phone }, { username: signup.username, phone: signup.phone });
  });

  app.post('/signup/cancel', async (request, reply) => {
    const signup = request.demoSession.data.signup;
    if (signup) {
      await ctx.verity.verifications.cancel(ctx.config.serviceSid, signup.verificationSid).catch(() => undefined);
      ctx.calls.forget(signup.verificationSid);
    }
    delete request.demoSession.data.signup;
    return reply.redirect('/signup', 303);
  });

  /** Creates the account, once Verity reported the verification of this phone approved. */
  app.post('/signup/complete', async (request, reply) => {
    const session = request.demoSession;
    const signup = pending(request);
    if (!signup) return html(reply, errorPage('Sign-up expired', 'No sign-up is in progress in this browser (it may have expired after 15 minutes). Start again.', { back: { href: '/signup', label: 'Open an account' } }), 409);
    // Verity's stream (followed by this server) said approved, and Verity no longer holds the
    // verification as pending (an approved one answers 404, as at Twilio): both, or no account.
    const state = ctx.calls.state(signup.verificationSid);
    const current = await ctx.verity.verifications.fetch(ctx.config.serviceSid, signup.verificationSid).catch((error: unknown) => {
      if (error instanceof VerityApiError && error.status === 404) return undefined;
      throw error;
    });
    if (state?.outcome !== 'approved' || current !== undefined) {
      const message = state?.outcome === 'retry' || (current !== undefined && current.status !== 'pending')
        ? `Your phone was not verified. ${state?.message ?? 'Press “Call again” to try again.'}`
        : `Your phone is not verified yet. ${state?.message ?? 'Answer the call and type the code.'}`;
      return html(reply, signupCallPage(session.data.csrf, signup.displayCode, maskPhone(signup.phone), message, callsOnVirtualPhone(ctx.config)), 409);
    }
    const id = newUserId();
    if (!ctx.users.insert({ id, username: signup.username, password_hash: signup.passwordHash, phone: signup.phone, created_at: Date.now() })) {
      delete session.data.signup;
      return html(reply, errorPage('Username taken', 'Someone took this username while you were verifying your phone. Start again with another one.', { back: { href: '/signup', label: 'Open an account' } }), 409);
    }
    ctx.calls.forget(signup.verificationSid);
    ctx.sessions.rotate(reply, session, { userId: id, amr: ['pwd', 'tel'], signedInAt: Date.now(), notice: 'Welcome to Demo Bank! Your phone is verified.' });
    return reply.redirect('/account', 303);
  });
}

