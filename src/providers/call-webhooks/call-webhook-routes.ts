import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { takenAsSent } from '../../http/schema/validation.ts';
import type { CallWebhookHandler } from './call-webhook-handler.ts';
import type { CallWebhookSchemas } from './call-webhook-schema.ts';

type CallRoute = { Params: { callSid: string } };

const sentAsIs = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

/** One carrier's call webhooks: where they live, how they authenticate and how its events read. */
export interface CallWebhookRoutesOptions<Body> {
  /** The path of a call's webhooks without the call, e.g. `/voice/twilio/calls`. */
  base: string;
  /** Content type of the markup answers (`text/xml`, `application/xml`). */
  markupType: string;
  /** Adds the carrier's authentication (a signature check, HTTP Basic…) to the scope of these routes. */
  authenticate(scope: FastifyInstance): void;
  handler: CallWebhookHandler;
  /** What the document says about each route (call-webhook-schema.ts). */
  schemas: CallWebhookSchemas;
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
 * the CallWebhookHandler's. The schemas only document the routes: their validator takes the input
 * as sent, so a signature check sees the raw parameters and no schema refuses a carrier's request.
 */
export async function registerCallWebhookRoutes<Body>(app: FastifyInstance, options: CallWebhookRoutesOptions<Body>): Promise<void> {
  const { base, handler, schemas } = options;
  // The answers are markup text and error bodies, sent as they are: nothing is serialised by a schema either.
  const documented = (schema: CallWebhookSchemas[keyof CallWebhookSchemas]) => ({ schema, validatorCompiler: takenAsSent, serializerCompiler: sentAsIs });
  await app.register(async (scope) => {
    options.authenticate(scope);
    const markup = (reply: FastifyReply, xml: string) => reply.code(200).type(options.markupType).send(xml);
    // The body as the carrier sends it (form or JSON); its readers check every field they take.
    const body = (request: FastifyRequest) => request.body as Body | undefined;

    scope.post<CallRoute>(`${base}/:callSid/answer`, documented(schemas.answer), async (request, reply) => markup(reply, await handler.answered(request.params.callSid)));

    scope.post<CallRoute>(`${base}/:callSid/gather`, documented(schemas.gather), async (request, reply) => {
      return markup(reply, await handler.digits(request.params.callSid, options.digits(body(request))));
    });

    scope.post<CallRoute>(`${base}/:callSid/record`, documented(schemas.record), async (request, reply) => {
      return markup(reply, await handler.recording(request.params.callSid, options.recordingUrl(body(request))));
    });

    scope.post<CallRoute>(`${base}/:callSid/${options.progress.path}`, documented(schemas.progress), async (request, reply) => {
      await options.progress.report(request.params.callSid, body(request));
      return reply.code(204).send();
    });
  });
}
