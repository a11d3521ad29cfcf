import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { HandoffPageError, openSession } from '../../handoff/handoff-session.ts';
import {
  checkPhoneEnrollment,
  checkPushEnrollment,
  enrollHub,
  finishEnrollment,
  issueRecoveryCodes,
  pushEnrollmentStatus,
  startPhoneEnrollment,
  startPushEnrollment,
  startTotpEnrollment,
  verifyTotpEnrollment,
} from '../../handoff/hosted-enrollment.ts';
import type { Submission } from '../../handoff/hosted-handoff.ts';
import { answer } from './handoff-routes.ts';

type EnrollForm = { Body: { session?: string; code?: string; phone_number?: string; channel?: string } | undefined };

/**
 * The enrollment hub of a `purpose: enroll` hand-off (docs/handoff.md). Every form posts the sealed
 * session; each step refuses a session without the enrollment grant (403) or already finished (409).
 * `POST /handoff/enroll/passkey` and `/handoff/enroll/voiceprint` belong to those factors' routes.
 */
export function handoffEnrollRoutes(app: FastifyInstance, ctx: AppContext): void {
  const form = (path: string, run: (body: NonNullable<EnrollForm['Body']>) => Promise<Submission>): void => {
    app.post<EnrollForm>(path, async (request, reply) => answer(reply, ctx, async () => run(request.body ?? {}), ''));
  };
  const session = (body: NonNullable<EnrollForm['Body']>) => openSession(ctx, body.session);

  form('/handoff/enroll', async (body) => enrollHub(ctx, session(body)));
  form('/handoff/enroll/totp', async (body) => startTotpEnrollment(ctx, session(body)));
  form('/handoff/enroll/totp/verify', async (body) => verifyTotpEnrollment(ctx, session(body), body.code));
  form('/handoff/enroll/push', async (body) => startPushEnrollment(ctx, session(body)));
  form('/handoff/enroll/push/check', async (body) => checkPushEnrollment(ctx, session(body)));
  // The push set-up page's script polls this (JSON); the page's button posts /check without script.
  app.post<EnrollForm>('/handoff/enroll/push/status', async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    try {
      return { state: await pushEnrollmentStatus(ctx, session(request.body ?? {})) };
    } catch (error) {
      // A refusal is the hosted pages' HTML error page, with their headers (the script only reads the status).
      if (error instanceof HandoffPageError) return answer(reply, ctx, () => Promise.reject(error), '');
      throw error;
    }
  });
  form('/handoff/enroll/recovery-codes', async (body) => issueRecoveryCodes(ctx, session(body)));
  form('/handoff/enroll/phone', async (body) => startPhoneEnrollment(ctx, session(body), body.phone_number, body.channel));
  form('/handoff/enroll/phone/check', async (body) => checkPhoneEnrollment(ctx, session(body), body.code));
  form('/handoff/enroll/done', async (body) => finishEnrollment(ctx, session(body)));
}
