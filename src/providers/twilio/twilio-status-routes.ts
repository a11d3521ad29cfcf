import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { takenAsSent } from '../../http/schema/validation.ts';
import type { DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { receiptPath } from '../receipt-url.ts';
import { isValidTwilioSignature, type TwilioParams } from './twilio-signature.ts';
import { readTwilioStatus } from './twilio-status.ts';
import { twilioStatusSchema } from './twilio-status-schema.ts';

export interface TwilioStatusRoutesOptions {
  /** The provider instance (ProviderDeps.instance): the route is `/messaging/<instance>/status` and reports carry it. */
  instance: string;
  /** The account auth token that signs Twilio's webhooks. */
  authToken: string;
  /** Verity's public origin, exactly as given to Twilio in the StatusCallback (the signature covers it). */
  publicUrl: string;
  sink: DeliveryStatusSink;
  logger: Logger;
}

/**
 * `POST /messaging/<instance>/status`: Twilio's StatusCallback for the messages (and message calls)
 * this instance sent. The X-Twilio-Signature is checked first (403 / 20003, nothing read); a body that
 * is not a status callback is refused (400 / 20001); a status is reported to the sink and answered
 * 204, whatever the sink says: Twilio does not retry status callbacks, so a repeat or an unknown
 * message only needs a log line, and a 4xx would only show in Twilio's debugger.
 *
 * @example
 * await twilioStatusRoutes(app, { instance: 'twilio', authToken, publicUrl: config.publicUrl, sink: deps.deliveryStatus, logger });
 */
export async function twilioStatusRoutes(app: FastifyInstance, options: TwilioStatusRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: options.instance });
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  await app.register(async (scope) => {
    // The signature covers the raw parameters: no schema may change them first.
    scope.post(receiptPath(options.instance, 'status'), { schema: twilioStatusSchema, validatorCompiler: takenAsSent }, async (request, reply) => {
      const header = request.headers['x-twilio-signature'];
      const signature = typeof header === 'string' ? header : undefined;
      const params = isParams(request.body) ? request.body : {};
      if (!isValidTwilioSignature(options.authToken, signature, `${publicUrl}${request.url}`, params)) {
        // Neither the signature nor the parameters are logged: they name the recipient.
        log.warn({ route: request.routeOptions.url, signature: signature === undefined ? 'missing' : 'invalid' }, 'refused a Twilio status callback with a bad X-Twilio-Signature');
        return reply.code(403).send(errorBody(new VerityError(20003, 'The X-Twilio-Signature header is missing or does not match the request', { status: 403 })));
      }
      // Twilio posts forms only; any other body, signed or not, is not its callback.
      const form = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
      const callback = form ? readTwilioStatus(params) : { kind: 'malformed' as const, problem: 'the body is not form-encoded' };
      if (callback.kind === 'malformed') {
        log.warn({ problem: callback.problem }, 'refused a signed Twilio status callback that is not one');
        return reply.code(400).send(errorBody(new VerityError(20001, `Not a Twilio status callback: ${callback.problem}`)));
      }
      if (callback.kind === 'ignored') {
        log.debug({ status: callback.status }, 'ignored a Twilio status Verity does not track');
        return reply.code(204).send();
      }
      const outcome = await options.sink.report({ provider: options.instance, ...callback.report });
      if (outcome === 'unknown') log.warn({ messageSid: callback.report.providerMessageId, status: callback.report.status }, 'a Twilio status callback for a message this instance did not send');
      return reply.code(204).send();
    });
  });
}

function isParams(body: unknown): body is TwilioParams {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body);
}
