import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
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
} from '../../hosted-factors/enrollment-hub.ts';
import type { Submission } from '../../hosted-factors/hosted-flow.ts';
import { performStep, readSession, sendRefusal } from './handoff-flow.ts';
import { formText, formToken, hostedPage, pageForm } from './hosted-page-schema.ts';

/** What the hub's forms post (each form a few of these fields). */
const EnrollForm = pageForm({
  session: formToken(),
  code: formText('The code of a new authenticator app or of the code sent to a new phone.'),
  phone_number: formText('A new phone number (international format).'),
  channel: formText('How to send the code to a new phone: `sms` or `call`.'),
  factor: formText('The sid of the factor to rename or remove.'),
  friendly_name: formText('The new name of a factor.'),
});
const enrollForm = hostedPage({ body: EnrollForm });

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
  const api = app.withTypeProvider<ZodTypeProvider>();
  const step = (path: string, run: (session: HandoffSession, body: NonNullable<z.output<typeof EnrollForm>>) => Promise<Submission>): void => {
    api.post(path, enrollForm, async (request, reply) => {
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
  api.post('/handoff/enroll/push/status', enrollForm, async (request, reply) => {
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
