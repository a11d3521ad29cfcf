import type { AppContext } from '../../context.ts';
import { isDomainError } from '../../errors/domain-error.ts';
import { MAX_CHALLENGE_ATTEMPTS, respondToChallenge } from '../../factors/challenges.ts';
import { HandoffPageError, type HandoffSession } from '../../handoff/handoff-session.ts';
import { translator } from '../../i18n/translator.ts';
import { factorOptions } from '../chooser.ts';
import { finish } from '../finish.ts';
import { retryAfter, usableSession, type Submission } from '../hosted-flow.ts';

/** A TOTP code for one of the session's challenges. */
export async function submitTotp(ctx: AppContext, session: HandoffSession, factorSid: string | undefined, code: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(session.locale, 'handoff-notice');
  const challengeSid = factorSid ? session.challenges[factorSid] : undefined;
  if (!challengeSid) throw new HandoffPageError(400, 'totpNotInSession', { locale: session.locale });
  const view = async (message: string): Promise<Submission> => ({ kind: 'retry', message, view: { session, options: await factorOptions(ctx, session.request, entity, session) } });
  const digits = (code ?? '').replace(/[\s-]/g, '');
  if (!/^\d{6,8}$/.test(digits)) return view(t('totpFormat'));
  let row;
  try {
    row = await respondToChallenge(ctx, entity, challengeSid, { authPayload: digits });
  } catch (error) {
    if (isDomainError(error, 'entity_locked')) return view(t('tooManyForAccount', { retry: retryAfter(error, session.locale) }));
    if (isDomainError(error, 'challenge_attempts_exhausted')) return view(t('tooManyOnPage'));
    if (isDomainError(error, 'wrong_state')) throw new HandoffPageError(403, 'pageExpiredOrUsed', { locale: session.locale });
    throw error;
  }
  if (row.status === 'approved') return finish(ctx, session, ['otp']);
  const left = Math.max(0, MAX_CHALLENGE_ATTEMPTS - row.attempts);
  return view(t('totpWrong', { left }));
}
