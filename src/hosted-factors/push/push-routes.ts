import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { HandoffPageError } from '../../handoff/handoff-session.ts';
import { formStep, readSession, sendRefusal } from '../../http/routes/handoff-flow.ts';
import { hostedAssetSchema, serveHostedAssets } from '../../http/routes/handoff-assets.ts';
import { hostedPage } from '../../http/routes/hosted-page-schema.ts';
import { HANDOFF_PUSH_JS, HANDOFF_PUSH_JS_PATH } from '../../hosted/handoff-pages.ts';
import { checkPushEnrollment, pushEnrollmentStatus, startPushEnrollment } from '../enrollment-hub.ts';
import { enrollPushCheckSchema, enrollPushSchema, enrollPushStatusSchema, pushContinueSchema, pushResendSchema, pushSchema } from './push-schema.ts';
import { continuePush, resendPush, startPush } from './push-flow.ts';

/**
 * Push on the hosted pages: the chooser's "Approve on your phone" (`POST /handoff/push` sends the
 * challenge, its waiting page's script follows it and posts `/handoff/push/continue`, which reads
 * the challenge's status here), and the hub's push device set-up with its status poll.
 */
export function pushRoutes(app: FastifyInstance, ctx: AppContext): void {
  serveHostedAssets(app, new URL('./assets/', import.meta.url), {
    'handoff-enroll-push.js': { operationId: 'handoffEnrollPushScript', summary: 'The push set-up page\'s script', description: 'Asks `/handoff/enroll/push/status` every 2 s and posts the page\'s check form once the device is set up or the token expired; the page\'s button does the same without it.' },
    'handoff-countdown.js': { operationId: 'handoffCountdownScript', summary: 'The waiting pages\' countdowns', description: 'Keeps the push and phone code pages\' timers (expiry, "resend in") running from the deadline the server rendered; the server refuses an early resend whatever the page shows.' },
  });
  const pushScript = { operationId: 'handoffPushScript', summary: 'The push waiting page\'s script', description: 'On the push waiting page: follows the challenge\'s progress stream and posts the page\'s continue form on an outcome.' };
  app.get(HANDOFF_PUSH_JS_PATH, { schema: hostedAssetSchema('handoff-push.js', pushScript) }, async (_request, reply) =>
    reply.header('Content-Type', 'text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300').header('X-Content-Type-Options', 'nosniff').send(HANDOFF_PUSH_JS),
  );
  formStep(app, ctx, '/handoff/push', pushSchema, (session, body) => startPush(ctx, session, body.factor), () => 'push');
  formStep(app, ctx, '/handoff/push/continue', pushContinueSchema, (session) => continuePush(ctx, session), () => 'push');
  formStep(app, ctx, '/handoff/push/resend', pushResendSchema, (session) => resendPush(ctx, session), () => 'push');

  formStep(app, ctx, '/handoff/enroll/push', enrollPushSchema, (session) => startPushEnrollment(ctx, session));
  formStep(app, ctx, '/handoff/enroll/push/check', enrollPushCheckSchema, (session) => checkPushEnrollment(ctx, session));
  // The push set-up page's script polls this (JSON, read-only); the page's button posts /check without script.
  app.withTypeProvider<ZodTypeProvider>().post('/handoff/enroll/push/status', hostedPage(enrollPushStatusSchema), async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    try {
      return { state: await pushEnrollmentStatus(ctx, await readSession(ctx, request, request.body?.session)) };
    } catch (error) {
      // A refusal is the hosted pages' HTML error page, with their headers (the script only reads the status).
      if (error instanceof HandoffPageError) return sendRefusal(reply, error);
      throw error;
    }
  });
}
