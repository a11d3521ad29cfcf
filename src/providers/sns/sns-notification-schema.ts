import { operation } from '../../http/schema/operation.ts';
import { SnsHttpMessage } from './sns-delivery-log.ts';

/** The schema of the SNS delivery-status subscription (sns-notification-routes.ts): documentation only, the route checks the signed body itself. */
export const snsNotificationSchema = operation({
  operationId: 'snsDeliveryStatusNotification',
  tag: 'Messaging provider webhooks',
  summary: 'AWS SNS: an SMS delivery log record, or a subscription confirmation',
  description:
    'Called by AWS SNS, not by applications (SNS posts the JSON with `Content-Type: text/plain`, which this route also takes); present only when an `sns` instance has `VERITY_SNS_STATUS_TOPIC_ARN`: an HTTPS subscription of that topic, to which the account forwards ' +
    'the SMS delivery log records SNS writes to CloudWatch Logs (one record as each notification\'s Message). The message must come from that topic and carry a valid SignatureVersion 2 ' +
    'signature by a certificate served from `https://sns.<region>.amazonaws.com`. A SubscriptionConfirmation is confirmed by fetching its SubscribeURL (on the same host).',
  caller: 'none',
  body: SnsHttpMessage,
  consumes: ['application/json'],
  ok: { 200: { description: 'Taken: the status recorded (or known, or of a message this instance did not send), or the subscription confirmed.' } },
  errors: [
    { code: 20001, when: 'the body is not an SNS message, or a notification\'s Message is not an SMS delivery log record.', message: 'Malformed SNS message' },
    { code: 20003, status: 403, when: 'another topic, a certificate URL off the region\'s SNS host, a SignatureVersion other than 2, or a signature that does not verify.', message: 'The SNS message signature is missing or does not match' },
    { code: 20503, when: 'the signing certificate could not be fetched, or the subscription could not be confirmed: SNS retries the message.', message: 'Service unavailable: could not reach AWS SNS' },
  ],
});
