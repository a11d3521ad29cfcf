import type { AppContext } from '../../context.ts';
import { isDomainError } from '../../errors/domain-error.ts';
import { VerityError } from '../../errors/verity-error.ts';
import { challengeEventsUrl } from '../../http/resources/event-stream-links.ts';
import { AMR_BY_FACTOR_TYPE, createChallenge, DEFAULT_CHALLENGE_TTL_MS, fetchChallenge } from '../../factors/challenges.ts';
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
  return { kind: 'push', wait: pushWait(ctx, next, challenge.number_match) };
}

function pushWait(ctx: AppContext, session: HandoffSession, numberMatch: string | null): PushWait {
  return { session, numberMatch, eventsPath: new URL(challengeEventsUrl(ctx, session.push as string)).pathname };
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
  return { kind: 'push', wait: pushWait(ctx, session, row.number_match), message: t('pushNotYet') };
}
