import type { Updateable } from 'kysely';
import { z } from 'zod';
import { DELIVERY_ATTEMPT_STATUSES, FAILOVER_REASONS, type DeliveryAttemptRow, type DeliveryAttemptsTable } from '../schema.ts';
import { bit, flag, jsonColumn, oneOf } from './column.ts';

const status = oneOf('delivery_attempts.status', DELIVERY_ATTEMPT_STATUSES);
const failoverReason = oneOf('delivery_attempts.failover_reason', FAILOVER_REASONS);
const history = jsonColumn(
  'delivery_attempts.status_history',
  z.array(z.object({ status: z.enum(DELIVERY_ATTEMPT_STATUSES), at: z.number(), error_code: z.string().optional() })),
);

export function decodeDeliveryAttempt(row: DeliveryAttemptsTable): DeliveryAttemptRow {
  return {
    ...row,
    status: status(row.status),
    status_history: history.decode(row.status_history),
    receipts: flag(row.receipts),
    failover_reason: row.failover_reason === null ? null : failoverReason(row.failover_reason),
  };
}

export function encodeDeliveryAttempt(row: DeliveryAttemptRow): DeliveryAttemptsTable {
  return { ...row, status_history: history.encode(row.status_history), receipts: bit(row.receipts) };
}

/** Encodes the fields a patch sets, each in its place (so the UPDATE's column order is the patch's). */
export function encodeDeliveryAttemptPatch(patch: Partial<DeliveryAttemptRow>): Updateable<DeliveryAttemptsTable> {
  return {
    ...patch,
    status_history: patch.status_history === undefined ? undefined : history.encode(patch.status_history),
    receipts: patch.receipts === undefined ? undefined : bit(patch.receipts),
  };
}
