import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { formStep } from '../../http/routes/handoff-flow.ts';
import { issueRecoveryCodes } from '../enrollment-hub.ts';
import { enrollRecoveryCodesSchema, recoveryCodeSchema } from './recovery-code-schema.ts';
import { submitRecoveryCode } from './recovery-code-flow.ts';

/** Recovery codes on the hosted pages: the chooser's form (`POST /handoff/recovery-code`) and the hub's new set (`/handoff/enroll/recovery-codes`). */
export function recoveryCodeRoutes(app: FastifyInstance, ctx: AppContext): void {
  formStep(app, ctx, '/handoff/recovery-code', recoveryCodeSchema, (session, body) => submitRecoveryCode(ctx, session, body.code), () => 'recovery_code');
  formStep(app, ctx, '/handoff/enroll/recovery-codes', enrollRecoveryCodesSchema, (session) => issueRecoveryCodes(ctx, session));
}
