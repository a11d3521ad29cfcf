import { isoSeconds } from '../../time/format.ts';
import type { VerificationRow } from '../../store/schema.ts';

/** Fields the Verification and VerificationCheck resources share. */
function commonFields(row: VerificationRow): Record<string, unknown> {
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

/** The Verification resource as the hosted API returns it on create, fetch and update. */
export function verificationResource(row: VerificationRow, baseUrl: string): Record<string, unknown> {
  return {
    ...commonFields(row),
    lookup: {},
    send_code_attempts: row.send_attempts,
    sna: null,
    url: `${baseUrl}/v2/Services/${row.service_sid}/Verifications/${row.sid}`,
  };
}

/** The VerificationCheck resource: the verification without url, lookup, send attempts or sna. */
export function verificationCheckResource(row: VerificationRow): Record<string, unknown> {
  return { ...commonFields(row), sna_attempts_error_codes: [] };
}
