import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { formStep } from '../../http/routes/handoff-flow.ts';
import { startTotpEnrollment, verifyTotpEnrollment } from '../enrollment-hub.ts';
import { enrollTotpSchema, enrollTotpVerifySchema, totpSchema } from './totp-schema.ts';
import { submitTotp } from './totp-flow.ts';

/**
 * TOTP on the hosted pages: the chooser's code form (`POST /handoff/totp`: the code answers the
 * challenge the session opened for that factor), and the hub's "Add an authenticator app" with
 * its first code (`/handoff/enroll/totp`, `/handoff/enroll/totp/verify`).
 */
export function totpRoutes(app: FastifyInstance, ctx: AppContext): void {
  formStep(app, ctx, '/handoff/totp', totpSchema, (session, body) => submitTotp(ctx, session, body.factor, body.code), (body) => body.factor ?? '');
  formStep(app, ctx, '/handoff/enroll/totp', enrollTotpSchema, (session) => startTotpEnrollment(ctx, session));
  formStep(app, ctx, '/handoff/enroll/totp/verify', enrollTotpVerifySchema, (session, body) => verifyTotpEnrollment(ctx, session, body.code));
}
