import type { AppContext } from '../context.ts';
import { completeSession, HandoffPageError, type HandoffSession } from '../handoff/handoff-session.ts';
import { issueHandoffResult } from '../handoff/issue-handoff-result.ts';
import { grantEnrollment } from './enrollment-hub.ts';
import { resultLocation, type Submission } from './hosted-flow.ts';

/** A factor passed: the signed result back to the application, or the enrollment hub for `purpose: enroll`. */
export async function finish(ctx: AppContext, session: HandoffSession, amr: string[]): Promise<Submission> {
  // An enrollment hand-off: the factor just passed grants the hub instead of a result (enrollment-hub.ts).
  if (session.request.purpose === 'enroll') return grantEnrollment(ctx, session, amr);
  if (!(await completeSession(ctx, session))) throw new HandoffPageError(409, 'alreadyCompleted', { locale: session.locale });
  const result = await issueHandoffResult(ctx, session.request, { amr, authTime: ctx.clock.now() });
  return { kind: 'result', location: resultLocation(session.request, result) };
}
