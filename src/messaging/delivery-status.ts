/**
 * What a carrier says happened to one message after it accepted it: the delivery-status model every
 * provider reports into (SMPP deliver_sm receipts, Kannel dlr-url calls, carrier status webhooks,
 * the simulator). Statuses only move forward: queued → sent → delivered | undelivered | failed;
 * a late `sent` after `delivered` is recorded in the history but does not change the status.
 */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'undelivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The final statuses: nothing a carrier says later moves an attempt out of them. */
export const FINAL_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['delivered', 'undelivered', 'failed'];

/** What the carrier charged, as it reports it (a decimal string, never a float). */
export interface CarrierPrice {
  amount: string;
  /** ISO 4217 (`USD`, `EUR`). */
  currency: string;
}

/**
 * One status report from a carrier. It names the attempt either by Verity's attempt id (carried in
 * the callback URL, e.g. Kannel's dlr-url) or by the carrier's message id under the provider
 * instance that sent it (Twilio's `MessageSid`, an SMPP `receipted_message_id`, one id per part
 * for carriers that report every part of a long message).
 */
export interface DeliveryStatusReport {
  /** The provider instance the report came through (`ProviderDeps.instance`). */
  provider: string;
  /** One of these two identifies the attempt. */
  attemptId?: string;
  providerMessageId?: string;
  status: DeliveryStatus;
  /** The carrier's own error code (`30003`, SMPP `err:` field, Vonage `err-code`), as it sent it. */
  errorCode?: string;
  /** The carrier's error text, never the message body. */
  errorMessage?: string;
  price?: CarrierPrice;
  /** When the carrier says it happened (ms since epoch); the receiving time when absent. */
  at?: number;
}

/**
 * - `recorded`: the attempt's status or history changed.
 * - `unchanged`: a duplicate or an out-of-order report (a carrier retrying a webhook): nothing changed.
 * - `unknown`: no attempt of this provider has that id (a forged or foreign report): nothing changed.
 */
export type ReportOutcome = 'recorded' | 'unchanged' | 'unknown';

/** Where providers report delivery statuses; the messaging domain records them and acts on them (failover). */
export interface DeliveryStatusSink {
  report(report: DeliveryStatusReport): Promise<ReportOutcome>;
}
