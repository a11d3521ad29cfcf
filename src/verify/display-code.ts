import type { AppContext } from '../context.ts';
import type { VerificationRow } from '../store/schema.ts';
import { displayCodeLength } from '../voice/flows/flows.ts';
import { deriveCode } from './one-time-code.ts';

/**
 * The code the app shows on screen for a call decided on the keypad (`display_code`): the
 * verification's own code for keypad_code, two digits for press_one with number matching (derived
 * under another label, so they say nothing about any other code). Undefined for other flows.
 */
export function displayCode(ctx: Pick<AppContext, 'keyring'>, row: VerificationRow): string | undefined {
  const length = displayCodeLength(row.voice_flow, row.code_length);
  if (length === undefined || row.code_seed === null) return undefined;
  return row.voice_flow === 'press_one_number' ? deriveCode(ctx.keyring, `${row.sid}/number-match`, row.code_seed, 2) : deriveCode(ctx.keyring, row.sid, row.code_seed, length);
}
