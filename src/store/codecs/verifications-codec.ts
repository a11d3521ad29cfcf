import type { Updateable } from 'kysely';
import { z } from 'zod';
import { VERIFICATION_CHANNELS, VERIFICATION_STATUSES, type VerificationRow, type VerificationsTable } from '../schema.ts';
import { jsonColumn, oneOf } from './column.ts';

const status = oneOf('verifications.status', VERIFICATION_STATUSES);
const channel = oneOf('verifications.channel', VERIFICATION_CHANNELS);
const sendAttempts = jsonColumn('verifications.send_attempts', z.array(z.object({ time: z.string(), channel: z.string(), attempt_sid: z.string() })));

// On the hot paths of create and check: a Set lookup per union and one small JSON array, no extra query.
export function decodeVerification(row: VerificationsTable): VerificationRow {
  return { ...row, status: status(row.status), channel: channel(row.channel), send_attempts: sendAttempts.decode(row.send_attempts) };
}

export function encodeVerification(row: VerificationRow): VerificationsTable {
  return { ...row, send_attempts: sendAttempts.encode(row.send_attempts) };
}

/** Encodes the fields a patch sets, each in its place (so the UPDATE's column order is the patch's). */
export function encodeVerificationPatch(patch: Partial<VerificationRow>): Updateable<VerificationsTable> {
  return { ...patch, send_attempts: patch.send_attempts === undefined ? undefined : sendAttempts.encode(patch.send_attempts) };
}
