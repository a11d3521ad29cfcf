import type { AppContext } from '../../context.ts';
import { isDomainError } from '../../errors/domain-error.ts';
import { VerityError } from '../../errors/verity-error.ts';
import { challengeEventsUrl } from '../../http/resources/event-stream-links.ts';
import { AMR_BY_FACTOR_TYPE, createChallenge, DEFAULT_CHALLENGE_TTL_MS, fetchChallenge } from '../../factors/challenges.ts';
import { notifyDevice } from '../../factors/push/push-notifications.ts';
import type { ChallengeRow } from '../../store/schema.ts';
import { HandoffPageError, type HandoffSession } from '../../handoff/handoff-session.ts';
import { translator } from '../../i18n/translator.ts';
import { chooserAgain } from '../chooser.ts';
import { finish } from '../finish.ts';
import { sessionService, usableSession, type Submission } from '../hosted-flow.ts';

type PushWait = Extract<Submission, { kind: 'push' }>['wait'];

/**
 * "Approve on your phone": a push challenge to one of the user's verified push factors, with the
 * application's name (never a secret) as its details, and the waiting page that follows it.
 */
export async function startPush(ctx: AppContext, session: HandoffSession, factorSid: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(session.locale, 'handoff-notice');
  if (!session.request.factors.includes('push')) throw new HandoffPageError(400, 'pushNotAccepted', { locale: session.locale });
  const factor = factorSid && /^YF[0-9a-f]{32}$/.test(factorSid) ? await ctx.stores.factors.find(entity.sid, factorSid) : undefined;
  if (!factor || factor.factor_type !== 'push' || factor.status !== 'verified') throw new HandoffPageError(400, 'phoneNotInSession', { locale: session.locale });
  const service = await sessionService(ctx, session);
  const expiresAt = Math.min(session.expiresAt, ctx.clock.now() + DEFAULT_CHALLENGE_TTL_MS);
  let challenge;
  try {
    challenge = await createChallenge(ctx, service, entity, {
      factorSid: factor.sid,
      expirationDate: new Date(expiresAt).toISOString(),
      message: t('pushChallenge', { app: session.appName }).slice(0, 256),
      fields: [JSON.stringify({ label: t('pushChallengeField'), value: session.appName.slice(0, 128) })],
    });
  } catch (error) {
    if (isDomainError(error, 'push_challenge_limit')) return chooserAgain(ctx, session, t('pushTooMany'));
    throw error;
  }
  const next: HandoffSession = { ...session, push: challenge.sid };
  return { kind: 'push', wait: pushWait(ctx, next, challenge) };
}

/**
 * "Resend push" waits this long after the request was sent or last resent (enforced here, with a
 * bucket per challenge: one resend per 30 s; the Notifications API's own limit applies as well).
 */
const PUSH_RESEND_COOLDOWN_MS = 30_000;

function pushWait(ctx: AppContext, session: HandoffSession, challenge: Pick<ChallengeRow, 'number_match' | 'expiration_date' | 'date_created'>, resendAt?: number): PushWait {
  return {
    session,
    numberMatch: challenge.number_match,
    eventsPath: new URL(challengeEventsUrl(ctx, session.push as string)).pathname,
    expiresAt: challenge.expiration_date,
    resendAt: resendAt ?? challenge.date_created + PUSH_RESEND_COOLDOWN_MS,
    now: ctx.clock.now(),
  };
}

/**
 * "Resend push": the same pending request (same number, same expiry) sent to the phone again, at
 * most once per PUSH_RESEND_COOLDOWN_MS (the first one that long after it was sent). Too early →
 * the waiting page says how long to wait; an outcome meanwhile → as "continue" would go on.
 */
export async function resendPush(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(session.locale, 'handoff-notice');
  const sid = session.push;
  if (!sid) throw new HandoffPageError(400, 'noPushStarted', { locale: session.locale });
  let row;
  try {
    row = await fetchChallenge(ctx, entity, sid);
  } catch (error) {
    if (error instanceof VerityError && error.status === 404) return chooserAgain(ctx, { ...session, push: undefined }, t('pushGone'));
    throw error;
  }
  if (row.factor_type !== 'push' || row.entity_sid !== entity.sid) throw new HandoffPageError(400, 'pushNotInSession', { locale: session.locale });
  if (row.status !== 'pending') return continuePush(ctx, session);
  const now = ctx.clock.now();
  const tooEarly = (waitMs: number): Submission => ({ kind: 'push', wait: { ...pushWait(ctx, session, row, now + waitMs), notice: t('resendTooEarly', { seconds: Math.ceil(waitMs / 1000) }) } });
  const sinceSent = now - row.date_created;
  if (sinceSent < PUSH_RESEND_COOLDOWN_MS) return tooEarly(PUSH_RESEND_COOLDOWN_MS - sinceSent);
  const taken = await ctx.stores.rateLimits.take(`hosted-push-resend:${row.sid}`, { capacity: 1, refillPerSecond: 1000 / PUSH_RESEND_COOLDOWN_MS }, now);
  if (!taken.allowed) return tooEarly(Math.max(1, taken.retryAfterSeconds ?? 1) * 1000);
  try {
    await notifyDevice(ctx, row, undefined);
  } catch (error) {
    if (error instanceof VerityError && error.status === 429) return tooEarly(Math.max(1, error.retryAfterSeconds ?? 60) * 1000);
    if (isDomainError(error, 'wrong_state')) return continuePush(ctx, session);
    throw error;
  }
  return { kind: 'push', wait: { ...pushWait(ctx, session, row, now + PUSH_RESEND_COOLDOWN_MS), notice: t('pushResent') } };
}

/**
 * After the waiting page: the push challenge's status read here, never the browser's word. Approved
 * → the result (amr ["swk"]); denied or expired → the chooser with the reason; pending → waiting.
 */
export async function continuePush(ctx: AppContext, session: HandoffSession): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(session.locale, 'handoff-notice');
  const sid = session.push;
  if (!sid) throw new HandoffPageError(400, 'noPushStarted', { locale: session.locale });
  const cleared: HandoffSession = { ...session, push: undefined };
  let row;
  try {
    row = await fetchChallenge(ctx, entity, sid);
  } catch (error) {
    if (error instanceof VerityError && error.status === 404) return chooserAgain(ctx, cleared, t('pushGone'));
    throw error;
  }
  if (row.factor_type !== 'push' || row.entity_sid !== entity.sid) throw new HandoffPageError(400, 'pushNotInSession', { locale: session.locale });
  if (row.status === 'approved') return finish(ctx, session, AMR_BY_FACTOR_TYPE.push ?? ['swk']);
  if (row.status === 'denied') return chooserAgain(ctx, cleared, t('pushDenied'));
  if (row.status !== 'pending') return chooserAgain(ctx, cleared, t('pushExpired'));
  return { kind: 'push', wait: pushWait(ctx, session, row), message: t('pushNotYet') };
}
