/** The channels Verity delivers codes over. */
export type Channel = 'sms' | 'call' | 'email';

/** One message to deliver. `body` is the SMS text, the text a call speaks, or the email's plain text. */
export interface OutboundMessage {
  channel: Channel;
  to: string;
  body: string;
  /** Email only. */
  subject?: string;
  /** Email only: an HTML alternative of `body`. */
  html?: string;
  /** BCP 47 language of the text (voice providers pick a voice from it). */
  locale: string;
  /** For correlation in logs and provider metadata; never secret. */
  verificationSid: string;
}

export interface DeliveryReceipt {
  /** The provider's id of the message or call (e.g. Twilio `SM…`/`CA…`, an SMTP Message-ID). */
  providerMessageId: string;
}

/**
 * A delivery provider for one or more channels. `send` either resolves with the provider's id
 * or throws a DeliveryError saying whether retrying cannot cause a duplicate delivery.
 */
export interface DeliveryProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<DeliveryReceipt>;
  /** Releases connections (SMTP pools, …). */
  close?(): Promise<void>;
}

export class DeliveryError extends Error {
  /** True only when the provider certainly did not accept the message, so a retry cannot duplicate it. */
  readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
  }
}
