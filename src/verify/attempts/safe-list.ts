import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Clock } from '../../crypto/clock.ts';
import { newSid } from '../../crypto/random.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import type { SafeListNumberRow } from '../../store/schema.ts';
import type { StoreSet } from '../../store/store-set.ts';

/**
 * Numbers one account's SafeList may hold: room for every test and support number an application
 * has, and a bound on what the API (500 requests a second per account) can make the database store.
 */
export const MAX_SAFE_LIST_NUMBERS = 10_000;

type SafeListDeps = { stores: Pick<StoreSet, 'safeList'>; clock: Clock };

/**
 * A number as the SafeList keeps it: E.164 exactly (`+` and 8–15 digits, as the hosted API asks:
 * "Phone numbers must be in E.164 format") that libphonenumber knows; undefined otherwise.
 */
export function safeListNumber(raw: string): string | undefined {
  if (!/^\+[1-9]\d{6,14}$/.test(raw)) return undefined;
  const phone = parsePhoneNumberFromString(raw);
  return phone?.isValid() ? phone.number : undefined;
}

/**
 * Adds a number to the account's SafeList: from then on a send to it skips the SMS-pumping prefix
 * cap (src/send-gate/). Adding a listed number again answers its entry (same `GN…` SID).
 */
export async function addToSafeList(deps: SafeListDeps, accountSid: string, raw: string): Promise<SafeListNumberRow> {
  const phoneNumber = safeListNumber(raw);
  if (!phoneNumber) throw invalidParameter('PhoneNumber', 'expected an E.164 phone number such as +14155552671');
  const row = await deps.stores.safeList.add({ sid: newSid('GN'), account_sid: accountSid, phone_number: phoneNumber, date_created: deps.clock.now() }, MAX_SAFE_LIST_NUMBERS);
  if (!row) throw invalidParameter('PhoneNumber', `an account's SafeList holds at most ${MAX_SAFE_LIST_NUMBERS} numbers; remove one first`);
  return row;
}
