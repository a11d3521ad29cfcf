import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { formStep } from '../../http/routes/handoff-flow.ts';
import {
  continueEnrollmentByCall,
  continueVoiceprintByCall,
  ENROLL_VOICEPRINT_CALL_CONTINUE_PATH,
  ENROLL_VOICEPRINT_CALL_PATH,
  startEnrollmentByCall,
  startVoiceprintByCall,
  VOICEPRINT_CALL_CONTINUE_PATH,
  VOICEPRINT_CALL_PATH,
} from './voiceprint-call-flow.ts';
import { enrollVoiceprintCallContinueSchema, enrollVoiceprintCallSchema, voiceprintCallContinueSchema, voiceprintCallSchema } from './voiceprint-call-schema.ts';

/** The asset of the call page (served from this factor's assets folder by voiceprint-routes.ts), documented there. */
export const VOICEPRINT_CALL_ASSET_DOC = {
  'handoff-voiceprint-call.js': {
    operationId: 'handoffVoiceprintCallScript',
    summary: 'The voice call page\'s script',
    description: 'Follows the voiceprint call\'s progress stream (same origin) and shows each step; posts the page\'s continue form when the call has an outcome or ends.',
  },
};

/** "Call me and I will say my phrase": the sign-in's and the hub's forms (voiceprint-call-flow.ts). */
export function voiceprintCallRoutes(app: FastifyInstance, ctx: AppContext): void {
  formStep(app, ctx, VOICEPRINT_CALL_PATH, voiceprintCallSchema, (session, body) => startVoiceprintByCall(ctx, session, body.factor), () => 'voiceprint');
  formStep(app, ctx, VOICEPRINT_CALL_CONTINUE_PATH, voiceprintCallContinueSchema, (session) => continueVoiceprintByCall(ctx, session), () => 'voiceprint');
  formStep(app, ctx, ENROLL_VOICEPRINT_CALL_PATH, enrollVoiceprintCallSchema, (session) => startEnrollmentByCall(ctx, session), () => 'voiceprint');
  formStep(app, ctx, ENROLL_VOICEPRINT_CALL_CONTINUE_PATH, enrollVoiceprintCallContinueSchema, (session) => continueEnrollmentByCall(ctx, session), () => 'voiceprint');
}
