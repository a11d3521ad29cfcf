import { deliveryAttemptSnapshot, sendDelivery } from '../../messaging/delivery-attempt-snapshot.ts';
import type { DeliveryAttemptRow, VerificationRow } from '../../store/schema.ts';
import { verificationSnapshot } from '../../verify/lifecycle/verification-event-payload.ts';

/**
 * The Verification resource as the hosted API returns it on create, fetch and update. Each
 * `send_code_attempts` entry keeps the hosted API's fields and gains Verity's delivery fields from
 * its delivery attempts (`attempts`, any order): where the message is, through which provider, and
 * every provider it was handed to with its status history, error and price.
 */
export function verificationResource(row: VerificationRow, baseUrl: string, attempts: readonly DeliveryAttemptRow[] = []): Record<string, unknown> {
  return {
    ...verificationSnapshot(row),
    lookup: {},
    send_code_attempts: row.send_attempts.map((send) => sendCodeAttempt(send, attempts.filter((a) => a.send_attempt_sid === send.attempt_sid))),
    sna: null,
    url: `${baseUrl}/v2/Services/${row.service_sid}/Verifications/${row.sid}`,
  };
}

/** The VerificationCheck resource: the verification without url, lookup, send attempts or sna. */
export function verificationCheckResource(row: VerificationRow): Record<string, unknown> {
  return { ...verificationSnapshot(row), sna_attempts_error_codes: [] };
}

/** One send: the hosted API's fields, then Verity's (null and [] for a call, or a send recorded before delivery attempts were). */
function sendCodeAttempt(send: VerificationRow['send_attempts'][number], attempts: readonly DeliveryAttemptRow[]): Record<string, unknown> {
  const ordered = [...attempts].sort((a, b) => a.route_position - b.route_position || a.date_created - b.date_created);
  const delivery = sendDelivery(ordered);
  return { ...send, delivery_status: delivery?.status ?? null, provider: delivery?.provider ?? null, delivery_attempts: ordered.map(deliveryAttemptSnapshot) };
}
