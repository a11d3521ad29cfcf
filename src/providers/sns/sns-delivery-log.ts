import { z } from 'zod';
import type { DeliveryStatusReport } from '../../messaging/delivery-status.ts';

/** An SNS HTTP(S) message (Notification, SubscriptionConfirmation, UnsubscribeConfirmation), as SNS posts it. */
export const SnsHttpMessage = z
  .looseObject({
    Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
    MessageId: z.string().min(1),
    TopicArn: z.string().min(1),
    Message: z.string(),
    Timestamp: z.string().min(1),
    SignatureVersion: z.string().min(1),
    Signature: z.string().min(1),
    SigningCertURL: z.string().min(1),
    Subject: z.string().optional(),
    SubscribeURL: z.string().optional(),
    Token: z.string().optional(),
  })
  .meta({ id: 'SnsHttpMessage', description: 'An AWS SNS HTTP(S) message, signed with SignatureVersion 2 (SHA256withRSA) by the certificate at SigningCertURL.' });

/**
 * One SMS delivery log record as SNS writes it to CloudWatch Logs (`sns/<region>/<account>/
 * DirectPublishToPhoneNumber[/Failure]`), forwarded as a notification's Message.
 */
const SmsDeliveryLog = z.looseObject({
  notification: z.looseObject({ messageId: z.string().min(1), timestamp: z.string().optional() }),
  delivery: z.looseObject({ priceInUSD: z.number().nonnegative().optional(), providerResponse: z.string().optional() }).optional(),
  status: z.enum(['SUCCESS', 'FAILURE']),
});

/**
 * The delivery status an SMS delivery log record reports, or `malformed`: SUCCESS is delivered (the
 * carrier accepted it for the phone), FAILURE undelivered with the carrier's response as the error
 * text; the message id is the one Publish answered; the price is in US dollars. The log's timestamp
 * (`2016-06-28 00:40:34.558`, UTC) dates the report.
 */
export function snsDeliveryReport(message: string, instance: string): DeliveryStatusReport | 'malformed' {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return 'malformed';
  }
  const parsed = SmsDeliveryLog.safeParse(json);
  if (!parsed.success) return 'malformed';
  const { notification, delivery, status } = parsed.data;
  const at = notification.timestamp ? Date.parse(`${notification.timestamp.replace(' ', 'T')}Z`) : Number.NaN;
  const response = delivery?.providerResponse?.slice(0, 300);
  return {
    provider: instance,
    providerMessageId: notification.messageId,
    status: status === 'SUCCESS' ? 'delivered' : 'undelivered',
    ...(status === 'FAILURE' && response ? { errorMessage: response } : {}),
    ...(delivery?.priceInUSD !== undefined ? { price: { amount: String(delivery.priceInUSD), currency: 'USD' } } : {}),
    ...(Number.isFinite(at) ? { at } : {}),
  };
}
