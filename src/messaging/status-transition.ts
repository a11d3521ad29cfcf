import type { DeliveryAttemptRow, DeliveryAttemptStatus } from '../store/schema.ts';
import type { DeliveryAttemptPatch } from '../store/delivery-attempts-store.ts';
import type { CarrierPrice } from './delivery-status.ts';

/** How far along an attempt is; a status never moves to a lower rank (delivery-status.ts). */
const RANK: Record<DeliveryAttemptStatus, number> = { sending: 0, queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3, rejected: 3 };

/** Whether an attempt has its last word: nothing a carrier says later changes its status. */
export const isFinal = (status: DeliveryAttemptStatus): boolean => RANK[status] === 3;

/** A status change to apply: a carrier's report, or the provider's answer to the send (accepted as queued/sent, or rejected). */
export interface StatusChange {
  status: DeliveryAttemptStatus;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  price?: CarrierPrice | undefined;
  /** When it happened (ms); the receiving time when absent. */
  at?: number | undefined;
}

/** What a report does to an attempt: nothing (a duplicate), or the patch to write and whether it reached a final status. */
export type Transition = { outcome: 'unchanged' } | { outcome: 'recorded'; patch: DeliveryAttemptPatch; becameFinal: boolean; statusChanged: boolean };

/**
 * The monotonic status rules: a report moves the status only forward (queued → sent → delivered |
 * undelivered | failed), and the first final status stands. A report that does not move it (a late
 * `sent` after `delivered`, a second final status) is still kept in the history, once; the same
 * status reported again (a carrier retrying its webhook) changes nothing. Price and error are kept
 * whenever the carrier reports them.
 */
export function applyReport(attempt: DeliveryAttemptRow, report: StatusChange, now: number): Transition {
  const at = report.at ?? now;
  const duplicate = attempt.status_history.some((h) => h.status === report.status && h.error_code === report.errorCode);
  const priceChanged = report.price !== undefined && (report.price.amount !== attempt.price || report.price.currency !== attempt.price_unit);
  if (duplicate && !priceChanged) return { outcome: 'unchanged' };
  const moves = RANK[report.status] > RANK[attempt.status];
  const patch: DeliveryAttemptPatch = { date_updated: now };
  if (!duplicate) patch.status_history = [...attempt.status_history, { status: report.status, at, ...(report.errorCode !== undefined ? { error_code: report.errorCode } : {}) }];
  if (priceChanged && report.price) {
    patch.price = report.price.amount;
    patch.price_unit = report.price.currency;
  }
  const becameFinal = moves && isFinal(report.status);
  if (moves) {
    patch.status = report.status;
    if (report.errorCode !== undefined || report.errorMessage !== undefined) {
      patch.error_code = report.errorCode ?? null;
      patch.error_message = report.errorMessage ?? null;
    }
    if (becameFinal) {
      patch.date_final = at;
      // Nothing left to wait for: the delivery time-out no longer applies.
      patch.deliver_by = null;
    }
  }
  return { outcome: 'recorded', patch, becameFinal, statusChanged: moves };
}
