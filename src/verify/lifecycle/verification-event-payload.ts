import { isoSeconds } from '../../time/format.ts';
import type { VerificationRow } from '../../store/schema.ts';

/**
 * The payload of a `verification.<status>` event (docs/events.md): the verification as it was at the
 * change, never the code. It is built here, in the domain, because the outbox row is written in the
 * transaction that makes the change: the webhook and the event stream must carry that snapshot, not
 * the row as it is when the dispatcher gets to it. Its fields are those of the VerificationCheck
 * resource plus `check_attempts` (src/http/resources/verification-resource.test.ts keeps them equal).
 */
export function verificationEventPayload(row: VerificationRow): Record<string, unknown> {
  return { ...verificationSnapshot(row), sna_attempts_error_codes: [], check_attempts: row.check_attempts };
}

/**
 * The fields every view of a verification shares, under their Twilio names: the event payload above
 * and, at the HTTP edge, the Verification and VerificationCheck resources (which import them).
 */
export function verificationSnapshot(row: VerificationRow): Record<string, unknown> {
  return {
    sid: row.sid,
    service_sid: row.service_sid,
    account_sid: row.account_sid,
    to: row.destination,
    channel: row.channel,
    status: row.status,
    valid: row.status === 'approved',
    amount: row.amount,
    payee: row.payee,
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
  };
}
