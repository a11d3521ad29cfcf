import type { DeliveryAttemptRow } from '../store/schema.ts';
import { isoSeconds } from '../time/format.ts';

/** What anyone outside is told of one delivery attempt: never the message, never the sealed column. */
export interface DeliveryAttemptSnapshot {
  sid: string;
  provider: string;
  route: string;
  route_position: number;
  status: DeliveryAttemptSnapshotStatus;
  status_history: { status: DeliveryAttemptSnapshotStatus; date: string; error_code: string | null }[];
  provider_message_id: string | null;
  parts: number | null;
  error_code: string | null;
  error_message: string | null;
  price: string | null;
  price_unit: string | null;
  failover_reason: string | null;
  date_created: string;
  date_updated: string;
  date_final: string | null;
}

type DeliveryAttemptSnapshotStatus = DeliveryAttemptRow['status'];

export function deliveryAttemptSnapshot(row: DeliveryAttemptRow): DeliveryAttemptSnapshot {
  return {
    sid: row.sid,
    provider: row.provider,
    route: row.route_id,
    route_position: row.route_position,
    status: row.status,
    status_history: row.status_history.map((h) => ({ status: h.status, date: new Date(h.at).toISOString(), error_code: h.error_code ?? null })),
    provider_message_id: row.provider_message_id,
    parts: row.parts,
    error_code: row.error_code,
    error_message: row.error_message,
    price: row.price,
    price_unit: row.price_unit,
    failover_reason: row.failover_reason,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    date_final: row.date_final === null ? null : new Date(row.date_final).toISOString(),
  };
}

/** How one send of a code went, from its attempts (plan order): delivered if any attempt was, else where the latest one is. */
export function sendDelivery(attempts: readonly DeliveryAttemptRow[]): { status: DeliveryAttemptSnapshotStatus; provider: string } | undefined {
  const delivered = attempts.find((a) => a.status === 'delivered');
  const latest = delivered ?? attempts.at(-1);
  return latest && { status: latest.status, provider: latest.provider };
}

/** The webhook event's data for a status change of one attempt (`verification.delivery_status`). */
export function deliveryStatusEventPayload(row: DeliveryAttemptRow): Record<string, unknown> {
  return { verification_sid: row.verification_sid, service_sid: row.service_sid, account_sid: row.account_sid, send_code_attempt_sid: row.send_attempt_sid, channel: row.channel, ...deliveryAttemptSnapshot(row) };
}
