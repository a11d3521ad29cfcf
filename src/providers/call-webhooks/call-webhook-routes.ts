import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallWebhookHandler } from './call-webhook-handler.ts';

type CallRoute = { Params: { callSid: string } };

/** One carrier's call webhooks: where they live, how they authenticate and how its events read. */
export interface CallWebhookRoutesOptions<Body> {
  /** The path of a call's webhooks without the call, e.g. `/voice/twilio/calls`. */
  base: string;
  /** Content type of the markup answers (`text/xml`, `application/xml`). */
  markupType: string;
  /** Adds the carrier's authentication (a signature check, HTTP Basic…) to the scope of these routes. */
  authenticate(scope: FastifyInstance): void;
  handler: CallWebhookHandler;
  /** The digits of a gather callback ('' on a timeout). */
  digits(body: Body | undefined): string;
  /** The URL of a recording callback's media, if any. */
  recordingUrl(body: Body | undefined): string | undefined;
  /** The callback that reports progress and the end of the call (`status`, `disconnect`): answered 204. */
  progress: { path: string; report(callSid: string, body: Body | undefined): Promise<void> };
}

/**
 * Registers `POST <base>/:callSid/{answer,gather,record}` (answered with the flow's next
 * instruction as markup) and `POST <base>/:callSid/<progress>` (204), in their own plugin scope so
 * the carrier's authentication hook covers exactly these routes. HTTP only: what an event means is
 * the CallWebhookHandler's.
 */
export async function registerCallWebhookRoutes<Body>(app: FastifyInstance, options: CallWebhookRoutesOptions<Body>): Promise<void> {
  const { base, handler } = options;
  await app.register(async (scope) => {
    options.authenticate(scope);
    const markup = (reply: FastifyReply, xml: string) => reply.code(200).type(options.markupType).send(xml);
    // The body as the carrier sends it (form or JSON); its readers check every field they take.
    const body = (request: FastifyRequest) => request.body as Body | undefined;

    scope.post<CallRoute>(`${base}/:callSid/answer`, async (request, reply) => markup(reply, await handler.answered(request.params.callSid)));

    scope.post<CallRoute>(`${base}/:callSid/gather`, async (request, reply) => {
      return markup(reply, await handler.digits(request.params.callSid, options.digits(body(request))));
    });

    scope.post<CallRoute>(`${base}/:callSid/record`, async (request, reply) => {
      return markup(reply, await handler.recording(request.params.callSid, options.recordingUrl(body(request))));
    });

    scope.post<CallRoute>(`${base}/:callSid/${options.progress.path}`, async (request, reply) => {
      await options.progress.report(request.params.callSid, body(request));
      return reply.code(204).send();
    });
  });
}
