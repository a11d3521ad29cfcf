import { parsePhone } from '../../messaging/phone-numbers.ts';
import type { StoreSet } from '../../store/store-set.ts';
import type { VerificationRow } from '../../store/schema.ts';

type AttemptStores = Pick<StoreSet, 'verificationAttempts'>;

/** The hosted API's attempt channel: `send_code_attempts` writes `SMS`, `CALL`, `whatsapp`; a flash call is a call. */
function attemptChannel(sendChannel: string): string {
  const lower = sendChannel.toLowerCase();
  return lower === 'flashcall' ? 'call' : lower;
}

/**
 * Records the newest send of `row` (the last entry of its `send_attempts`, whose `VL…` SID the
 * attempt keeps) as a VerificationAttempt, in the caller's transaction: a send that rolls back
 * leaves no attempt, and every send that passed the gate has one.
 */
export async function recordSendAttempt(stores: AttemptStores, row: VerificationRow, now: number): Promise<void> {
  const send = row.send_attempts.at(-1);
  if (!send) return;
  const country = row.destination.startsWith('+') ? (parsePhone(row.destination)?.country ?? null) : null;
  await stores.verificationAttempts.insert({
    sid: send.attempt_sid,
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    verification_sid: row.sid,
    channel: attemptChannel(send.channel),
    destination: row.destination,
    destination_country: country,
    conversion_status: 'unconverted',
    date_created: now,
    date_updated: now,
  });
}

