import type { DeliveryAttemptRow, VerificationAttemptRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';

/** Decimal places of a price string (`-0.0075` → 4). */
const decimals = (value: string): number => value.split('.')[1]?.length ?? 0;

/** What the carriers charged for one send: its delivery attempts' prices added (a failover is another message); null when none reported one. */
function priceOf(deliveries: readonly DeliveryAttemptRow[]): { value: string; currency: string } | null {
  const priced = deliveries.filter((d) => d.price !== null && Number.isFinite(Number(d.price)));
  const first = priced[0];
  if (!first?.price) return null;
  const currency = (first.price_unit ?? 'usd').toLowerCase();
  const same = priced.filter((d) => (d.price_unit ?? 'usd').toLowerCase() === currency);
  if (same.length === 1) return { value: first.price, currency };
  const places = Math.max(...same.map((d) => decimals(d.price ?? '')));
  return { value: same.reduce((sum, d) => sum + Number(d.price), 0).toFixed(places), currency };
}

/**
 * The VerificationAttempt resource: the attempt row, and from its delivery attempts (the messages
 * of this send, src/messaging/) the delivery status and price. A call has no delivery attempt: its
 * `channel_data` is the destination alone.
 */
export function verificationAttemptResource(row: VerificationAttemptRow, deliveries: readonly DeliveryAttemptRow[], baseUrl: string): Record<string, unknown> {
  const last = deliveries.at(-1);
  const channelData: Record<string, unknown> = { to: row.destination };
  if (last) {
    channelData.message_status = last.status.toUpperCase();
    channelData.error_code = last.error_code;
    channelData.number_segments = last.parts;
  }
  const updated = Math.max(row.date_updated, ...deliveries.map((d) => d.date_updated));
  return {
    sid: row.sid,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    verification_sid: row.verification_sid,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(updated),
    conversion_status: row.conversion_status,
    channel: row.channel,
    price: priceOf(deliveries),
    channel_data: channelData,
    url: `${baseUrl}/v2/Attempts/${row.sid}`,
  };
}
