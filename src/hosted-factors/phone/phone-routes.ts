import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { serveHostedAssets } from '../../http/routes/handoff-assets.ts';
import { formStep } from '../../http/routes/handoff-flow.ts';
import { checkPhoneEnrollment, startPhoneEnrollment } from '../enrollment-hub.ts';
import { checkFlashCall, continueCallApproval, startCallApproval, startFlashCall } from './call-flow.ts';
import { checkPhoneCode, startPhoneCode } from './phone-code-flow.ts';
import { callContinueSchema, callSchema, enrollPhoneCheckSchema, enrollPhoneSchema, flashCallCheckSchema, flashCallSchema, phoneCheckSchema, phoneSchema } from './phone-schema.ts';

/**
 * The application's phone on the hosted pages: a code by SMS or call (`/handoff/phone`, checked by
 * `/handoff/phone/check`), "Approve with a call" and its waiting page's continue, a missed call and
 * its last digits; and the hub's new phone number with its code.
 */
export function phoneRoutes(app: FastifyInstance, ctx: AppContext): void {
  serveHostedAssets(app, new URL('./assets/', import.meta.url), {
    'handoff-call.js': { operationId: 'handoffCallScript', summary: 'The call pages\' script', description: 'On the phone code page of a call, the call approval and the missed call pages: follows the call\'s progress (the verification\'s event stream) and, on an outcome, posts the page\'s continue form. Every page works without it.' },
  });
  formStep(app, ctx, '/handoff/phone', phoneSchema, (session, body) => startPhoneCode(ctx, session, body.channel), () => 'phone');
  formStep(app, ctx, '/handoff/phone/check', phoneCheckSchema, (session, body) => checkPhoneCode(ctx, session, body.code), () => 'phone');
  formStep(app, ctx, '/handoff/call', callSchema, (session) => startCallApproval(ctx, session), () => 'call');
  formStep(app, ctx, '/handoff/call/continue', callContinueSchema, (session) => continueCallApproval(ctx, session), () => 'call');
  formStep(app, ctx, '/handoff/flashcall', flashCallSchema, (session) => startFlashCall(ctx, session), () => 'flashcall');
  formStep(app, ctx, '/handoff/flashcall/check', flashCallCheckSchema, (session, body) => checkFlashCall(ctx, session, body.code), () => 'flashcall');

  formStep(app, ctx, '/handoff/enroll/phone', enrollPhoneSchema, (session, body) => startPhoneEnrollment(ctx, session, body.phone_number, body.channel));
  formStep(app, ctx, '/handoff/enroll/phone/check', enrollPhoneCheckSchema, (session, body) => checkPhoneEnrollment(ctx, session, body.code));
}
