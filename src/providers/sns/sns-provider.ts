import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { fetchNeverConnected } from '../fetch-failure.ts';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import type { SnsSettings } from './sns-settings.ts';

/** SNS's throttling errors (Publish documents ThrottledException; the Query protocol's generic ones too): refused before any work. */
const THROTTLING = new Set(['ThrottledException', 'Throttled', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'KMSThrottlingException']);

/**
 * A failed Publish as a DeliveryError. Retryable only when AWS certainly did not take the message:
 * a throttling refusal, a connection that never came up, credentials the SDK could not find. Any
 * other answer (invalid parameter, opted-out number, a 5xx) or a failure after the request left
 * (time-out, reset) is not: AWS may have acted on it, and a retry could send a second SMS.
 */
function snsFailure(err: unknown): DeliveryError {
  const e = err as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const text = typeof e.message === 'string' ? e.message.slice(0, 300) : '';
  if (status !== undefined) {
    return new DeliveryError(`AWS SNS Publish failed with HTTP ${status}: ${name}${text ? ` (${text})` : ''}`, { retryable: THROTTLING.has(name) || status === 429, cause: err });
  }
  const neverSent = fetchNeverConnected(err) || name === 'CredentialsProviderError';
  return new DeliveryError(`AWS SNS Publish request failed: ${name}${text ? ` (${text})` : ''}`, { retryable: neverSent, cause: err });
}

/**
 * SMS through AWS SNS `Publish` to a phone number, with the official SDK (SigV4, the Query
 * protocol). SNS reports no per-message delivery status to its caller (delivery logs go to
 * CloudWatch Logs only), so the provider has no receipts: an attempt ends at `sent`.
 * The SDK's own retries are off (one attempt): Verity decides what is safe to retry.
 */
export function createSnsProvider(settings: SnsSettings): DeliveryProvider {
  const client = new SNSClient({
    region: settings.region,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: Math.min(settings.timeoutMs, 5_000), requestTimeout: settings.timeoutMs, throwOnRequestTimeout: true },
  });
  const attributes: Record<string, MessageAttributeValue> = {
    'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: settings.smsType },
    ...(settings.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: settings.senderId } } : {}),
    ...(settings.originationNumber ? { 'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: settings.originationNumber } } : {}),
  };
  return {
    name: 'sns',
    receipts: false,
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel !== 'sms') throw new DeliveryError(`the sns provider does not deliver the ${message.channel} channel`, { retryable: false });
      let messageId: string | undefined;
      try {
        const answer = await client.send(new PublishCommand({ PhoneNumber: message.to, Message: message.body, MessageAttributes: attributes }), {
          abortSignal: AbortSignal.timeout(settings.timeoutMs),
        });
        messageId = answer.MessageId;
      } catch (err) {
        throw snsFailure(err);
      }
      if (!messageId) throw new DeliveryError('AWS SNS Publish answered without a MessageId', { retryable: false });
      // Accepted for sending: the last status SNS will ever tell the caller.
      return { providerMessageId: messageId, status: 'sent' };
    },
    async close() {
      client.destroy();
    },
  };
}
