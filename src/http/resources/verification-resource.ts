import type { VerificationRow } from '../../store/schema.ts';
import { verificationSnapshot } from '../../verify/lifecycle/verification-event-payload.ts';

/** The Verification resource as the hosted API returns it on create, fetch and update. */
export function verificationResource(row: VerificationRow, baseUrl: string): Record<string, unknown> {
  return {
    ...verificationSnapshot(row),
    lookup: {},
    send_code_attempts: row.send_attempts,
    sna: null,
    url: `${baseUrl}/v2/Services/${row.service_sid}/Verifications/${row.sid}`,
  };
}

/** The VerificationCheck resource: the verification without url, lookup, send attempts or sna. */
export function verificationCheckResource(row: VerificationRow): Record<string, unknown> {
  return { ...verificationSnapshot(row), sna_attempts_error_codes: [] };
}
