import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { HandoffPageError, type HandoffSession } from '../../handoff/handoff-session.ts';
import {
  checkPhoneEnrollment,
  checkPushEnrollment,
  confirmRemoveMethod,
  enrollHub,
  finishEnrollment,
  issueRecoveryCodes,
  pushEnrollmentStatus,
  removeMethod,
  renameMethod,
  startPhoneEnrollment,
  startPushEnrollment,
  startTotpEnrollment,
  verifyTotpEnrollment,
} from '../../handoff/hosted-enrollment.ts';
import type { Submission } from '../../handoff/hosted-handoff.ts';
import { performStep, readSession, sendRefusal } from './handoff-flow.ts';

type EnrollForm = { Body: { session?: string; code?: string; phone_number?: string; channel?: string; factor?: string; friendly_name?: string } | undefined };

/**
 * The enrollment hub of a `purpose: enroll` hand-off (docs/handoff.md). Every form posts its token
 * (`session`) and is one step of the flow (handoff-flow.ts: acts once, then 303 to the session's
 * page); each refuses a session without the enrollment grant (403) or already finished (409).
 * Rename and remove name the factor by sid; it must be the session's user's (else 404), covered by
 * the session's step-up (else 403), and a removal must leave a method (else 409).
 * `POST /handoff/enroll/passkey` and `/handoff/enroll/voiceprint` belong to those factors' routes.
 */
export function handoffEnrollRoutes(app: FastifyInstance, ctx: AppContext): void {
  /** A step of the hub: `run` gets this browser's session and the form's fields. */
  const step = (path: string, run: (session: HandoffSession, body: NonNullable<EnrollForm['Body']>) => Promise<Submission>): void => {
    app.post<EnrollForm>(path, async (request, reply) => {
      const body = request.body ?? {};
      return performStep(ctx, request, reply, body.session, (session) => run(session, body));
    });
  };

  step('/handoff/enroll', (session) => enrollHub(ctx, session));
  step('/handoff/enroll/totp', (session) => startTotpEnrollment(ctx, session));
  step('/handoff/enroll/totp/verify', (session, body) => verifyTotpEnrollment(ctx, session, body.code));
  step('/handoff/enroll/push', (session) => startPushEnrollment(ctx, session));
  step('/handoff/enroll/push/check', (session) => checkPushEnrollment(ctx, session));
  // The push set-up page's script polls this (JSON, read-only); the page's button posts /check without script.
  app.post<EnrollForm>('/handoff/enroll/push/status', async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    try {
      return { state: await pushEnrollmentStatus(ctx, await readSession(ctx, request, request.body?.session)) };
    } catch (error) {
      // A refusal is the hosted pages' HTML error page, with their headers (the script only reads the status).
      if (error instanceof HandoffPageError) return sendRefusal(reply, error);
      throw error;
    }
  });
  step('/handoff/enroll/recovery-codes', (session) => issueRecoveryCodes(ctx, session));
  step('/handoff/enroll/phone', (session, body) => startPhoneEnrollment(ctx, session, body.phone_number, body.channel));
  step('/handoff/enroll/phone/check', (session, body) => checkPhoneEnrollment(ctx, session, body.code));
  step('/handoff/enroll/rename', (session, body) => renameMethod(ctx, session, body.factor, body.friendly_name));
  // Remove asks first (a page with the confirm button); only /confirm deletes.
  step('/handoff/enroll/remove', (session, body) => confirmRemoveMethod(ctx, session, body.factor));
  step('/handoff/enroll/remove/confirm', (session, body) => removeMethod(ctx, session, body.factor));
  step('/handoff/enroll/done', (session) => finishEnrollment(ctx, session));
}
