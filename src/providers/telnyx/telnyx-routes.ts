import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../crypto/clock.ts';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { takenAsSent } from '../../http/schema/validation.ts';
import type { DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { receiptPath } from '../receipt-url.ts';
import { TelnyxWebhook, telnyxReceipt } from './telnyx-receipt.ts';
import { telnyxEventsSchema } from './telnyx-schema.ts';
import { checkTelnyxSignature, telnyxPublicKey } from './telnyx-signature.ts';

export interface TelnyxRoutesOptions {
  /** The provider instance: the route is `/messaging/<instance>/events` and its reports carry it. */
  instance: string;
  /** The account's raw 32-byte Ed25519 webhook key. */
  publicKey: Buffer;
  clock: Clock;
  logger: Logger;
  deliveryStatus: DeliveryStatusSink;
}

/** The name of the webhook under the instance's receipt path: `/messaging/<instance>/events`. */
export const TELNYX_WEBHOOK = 'events';

const sentAsIs = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

/**
 * `POST /messaging/<instance>/events`: Telnyx's message webhooks. The raw body is verified against
 * `telnyx-signature-ed25519` before it is parsed (the signature covers the exact bytes, so the
 * route has its own JSON parser that keeps them); a bad or stale signature is refused with 403,
 * a malformed body with 400, neither reaching the sink. A status of a message the sink does not
 * know is answered 404 so that Telnyx retries it (its retries cover a webhook that arrives before
 * the send's answer was recorded); anything else is 204.
 *
 * @example
 * await telnyxRoutes(app, { instance: 'telnyx', publicKey, clock, logger, deliveryStatus });
 */
export async function telnyxRoutes(app: FastifyInstance, options: TelnyxRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: options.instance });
  const key = telnyxPublicKey(options.publicKey);
  const refuse = (reply: FastifyReply, error: VerityError) => reply.code(error.status).type('application/json').send(errorBody(error));

  await app.register(async (scope) => {
    // The bytes as sent: the signature covers them, and JSON.parse + re-serialising would not give them back.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post(receiptPath(options.instance, TELNYX_WEBHOOK), { schema: telnyxEventsSchema, validatorCompiler: takenAsSent, serializerCompiler: sentAsIs }, async (request: FastifyRequest, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (!raw) return refuse(reply, new VerityError(20001, 'Malformed Telnyx webhook: expected a JSON body'));
      const header = (name: string) => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const check = checkTelnyxSignature(key, header('telnyx-signature-ed25519'), header('telnyx-timestamp'), raw, options.clock.now());
      if (check !== 'valid') {
        // Neither the signature nor the body is logged: the body names the recipient.
        log.warn({ route: request.routeOptions.url, signature: check }, 'refused a Telnyx webhook with a bad telnyx-signature-ed25519');
        return refuse(reply, new VerityError(20003, 'The telnyx-signature-ed25519 header is missing or does not match the request', { status: 403 }));
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = undefined;
      }
      const parsed = TelnyxWebhook.safeParse(json);
      const report = parsed.success ? telnyxReceipt(parsed.data, options.instance) : 'malformed';
      if (report === 'malformed') return refuse(reply, new VerityError(20001, 'Malformed Telnyx webhook: expected data.event_type and, for a status event, data.payload.id and data.payload.to'));
      if (report === 'ignored') {
        log.debug({ event: parsed.success ? parsed.data.data.event_type : undefined }, 'ignored a Telnyx webhook Verity does not read');
        return reply.code(204).send();
      }
      const outcome = await options.deliveryStatus.report(report);
      if (outcome === 'unknown') {
        log.info({ providerMessageId: report.providerMessageId, status: report.status }, 'a Telnyx status names no message of this provider (yet); Telnyx will retry it');
        return refuse(reply, new VerityError(20404, 'No message of this provider has this id'));
      }
      return reply.code(204).send();
    });
  });
}
