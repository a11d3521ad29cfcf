import type { Updateable } from 'kysely';
import type { CallRow, CallsTable } from '../schema.ts';

// `active` is 1 or NULL, never 0: NULLs are distinct in the unique index on (destination, active), so it admits one live call per destination.
export function decodeCall(row: CallsTable): CallRow {
  return { ...row, active: row.active === 1 };
}

export function encodeCall(row: CallRow): CallsTable {
  return { ...row, active: row.active ? 1 : null };
}

/** Encodes the fields a patch sets, each in its place (so the UPDATE's column order is the patch's). */
export function encodeCallPatch(patch: Partial<CallRow>): Updateable<CallsTable> {
  return { ...patch, active: patch.active === undefined ? undefined : patch.active ? 1 : null };
}
