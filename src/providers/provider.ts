import type { CarrierPrice } from '../messaging/delivery-status.ts';

/** The channels Verity delivers codes over (`whatsapp`: an authentication template to a phone number). */
export type Channel = 'sms' | 'call' | 'email' | 'whatsapp';

/** One message to deliver. `body` is the SMS text, the text a call speaks, or the email's plain text. */
export interface OutboundMessage {
  channel: Channel;
  to: string;
  body: string;
  /** Email only. */
  subject?: string;
  /** Email only: an HTML alternative of `body`. */
  html?: string;
  /** Email only: the From a verification's ChannelConfiguration asked for (an allowed address, a checked display name); else the provider's own. */
  emailSender?: { address: string; name?: string };
  /** BCP 47 language of the text (voice providers pick a voice from it). */
  locale: string;
  /**
   * WhatsApp only: the code itself. An authentication template's text is fixed by Meta, so the code
   * travels as the template's parameters (body and copy-code button) instead of in `body`.
   */
  code?: string;
  /** For correlation in logs and provider metadata; never secret. */
  verificationSid: string;
  /**
   * Verity's id of this one send attempt (a failover to another provider is a new attempt). Carriers
   * whose receipts cannot carry their own message id back put it in the callback URL (Kannel's dlr-url).
   */
  attemptId: string;
}

export interface DeliveryReceipt {
  /** The provider's id of the message or call (e.g. Twilio `SM…`/`CA…`, an SMTP Message-ID). */
  providerMessageId: string;
  /**
   * The carrier's ids of the other parts of a long message, when it reports each part on its own
   * (SMPP, Vonage, Plivo): a receipt naming any of them is the attempt's.
   */
  partIds?: string[];
  /** How many parts (SMS segments) the carrier sent it as. */
  parts?: number;
  /** Where the carrier says the message already is (default `queued`: accepted, nothing more known). */
  status?: 'queued' | 'sent';
  /** The price, when the carrier answers it with the send (Vonage). */
  price?: CarrierPrice;
}

/**
 * A delivery provider for one or more channels. `send` either resolves with the provider's id
 * or throws a DeliveryError saying whether retrying cannot cause a duplicate delivery.
 */
export interface DeliveryProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<DeliveryReceipt>;
  /**
   * True when the carrier reports what became of each message (receipts into
   * ProviderDeps.deliveryStatus). Without receipts (SMTP, the console, AWS SNS publish) an attempt
   * ends at `sent` and no delivery time-out moves it to another route.
   */
  readonly receipts?: boolean;
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
