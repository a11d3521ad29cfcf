import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../crypto/clock.ts';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { takenAsSent } from '../../http/schema/validation.ts';
import type { DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { receiptPath } from '../receipt-url.ts';
import { SnsHttpMessage, snsDeliveryReport } from './sns-delivery-log.ts';
import { awsSnsOrigin, isSnsUrl, isValidSnsSignature, topicRegion } from './sns-message-signature.ts';
import { snsNotificationSchema } from './sns-notification-schema.ts';

export interface SnsNotificationRoutesOptions {
  /** The provider instance: the route is `/messaging/<instance>/notifications` and its reports carry it. */
  instance: string;
  /** The one topic whose messages are taken (VERITY_SNS_STATUS_TOPIC_ARN). */
  topicArn: string;
  clock: Clock;
  logger: Logger;
  deliveryStatus: DeliveryStatusSink;
  /** GETs a URL on the SNS host (certificates, subscription confirmations); defaults to fetch with a 10 s time-out. */
  fetchText?: (url: string) => Promise<string>;
  /** Where certificates and confirmations may be fetched: AWS's `https://sns.<region>.amazonaws.com` unless a test gives its fake's. */
  snsOrigin?: (region: string) => string;
}

/** The name of the subscription endpoint under the instance's receipt path: `/messaging/<instance>/notifications`. */
const SNS_NOTIFICATIONS = 'notifications';

const sentAsIs = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

async function fetchWithTimeout(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

/**
 * `POST /messaging/<instance>/notifications`: an HTTPS subscription of the topic the account forwards
 * SNS's SMS delivery logs to (SNS has no per-message receipts of its own; see docs/providers.md).
 * Each message must come from `topicArn` and carry a SignatureVersion 2 signature that verifies with
 * the certificate at its SigningCertURL, which must be on the region's SNS host; certificates are
 * cached by URL. A SubscriptionConfirmation is confirmed by fetching its SubscribeURL (same host).
 * A notification's Message is one delivery log record, reported to the sink; a record of a message
 * this instance does not know is answered 200 all the same (the log comes long after Publish
 * answered, so a retry by SNS could not find it either).
 */
export async function snsNotificationRoutes(app: FastifyInstance, options: SnsNotificationRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: options.instance });
  const region = topicRegion(options.topicArn);
  if (!region) throw new Error('VERITY_SNS_STATUS_TOPIC_ARN must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)');
  const origin = (options.snsOrigin ?? awsSnsOrigin)(region);
  const fetchText = options.fetchText ?? fetchWithTimeout;
  const certificates = new Map<string, string>();
  const refuse = (reply: FastifyReply, error: VerityError) => reply.code(error.status).type('application/json').send(errorBody(error));
  const forged = (reply: FastifyReply, why: string) => {
    log.warn({ why }, 'refused an SNS message that is not signed by SNS for the status topic');
    return refuse(reply, new VerityError(20003, 'The SNS message signature is missing or does not match', { status: 403 }));
  };

  await app.register(async (scope) => {
    // SNS posts JSON as text/plain; the body is read as the string it is and parsed here.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(['text/plain', 'application/json'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.post(receiptPath(options.instance, SNS_NOTIFICATIONS), { schema: snsNotificationSchema, validatorCompiler: takenAsSent, serializerCompiler: sentAsIs }, async (request, reply) => {
      let json: unknown;
      try {
        json = typeof request.body === 'string' ? JSON.parse(request.body) : undefined;
      } catch {
        json = undefined;
      }
      const parsed = SnsHttpMessage.safeParse(json);
      if (!parsed.success) return refuse(reply, new VerityError(20001, 'Malformed SNS message'));
      const message = parsed.data;
      if (message.TopicArn !== options.topicArn) return forged(reply, 'another topic');
      if (message.SignatureVersion !== '2') return forged(reply, 'signature version');
      if (!isSnsUrl(message.SigningCertURL, origin, true)) return forged(reply, 'certificate URL');
      let certificate = certificates.get(message.SigningCertURL);
      if (certificate === undefined) {
        try {
          certificate = await fetchText(message.SigningCertURL);
        } catch (err) {
          log.error({ err: String(err) }, 'could not fetch the SNS signing certificate');
          return refuse(reply, new VerityError(20503, 'Service unavailable: could not reach AWS SNS'));
        }
        if (certificates.size >= 16) certificates.clear();
        certificates.set(message.SigningCertURL, certificate);
      }
      if (!isValidSnsSignature(message, certificate, options.clock.now())) return forged(reply, 'signature');

      if (message.Type === 'SubscriptionConfirmation') {
        if (!message.SubscribeURL || !isSnsUrl(message.SubscribeURL, origin, false)) return forged(reply, 'subscribe URL');
        try {
          await fetchText(message.SubscribeURL);
        } catch (err) {
          log.error({ err: String(err) }, 'could not confirm the SNS subscription');
          return refuse(reply, new VerityError(20503, 'Service unavailable: could not reach AWS SNS'));
        }
        log.info({ topicArn: message.TopicArn }, 'confirmed the SNS delivery status subscription');
        return reply.code(200).send();
      }
      if (message.Type === 'UnsubscribeConfirmation') {
        log.warn({ topicArn: message.TopicArn }, 'the SNS delivery status subscription was removed');
        return reply.code(200).send();
      }
      const report = snsDeliveryReport(message.Message, options.instance);
      if (report === 'malformed') return refuse(reply, new VerityError(20001, 'Malformed SNS message: the Message is not an SMS delivery log record'));
      const outcome = await options.deliveryStatus.report(report);
      if (outcome === 'unknown') log.info({ providerMessageId: report.providerMessageId }, 'an SNS delivery log names no message of this instance');
      return reply.code(200).send();
    });
  });
}
