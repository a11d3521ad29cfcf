import type { AppContext } from '../../context.ts';
import { isDomainError } from '../../errors/domain-error.ts';
import { useRecoveryCode } from '../../factors/recovery/recovery-codes.ts';
import { HandoffPageError, type HandoffSession } from '../../handoff/handoff-session.ts';
import { translator } from '../../i18n/translator.ts';
import { factorOptions } from '../chooser.ts';
import { finish } from '../finish.ts';
import { retryAfter, usableSession, type Submission } from '../hosted-flow.ts';

/** A recovery code: single use, amr ["otp"]. */
export async function submitRecoveryCode(ctx: AppContext, session: HandoffSession, code: string | undefined): Promise<Submission> {
  const entity = await usableSession(ctx, session);
  const t = translator(session.locale, 'handoff-notice');
  if (!session.request.factors.includes('recovery_code')) throw new HandoffPageError(400, 'recoveryNotAccepted', { locale: session.locale });
  const view = async (message: string): Promise<Submission> => ({ kind: 'retry', message, view: { session, options: await factorOptions(ctx, session.request, entity, session) } });
  const text = (code ?? '').trim();
  if (text.length === 0 || text.length > 32) return view(t('recoveryFormat'));
  let outcome;
  try {
    outcome = await useRecoveryCode(ctx, entity, text);
  } catch (error) {
    if (isDomainError(error, 'entity_locked')) return view(t('tooManyForAccount', { retry: retryAfter(error, session.locale) }));
    throw error;
  }
  if (!outcome.valid || !outcome.amr) return view(t('recoveryWrong'));
  return finish(ctx, session, outcome.amr);
}
