import { X509Certificate, verify } from 'node:crypto';

/** The fields of an SNS HTTP(S) message that its signature covers. */
export interface SnsMessageEnvelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string | undefined;
  SubscribeURL?: string | undefined;
  Token?: string | undefined;
}

/**
 * The string SNS signs (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html):
 * `Key\nValue\n` for each signed field in byte order of the names: for a Notification Message,
 * MessageId, Subject (only when present), Timestamp, TopicArn, Type; for a (Un)SubscriptionConfirmation
 * Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
 */
export function snsStringToSign(envelope: SnsMessageEnvelope): string {
  const names = envelope.Type === 'Notification'
    ? ['Message', 'MessageId', ...(envelope.Subject !== undefined ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return names.map((name) => `${name}\n${String(envelope[name as keyof SnsMessageEnvelope] ?? '')}\n`).join('');
}

/** The region of a topic ARN (`arn:aws:sns:<region>:<account>:<name>`), or undefined. */
export function topicRegion(topicArn: string): string | undefined {
  return /^arn:aws:sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}$/.exec(topicArn)?.[1];
}

/** Where AWS serves a region's signing certificates and subscription confirmations. */
export const awsSnsOrigin = (region: string): string => `https://sns.${region}.amazonaws.com`;

/**
 * Whether a URL SNS gave (SigningCertURL, SubscribeURL) is one Verity may fetch: exactly on `origin`
 * (AWS: `https://sns.<region>.amazonaws.com`, awsSnsOrigin), so a forged message cannot make Verity
 * fetch a certificate, or confirm a subscription, anywhere else. A certificate URL must name a `.pem`.
 */
export function isSnsUrl(url: string, origin: string, pemOnly: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.origin === origin && parsed.username === '' && parsed.password === '' && (!pemOnly || parsed.pathname.endsWith('.pem'));
}

/**
 * Verifies an SNS message signature, SignatureVersion 2 only (RSA with SHA-256; version 1's SHA-1 is
 * refused), with the certificate from SigningCertURL, which must still be valid at `nowMs`.
 */
export function isValidSnsSignature(envelope: SnsMessageEnvelope, certificatePem: string, nowMs: number): boolean {
  if (envelope.SignatureVersion !== '2') return false;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    return false;
  }
  if (nowMs < Date.parse(certificate.validFrom) || nowMs > Date.parse(certificate.validTo)) return false;
  const signature = Buffer.from(envelope.Signature, 'base64');
  if (signature.length === 0) return false;
  try {
    return verify('RSA-SHA256', Buffer.from(snsStringToSign(envelope), 'utf8'), certificate.publicKey, signature);
  } catch {
    return false;
  }
}
