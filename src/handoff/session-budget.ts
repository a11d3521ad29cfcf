import type { AppContext } from '../context.ts';
import type { VerificationRow } from '../store/schema.ts';
import { checkVerification, isSessionWrongCodesLimit, type CheckInput } from '../verify/check-verification.ts';
import { requesterId, sessionWrongCodesKey, type CheckRequester } from '../verify/limits.ts';
import { HandoffPageError, type HandoffSession } from './handoff-session.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type SessionBudgetDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'metrics' | 'stores' | 'verificationLifecycle'>;

/**
 * What one hand-off session may cost. Its budgets are counters in the database keyed by the
 * session's `id` (shared by every node, and by every tab or replayed form of that session), never
 * part of the session state itself. Each send spends the budgets before anything is sent:
 * - at most `sessionMaxSends` codes and calls in all (SMS, code call, approval call, flash call);
 * - to at most `sessionMaxNumbers` distinct numbers (the enrollment hub lets the user type one);
 * - none once the session's wrong codes are spent (its code steps have ended).
 * Checks through the session spend its wrong codes (see checkInSession).
 */

const sendsKey = (session: HandoffSession): string => `hosted-sends:${session.id}`;
const numbersKey = (session: HandoffSession): string => `hosted-numbers:${session.id}`;
const numberKey = (session: HandoffSession, destination: string): string => `hosted-number:${session.id}:${destination}`;

/** Who checks a code typed on these pages: the application's user, in this session (see CheckRequester). */
function hostedRequester(ctx: SessionBudgetDeps, session: HandoffSession): CheckRequester {
  return { kind: 'hosted', sessionId: session.id, subject: session.request.subject, maxWrongCodes: ctx.config.hostedLimits.sessionMaxWrongCodes };
}

/**
 * The requester of the verifications these pages start for the session's user (`hosted:<subject>`):
 * per user, not per session, so a user's own sessions (Back, reload, a new sign-in) share one
 * pending verification per number, and never the application's own (src/verify/limits.ts).
 */
export function hostedVerificationRequester(ctx: SessionBudgetDeps, session: HandoffSession): string {
  return requesterId(hostedRequester(ctx, session));
}

/**
 * Spends one send of the session toward `destination` (E.164), or refuses with a page error and
 * nothing spent. Call it right before the send; a send that then fails keeps it spent.
 */
export async function spendSessionSend(ctx: SessionBudgetDeps, session: HandoffSession, destination: string): Promise<void> {
  const { sessionMaxSends, sessionMaxNumbers, sessionMaxWrongCodes } = ctx.config.hostedLimits;
  const spend = ctx.stores.transaction(async (tx) => {
    const budgets = tx.budgets;
    const now = ctx.clock.now();
    if (!(await budgets.left(sessionWrongCodesKey(session.id), sessionMaxWrongCodes))) return new HandoffPageError(429, 'sessionWrongCodes', { locale: session.locale });
    if (!(await budgets.spend(sendsKey(session), sessionMaxSends, now))) return new HandoffPageError(429, 'sessionSendsSpent', { locale: session.locale, params: { max: sessionMaxSends } });
    // A one-unit marker per number: spending it means the number is new to this session.
    const firstToNumber = await budgets.spend(numberKey(session, destination), 1, now);
    if (firstToNumber && !(await budgets.spend(numbersKey(session), sessionMaxNumbers, now))) {
      // Thrown, not returned: the transaction rolls back the send and the marker just spent.
      throw new HandoffPageError(429, 'sessionNumbersSpent', { locale: session.locale, params: { max: sessionMaxNumbers } });
    }
    return undefined;
  });
  const refusal = await spend.catch((error: unknown) => {
    if (error instanceof HandoffPageError) return error;
    throw error;
  });
  if (refusal) {
    ctx.metrics.rateLimited.inc({ limit: 'hosted_session_budget' });
    throw refusal;
  }
}

/**
 * Verify's check of a code typed on these pages, as this session's user: its wrong codes count toward
 * that user's lock-out of the number (never the application's API checks) and the session's own cap,
 * whose end is a page error: the user starts again from the application.
 */
export async function checkInSession(ctx: SessionBudgetDeps, session: HandoffSession, input: Omit<CheckInput, 'requester'>): Promise<VerificationRow> {
  try {
    return await checkVerification(ctx, { ...input, requester: hostedRequester(ctx, session) });
  } catch (error) {
    if (isSessionWrongCodesLimit(error)) {
      ctx.metrics.rateLimited.inc({ limit: 'hosted_session_wrong_codes' });
      throw new HandoffPageError(429, 'sessionWrongCodes', { locale: session.locale });
    }
    throw error;
  }
}
