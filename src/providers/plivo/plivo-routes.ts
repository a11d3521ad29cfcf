import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { takenAsSent } from '../../http/schema/validation.ts';
import type { DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { receiptPath } from '../receipt-url.ts';
import { PlivoStatusCallback, plivoReceipt } from './plivo-receipt.ts';
import { plivoStatusSchema } from './plivo-schema.ts';
import { isValidPlivoV3Signature, type PlivoParams } from './plivo-signature.ts';

export interface PlivoRoutesOptions {
  /** The provider instance: the route is `/messaging/<instance>/status` and its reports carry it. */
  instance: string;
  /** The Auth Token that signs Plivo's callbacks (the one the messages were sent with). */
  authToken: string;
  /** Verity's public origin, exactly as given to Plivo in each message's `url` (the signature covers it). */
  publicUrl: string;
  logger: Logger;
  deliveryStatus: DeliveryStatusSink;
}

/** The name of the status callback under the instance's receipt path: `/messaging/<instance>/status`. */
export const PLIVO_CALLBACK = 'status';

const sentAsIs = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

function isParams(body: unknown): body is PlivoParams {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body);
}

/**
 * `POST /messaging/<instance>/status`: Plivo's message status callbacks (form-encoded). Each must
 * carry an X-Plivo-Signature-V3 over `publicUrl` + the path and the form parameters, with its
 * nonce; anything else is refused with 403 before it is read, a callback without MessageUUID or
 * Status with 400, neither reaching the sink. A status of a message the sink does not know is
 * answered 404 so that Plivo retries it (three times, after 1, 3 and 7 minutes: a callback can
 * arrive before the send's answer was recorded); anything else is 200.
 *
 * @example
 * await plivoRoutes(app, { instance: 'plivo', authToken, publicUrl: config.publicUrl, logger, deliveryStatus });
 */
export async function plivoRoutes(app: FastifyInstance, options: PlivoRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: options.instance });
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const refuse = (reply: FastifyReply, error: VerityError) => reply.code(error.status).type('application/json').send(errorBody(error));

  app.post(receiptPath(options.instance, PLIVO_CALLBACK), { schema: plivoStatusSchema, validatorCompiler: takenAsSent, serializerCompiler: sentAsIs }, async (request: FastifyRequest, reply) => {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const params = isParams(request.body) ? request.body : {};
    const signature = header('x-plivo-signature-v3');
    if (!isValidPlivoV3Signature(options.authToken, signature, header('x-plivo-signature-v3-nonce'), `${publicUrl}${request.url}`, params)) {
      // Neither the signature nor the parameters are logged: they name the recipient.
      log.warn({ route: request.routeOptions.url, signature: signature === undefined ? 'missing' : 'invalid' }, 'refused a Plivo callback with a bad X-Plivo-Signature-V3');
      return refuse(reply, new VerityError(20003, 'The X-Plivo-Signature-V3 header is missing or does not match the request', { status: 403 }));
    }
    const parsed = PlivoStatusCallback.safeParse(params);
    if (!parsed.success) return refuse(reply, new VerityError(20001, 'Malformed Plivo status callback: expected MessageUUID and Status'));
    const report = plivoReceipt(parsed.data, options.instance);
    if (report === 'ignored') {
      log.debug({ status: parsed.data.Status }, 'ignored a Plivo status Verity does not read');
      return reply.code(200).send();
    }
    const outcome = await options.deliveryStatus.report(report);
    if (outcome === 'unknown') {
      log.info({ providerMessageId: report.providerMessageId, status: report.status }, 'a Plivo status names no message of this provider (yet); Plivo will retry it');
      return refuse(reply, new VerityError(20404, 'No message of this provider has this id'));
    }
    return reply.code(200).send();
  });
}
