import { createHash, createHmac, randomUUID, sign, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeCarrier, type FakeCarrier } from './fake-carrier.ts';

export const SNS_REGION = 'eu-west-1';
export const SNS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SNS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

export interface SnsRequest {
  /** The Query protocol's form: Action, Version and the Publish parameters. */
  form: URLSearchParams;
  /** `MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue}` collected by name. */
  attributes: Record<string, { DataType: string; StringValue: string }>;
  messageId: string;
}

/** What the fake does after validating a request; `accept` is the normal answer. */
export type SnsBehaviour = 'accept' | 'throttle' | 'internal-error' | 'opted-out' | 'hang';

export const SNS_STATUS_TOPIC_ARN = `arn:aws:sns:${SNS_REGION}:123456789012:verity-sms-delivery`;

/** The test certificate and key SNS HTTP messages are signed with here (test/fixtures/sns/README.md). */
const SIGNING_CERT = readFileSync(new URL('../fixtures/sns/signing-cert.pem', import.meta.url), 'utf8');
const SIGNING_KEY = readFileSync(new URL('../fixtures/sns/signing-key.pem', import.meta.url), 'utf8');
const CERT_PATH = '/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem';

export type FakeSns = FakeCarrier<SnsRequest, SnsBehaviour> & {
  /** Requests refused for their signature (the SDK signed with other credentials, or the signature is wrong). */
  readonly refusedSignatures: string[];
  /** Subscription confirmations received (`Token` of each ConfirmSubscription GET). */
  readonly confirmations: string[];
  /**
   * An SNS HTTP message as SNS posts it to a subscription (a JSON text), signed with SignatureVersion 2
   * by the fake's certificate; `fields` overrides any field after signing (to tamper with it).
   */
  httpMessage(type: 'Notification' | 'SubscriptionConfirmation', message: string, options?: { topicArn?: string; subject?: string; signatureVersion?: string; key?: string; after?: Record<string, string> }): string;
};

/** A delivery log record as SNS writes it to CloudWatch Logs for one SMS. */
export function smsDeliveryLog(messageId: string, status: 'SUCCESS' | 'FAILURE', providerResponse: string): string {
  return JSON.stringify({
    notification: { messageId, timestamp: '2026-01-01 12:00:01.250' },
    delivery: { phoneCarrier: 'Vodafone', mnc: 15, numberOfMessageParts: 1, destination: '+447700900123', priceInUSD: 0.04137, smsType: 'Transactional', mcc: 234, providerResponse, dwellTimeMs: 412, dwellTimeMsUntilDeviceAck: 1380 },
    status,
  });
}

const randomBytesHex = (n: number) => createHash('sha256').update(randomUUID()).digest('hex').slice(0, n);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** One request as SigV4 signs it. */
export interface SigV4Request {
  method: string;
  /** The path, already URI-encoded as sent. */
  path: string;
  query: string;
  headers: Readonly<Record<string, string>>;
  payloadHash: string;
}

/**
 * The AWS Signature Version 4 signature of a request (docs.aws.amazon.com/IAM/latest/UserGuide,
 * "Create a signed AWS API request"): canonical request → string to sign → HMAC with the key derived
 * from the secret, the date, the region and the service. Written here from the documentation, not
 * with the SDK's signer, so the fake checks the SDK's signatures independently.
 */
export function sigV4Signature(request: SigV4Request, signedHeaders: readonly string[], scope: { date: string; region: string; service: string }, amzDate: string, secret: string): string {
  const canonicalQuery = request.query
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('='))
    .sort(([a = '', x = ''], [b = '', y = '']) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k = '', v = '']) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, request.path, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), request.payloadHash].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.date), scope.region), scope.service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

function xml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
  res.end(`<?xml version="1.0"?>\n${body}`);
}

