import type { AppContext } from '../context.ts';
import { VerityError } from '../errors/verity-error.ts';
import { createChallenge, MAX_CHALLENGE_ATTEMPTS, respondToChallenge } from '../factors/challenges.ts';
import { recoveryCodeSummary, useRecoveryCode } from '../factors/recovery/recovery-codes.ts';
import { EntitiesStore } from '../store/entities-store.ts';
import { FactorsStore } from '../store/factors-store.ts';
import { HandoffClientsStore } from '../store/handoff-clients-store.ts';
import { ServicesStore } from '../store/services-store.ts';
import type { EntityRow } from '../store/schema.ts';
import type { HandoffFactor, HandoffRequest } from './handoff-claims.ts';
import { completeSession, HANDOFF_SESSION_MS, HandoffPageError, newSessionId, sessionCompleted, type HandoffSession } from './handoff-session.ts';
import { issueHandoffResult } from './issue-handoff-result.ts';

/** The factor types the hosted pages can run so far. */
export const HOSTED_FACTORS: readonly HandoffFactor[] = ['totp', 'recovery_code'];

export type FactorOption =
  | { kind: 'totp'; factorSid: string; name: string }
  | { kind: 'recovery_code'; remaining: number }
  /** Enrolled and allowed by the request, but not yet runnable on these pages. */
  | { kind: 'unavailable'; type: string; name: string };

export interface HandoffView {
  session: HandoffSession;
  options: FactorOption[];
}

/** The outcome of a POST: a result to send back, or the page again with a message. */
export type Submission = { kind: 'result'; location: string } | { kind: 'retry'; view: HandoffView; message: string };

const FACTOR_TYPE_BY_HANDOFF: Record<string, HandoffFactor> = { totp: 'totp', push: 'push', voiceprint: 'voiceprint', passkeys: 'passkeys' };

async function findEntity(ctx: AppContext, request: HandoffRequest): Promise<EntityRow | undefined> {
  return new EntitiesStore(ctx.db.kysely).find(request.serviceSid, request.subject);
}

/** The user's verified factors that the request allows, each as the pages offer it. */
async function factorOptions(ctx: AppContext, request: HandoffRequest, entity: EntityRow | undefined, session: HandoffSession): Promise<FactorOption[]> {
  if (!entity) return [];
  const allowed = new Set<string>(request.factors);
  const options: FactorOption[] = [];
  const factors = await new FactorsStore(ctx.db.kysely).list(entity.sid, 50, 0);
  for (const factor of factors) {
    const type = FACTOR_TYPE_BY_HANDOFF[factor.factor_type];
    if (factor.status !== 'verified' || !type || !allowed.has(type)) continue;
    if (type === 'totp' && session.challenges[factor.sid]) options.push({ kind: 'totp', factorSid: factor.sid, name: factor.friendly_name });
    else if (type !== 'totp') options.push({ kind: 'unavailable', type, name: factor.friendly_name });
  }
  if (allowed.has('recovery_code')) {
    const { remaining } = await recoveryCodeSummary(ctx, entity);
    if (remaining > 0) options.push({ kind: 'recovery_code', remaining });
  }
  return options;
}

/**
 * Starts the hosted hand-off for a verified request: opens one challenge (10 minutes) per verified
 * TOTP factor the request allows, so the challenge's attempt limit, the entity's lock-out and the
 * single use of a time step all apply, and returns the session the pages carry.
 */
export async function startHostedHandoff(ctx: AppContext, request: HandoffRequest): Promise<HandoffView> {
  const now = ctx.clock.now();
  const client = await new HandoffClientsStore(ctx.db.kysely).get(request.clientSid);
  if (!client) throw new VerityError(64102, 'Hand-off client unknown: iss must be the sid of a hand-off client');
  const entity = await findEntity(ctx, request);
  const session: HandoffSession = { id: newSessionId(), request, accountSid: client.account_sid, appName: client.friendly_name, entitySid: entity?.sid, challenges: {}, expiresAt: now + HANDOFF_SESSION_MS };
  if (entity && request.factors.includes('totp')) {
    const service = await new ServicesStore(ctx.db.kysely).find(client.account_sid, request.serviceSid);
    const factors = service ? await new FactorsStore(ctx.db.kysely).list(entity.sid, 50, 0) : [];
    for (const factor of factors.filter((f) => f.factor_type === 'totp' && f.status === 'verified').slice(0, 5)) {
      const challenge = await createChallenge(ctx, service as NonNullable<typeof service>, entity, {
        factorSid: factor.sid,
        expirationDate: new Date(session.expiresAt).toISOString(),
        message: 'Sign-in hand-off',
      });
      session.challenges[factor.sid] = challenge.sid;
    }
  }
  return { session, options: await factorOptions(ctx, request, entity, session) };
}

