import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { takenAsSent } from '../../http/schema/validation.ts';
import type { DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { WhatsAppNotification, whatsAppReports } from './whatsapp-receipt.ts';
import { whatsAppHandshakeSchema, whatsAppNotificationSchema } from './whatsapp-schema.ts';
import { checkWhatsAppSignature, isVerifyToken } from './whatsapp-signature.ts';

export interface WhatsAppRoutesOptions {
  /** The provider instance: the route is `/messaging/<instance>/webhook` and its reports carry it. */
  instance: string;
  appSecret: string;
  verifyToken: string;
  logger: Logger;
  deliveryStatus: DeliveryStatusSink;
}

/** The callback URL path of an instance, as entered in the Meta app's WhatsApp configuration. */
export const whatsAppWebhookPath = (instance: string): string => `/messaging/${encodeURIComponent(instance)}/webhook`;

const sentAsIs = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

/**
 * The WhatsApp Cloud API's webhook, one URL for both of Meta's requests:
 *
 * - `GET /messaging/<instance>/webhook?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: the
 *   subscription handshake; the token is compared in constant time and the challenge echoed.
 * - `POST /messaging/<instance>/webhook`: notifications. The raw body is verified against
 *   `X-Hub-Signature-256` before it is parsed (a scoped JSON parser keeps the bytes); a bad signature
 *   is refused with 403, a malformed body with 400, neither reaching the sink. Each status goes to
 *   the sink by its `wamid`; the answer is 200 even for ids the sink does not know (see the schema).
 *
 * @example
 * await whatsAppRoutes(app, { instance: 'whatsapp', appSecret, verifyToken, logger, deliveryStatus });
 */
export async function whatsAppRoutes(app: FastifyInstance, options: WhatsAppRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: options.instance });
  const path = whatsAppWebhookPath(options.instance);
  const refuse = (reply: FastifyReply, error: VerityError) => reply.code(error.status).type('application/json').send(errorBody(error));

  app.get(path, { schema: whatsAppHandshakeSchema }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (query['hub.mode'] !== 'subscribe' || !isVerifyToken(options.verifyToken, query['hub.verify_token'])) {
      log.warn({ route: path, mode: query['hub.mode'] }, 'refused a WhatsApp webhook handshake with a wrong verify token');
      return refuse(reply, new VerityError(20003, 'The WhatsApp webhook verify token does not match', { status: 403 }));
    }
    return reply.code(200).type('text/plain').send(query['hub.challenge'] ?? '');
  });

  await app.register(async (scope) => {
    // The bytes as sent: the signature covers them, and JSON.parse + re-serialising would not give them back.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post(path, { schema: whatsAppNotificationSchema, validatorCompiler: takenAsSent, serializerCompiler: sentAsIs }, async (request: FastifyRequest, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (!raw) return refuse(reply, new VerityError(20001, 'Malformed WhatsApp webhook: expected a JSON body'));
      const header = request.headers['x-hub-signature-256'];
      const check = checkWhatsAppSignature(options.appSecret, typeof header === 'string' ? header : undefined, raw);
      if (check !== 'valid') {
        // Neither the signature nor the body is logged: the body names the recipient.
        log.warn({ route: path, signature: check }, 'refused a WhatsApp webhook with a bad X-Hub-Signature-256');
        return refuse(reply, new VerityError(20003, 'The X-Hub-Signature-256 header is missing or does not match the request', { status: 403 }));
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = undefined;
      }
      const parsed = WhatsAppNotification.safeParse(json);
      if (!parsed.success) return refuse(reply, new VerityError(20001, 'Malformed WhatsApp webhook: expected entry[].changes[].value, each status with id, status and timestamp'));
      for (const report of whatsAppReports(parsed.data, options.instance)) {
        const outcome = await options.deliveryStatus.report(report);
        // Not an error: the callback URL serves the whole business account, so statuses of messages
        // sent by other systems arrive here too. A `sent` that overtook the send's own answer is
        // followed by `delivered`, which moves the attempt on.
        if (outcome === 'unknown') log.info({ providerMessageId: report.providerMessageId, status: report.status }, 'a WhatsApp status names no message of this provider');
      }
      return reply.code(200).send();
    });
  });
}