function snsError(res: ServerResponse, status: number, type: 'Sender' | 'Receiver', code: string, message: string): void {
  xml(res, status, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
}

/**
 * A local stand-in for the AWS SNS API as the SDK speaks it (the AWS Query protocol: a form POST with
 * `Action=Publish&Version=2010-03-31`, XML answers and XML errors). Every request must carry a valid
 * SigV4 signature made with the test credentials for `SNS_REGION` and service `sns`, over a body
 * whose `x-amz-content-sha256` matches, dated within 5 minutes; Publish to a phone number is checked
 * as SNS checks it (E.164 number, a message, string attributes, a known SMSType).
 */
export async function startFakeSns(): Promise<FakeSns> {
  const refusedSignatures: string[] = [];
  const confirmations: string[] = [];

  function verify(req: IncomingMessage, body: string): string | undefined {
    const authorization = req.headers.authorization ?? '';
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) return 'IncompleteSignature';
    const [, accessKeyId, date, region, service, signed, signature] = match as unknown as string[];
    if (accessKeyId !== SNS_ACCESS_KEY_ID) return 'InvalidClientTokenId';
    if (region !== SNS_REGION || service !== 'sns') return 'SignatureDoesNotMatch';
    const signedHeaders = (signed as string).split(';');
    if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return 'IncompleteSignature';
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!at || !amzDate.startsWith(date as string)) return 'IncompleteSignature';
    const when = Date.UTC(Number(at[1]), Number(at[2]) - 1, Number(at[3]), Number(at[4]), Number(at[5]), Number(at[6]));
    if (Math.abs(Date.now() - when) > 5 * 60_000) return 'RequestExpired';
    const payloadHash = sha256(body);
    const declared = req.headers['x-amz-content-sha256'];
    if (declared !== undefined && declared !== payloadHash) return 'SignatureDoesNotMatch';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value ?? '')]));
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const expected = sigV4Signature({ method: req.method ?? 'POST', path, query, headers, payloadHash }, signedHeaders, { date: date as string, region: region as string, service: service as string }, amzDate, SNS_SECRET_ACCESS_KEY);
    return timingSafeEqual(Buffer.from(expected), Buffer.from(signature as string)) ? undefined : 'SignatureDoesNotMatch';
  }

  function answer(fake: FakeCarrier<SnsRequest, SnsBehaviour>, req: IncomingMessage, body: string, res: ServerResponse): void {
    // What SNS serves to subscribers: its signing certificate and the subscription confirmation link.
    if (req.method === 'GET' && req.url === CERT_PATH) {
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' });
      res.end(SIGNING_CERT);
      return;
    }
    const confirm = req.method === 'GET' ? new URL(req.url ?? '/', 'http://sns').searchParams : undefined;
    if (confirm?.get('Action') === 'ConfirmSubscription' && confirm.get('TopicArn') === SNS_STATUS_TOPIC_ARN) {
      confirmations.push(confirm.get('Token') ?? '');
      return xml(res, 200, `<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult><SubscriptionArn>${SNS_STATUS_TOPIC_ARN}:${randomUUID()}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`);
    }
    if (req.method !== 'POST' || (req.url ?? '/') !== '/') return snsError(res, 404, 'Sender', 'UnknownOperationException', 'Unknown operation');
    if (req.headers['content-type']?.split(';')[0] !== 'application/x-www-form-urlencoded') return snsError(res, 400, 'Sender', 'MalformedQueryString', 'Expected a form body');
    const refusal = verify(req, body);
    if (refusal) {
      refusedSignatures.push(refusal);
      return snsError(res, 403, 'Sender', refusal, 'The request signature we calculated does not match the signature you provided.');
    }
    const form = new URLSearchParams(body);
    if (form.get('Action') !== 'Publish' || form.get('Version') !== '2010-03-31') return snsError(res, 400, 'Sender', 'InvalidAction', 'Only Publish (2010-03-31) is served here');
    const attributes: SnsRequest['attributes'] = {};
    for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
      const name = form.get(`MessageAttributes.entry.${n}.Name`) ?? '';
      const dataType = form.get(`MessageAttributes.entry.${n}.Value.DataType`) ?? '';
      const value = form.get(`MessageAttributes.entry.${n}.Value.StringValue`);
      if (dataType !== 'String' || value === null) return snsError(res, 400, 'Sender', 'ParameterValueInvalid', `The message attribute '${name}' must be a String with a StringValue.`);
      attributes[name] = { DataType: dataType, StringValue: value };
    }
    const phone = form.get('PhoneNumber');
    if (!phone || !/^\+[1-9]\d{5,14}$/.test(phone)) return snsError(res, 400, 'Sender', 'InvalidParameter', 'Invalid parameter: PhoneNumber Reason: must be E.164');
    if (!form.get('Message')) return snsError(res, 400, 'Sender', 'InvalidParameter', 'Invalid parameter: Empty message');
    const smsType = attributes['AWS.SNS.SMS.SMSType']?.StringValue;
    if (smsType !== undefined && smsType !== 'Transactional' && smsType !== 'Promotional') return snsError(res, 400, 'Sender', 'ParameterValueInvalid', 'Invalid SMSType');
    const messageId = randomUUID();
    fake.received.push({ form, attributes, messageId });
    if (fake.behaviour === 'hang') return;
    if (fake.behaviour === 'throttle') return snsError(res, 429, 'Sender', 'Throttled', 'Rate exceeded');
    if (fake.behaviour === 'internal-error') return snsError(res, 500, 'Receiver', 'InternalError', 'Internal Error');
    if (fake.behaviour === 'opted-out') return snsError(res, 400, 'Sender', 'InvalidParameter', 'Invalid parameter: PhoneNumber Reason: the number has opted out');
    xml(res, 200, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`);
  }

  const fake = (await startFakeCarrier(answer)) as FakeSns;
  Object.assign(fake, {
    refusedSignatures,
    confirmations,
    httpMessage(type: 'Notification' | 'SubscriptionConfirmation', message: string, options: { topicArn?: string; subject?: string; signatureVersion?: string; key?: string; after?: Record<string, string> } = {}): string {
      const topicArn = options.topicArn ?? SNS_STATUS_TOPIC_ARN;
      const token = randomBytesHex(64);
      const fields: Record<string, string> = {
        Type: type,
        MessageId: randomUUID(),
        ...(type === 'SubscriptionConfirmation'
          ? { Token: token, SubscribeURL: `${fake.apiBase}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}` }
          : options.subject !== undefined ? { Subject: options.subject } : {}),
        TopicArn: topicArn,
        Message: message,
        Timestamp: new Date().toISOString(),
        SignatureVersion: options.signatureVersion ?? '2',
        SigningCertURL: `${fake.apiBase}${CERT_PATH}`,
      };
      // The signed string as AWS documents it: "Name\nvalue\n" for the type's fields, in this order.
      const names = type === 'Notification'
        ? ['Message', 'MessageId', ...(fields['Subject'] !== undefined ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
        : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
      const signed = names.map((name) => `${name}\n${fields[name] ?? ''}\n`).join('');
      const signature = sign(options.signatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256', Buffer.from(signed, 'utf8'), options.key ?? SIGNING_KEY).toString('base64');
      return JSON.stringify({ ...fields, Signature: signature, ...(type === 'Notification' ? { UnsubscribeURL: `${fake.apiBase}/?Action=Unsubscribe` } : {}), ...options.after });
    },
  });
  const reset = fake.reset.bind(fake);
  fake.reset = () => {
    reset();
    refusedSignatures.length = 0;
    confirmations.length = 0;
  };
  return fake;
}