async function usableSession(ctx: AppContext, session: HandoffSession): Promise<EntityRow> {
  if (await sessionCompleted(ctx, session)) throw new HandoffPageError(409, 'This sign-in was already completed. Start again from the application if you need to sign in again.');
  const entity = await findEntity(ctx, session.request);
  if (!entity || entity.sid !== session.entitySid) throw new HandoffPageError(403, 'This account has no second factor here any more. Start again from the application.');
  return entity;
}

async function finish(ctx: AppContext, session: HandoffSession, amr: string[]): Promise<Submission> {
  if (!(await completeSession(ctx, session))) throw new HandoffPageError(409, 'This sign-in was already completed. Start again from the application if you need to sign in again.');
  const result = await issueHandoffResult(ctx, session.request, { amr, authTime: ctx.clock.now() });
  return { kind: 'result', location: resultLocation(session.request, result) };
}

/** `return_to` with `result` and `state` added to its query (the URL was verified against the client's list). */
export function resultLocation(request: HandoffRequest, result: string): string {
  const url = new URL(request.returnTo);
  url.searchParams.set('result', result);
  url.searchParams.set('state', request.state);
  return url.toString();
}

const retryAfter = (error: VerityError): string => {
  const seconds = error.retryAfterSeconds;
  if (seconds === undefined) return '';
  return seconds >= 120 ? ` Try again in ${Math.ceil(seconds / 60)} minutes.` : ` Try again in ${seconds} seconds.`;
};

/** A TOTP code for one of the session's challenges. */
export async function submitTotp(ctx: AppContext, session: HandoffSession, factorSid: string | undefined, code: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const challengeSid = factorSid ? session.challenges[factorSid] : undefined;
  if (!challengeSid) throw new HandoffPageError(400, 'This authenticator app is not part of this sign-in. Start again from the application.');
  const view = async (message: string): Promise<Submission> => ({ kind: 'retry', message, view: { session, options: await factorOptions(ctx, session.request, entity, session) } });
  const digits = (code ?? '').replace(/[\s-]/g, '');
  if (!/^\d{6,8}$/.test(digits)) return view('Enter the code your authenticator app shows: 6 to 8 digits.');
  let row;
  try {
    row = await respondToChallenge(ctx, entity, challengeSid, { authPayload: digits });
  } catch (error) {
    if (!(error instanceof VerityError)) throw error;
    if (error.code === 60308 && error.retryAfterSeconds !== undefined) return view(`Too many wrong codes for this account.${retryAfter(error)}`);
    if (error.code === 60308) return view('Too many wrong codes on this page: no attempts left. Use another method, or start again from the application.');
    if (error.code === 60306) throw new HandoffPageError(403, 'This sign-in page has expired or was already used. Start again from the application.');
    throw error;
  }
  if (row.status === 'approved') return finish(ctx, session, ['otp']);
  const left = Math.max(0, MAX_CHALLENGE_ATTEMPTS - row.attempts);
  return view(`That code is not right (or was already used). ${left === 0 ? 'No attempts left: use another method, or start again from the application.' : `${left} attempt${left === 1 ? '' : 's'} left.`}`);
}

/** A recovery code: single use, amr ["otp"]. */
export async function submitRecoveryCode(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  if (!session.request.factors.includes('recovery_code')) throw new HandoffPageError(400, 'The application does not accept recovery codes for this sign-in.');
  const view = async (message: string): Promise<Submission> => ({ kind: 'retry', message, view: { session, options: await factorOptions(ctx, session.request, entity, session) } });
  const text = (code ?? '').trim();
  if (text.length === 0 || text.length > 32) return view('Enter one of your recovery codes, such as ABCD-EFGH-JKMN.');
  let outcome;
  try {
    outcome = await useRecoveryCode(ctx, entity, text);
  } catch (error) {
    if (error instanceof VerityError && error.code === 60308) return view(`Too many wrong codes for this account.${retryAfter(error)}`);
    throw error;
  }
  if (!outcome.valid || !outcome.amr) return view('That recovery code is not right, or was already used.');
  return finish(ctx, session, outcome.amr);
}
