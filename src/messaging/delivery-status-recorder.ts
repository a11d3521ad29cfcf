import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import { recordEvent } from '../events/record-event.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { DeliveryAttemptPatch } from '../store/delivery-attempts-store.ts';
import type { DeliveryAttemptRow } from '../store/schema.ts';
import type { Stores } from '../store/unit-of-work.ts';
import { deliveryStatusEventPayload } from './delivery-attempt-snapshot.ts';
import { DELIVERY_STATUSES, type DeliveryStatusReport, type DeliveryStatusSink, type ReportOutcome } from './delivery-status.ts';
import type { SendsInFlight } from './sends-in-flight.ts';
import { applyReport, isFinal, type StatusChange } from './status-transition.ts';

/** How long a receipt naming an unknown id waits for a send of its instance still in flight here to register it. */
const REGISTRATION_GRACE_MS = 5_000;
/** Compare-and-swap retries before giving up (a report racing many others on one attempt). */
const MAX_RACES = 8;

export interface DeliveryStatusRecorderDeps {
  stores: Pick<Stores, 'transaction' | 'deliveryAttempts'>;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  metrics: Pick<Metrics, 'deliveryReceipts' | 'timeToDelivered'>;
  /** Wakes the webhook dispatcher once an event is in the outbox. */
  bus: { publish(topic: string, value: { type: string; resourceSid: string }): void };
  inFlight: SendsInFlight;
}

/** Told of every attempt that just reached a final status (the dispatcher fails over and tells the router). */
export type FinalStatusListener = (attempt: DeliveryAttemptRow) => void;

/**
 * The delivery-status sink providers report into, and the one writer of attempts' statuses (the
 * dispatcher records a provider's answer to a send through it too). It finds the attempt by
 * Verity's attempt id or by the carrier's message or part id under the reporting instance, applies
 * the monotonic rules (status-transition.ts) with a compare-and-swap, and in the same transaction
 * writes the `verification.delivery_status` webhook event; then it counts the status and tells the
 * dispatcher of a final one.
 */
export class DeliveryStatusRecorder implements DeliveryStatusSink {
  private listener: FinalStatusListener | undefined;

  constructor(private readonly deps: DeliveryStatusRecorderDeps) {}

  /** Set once by the wiring: the dispatcher depends on the providers, which depend on this sink. */
  onFinal(listener: FinalStatusListener): void {
    this.listener = listener;
  }

  async report(report: DeliveryStatusReport): Promise<ReportOutcome> {
    // A provider's mapping bug must not write a status the model does not have (nor `sending`/`rejected`, which are Verity's).
    if (!DELIVERY_STATUSES.includes(report.status)) throw new Error(`${report.provider} reported an unknown delivery status`);
    const attempt = await this.resolve(report);
    if (!attempt) return 'unknown';
    const { status, errorCode, errorMessage, price, at } = report;
    const result = await this.record(attempt, { status, errorCode, errorMessage, price, at });
    return result.outcome;
  }

  /**
   * Applies `change` (and `extra`, columns the dispatcher sets with the provider's answer) to the
   * attempt, retrying on a concurrent change. `unchanged` when it was a duplicate and there is nothing extra.
   */
  async record(attempt: DeliveryAttemptRow, change: StatusChange, extra: DeliveryAttemptPatch = {}): Promise<{ outcome: ReportOutcome; attempt: DeliveryAttemptRow }> {
    const { stores, clock } = this.deps;
    let current = attempt;
    for (let race = 0; race < MAX_RACES; race++) {
      const now = clock.now();
      const transition = applyReport(current, change, now);
      const hasExtra = Object.keys(extra).length > 0;
      if (transition.outcome === 'unchanged' && !hasExtra) return { outcome: 'unchanged', attempt: current };
      const patch: DeliveryAttemptPatch = { ...extra, ...(transition.outcome === 'recorded' ? transition.patch : {}), date_updated: now };
      const status = patch.status ?? current.status;
      if (isFinal(status)) {
        // Nothing to wait for any more; a delivered message will never be sent again.
        patch.deliver_by = null;
        if (status === 'delivered') patch.message_sealed = null;
      }
      const statusChanged = transition.outcome === 'recorded' && transition.statusChanged;
      const updated = await stores.transaction(async (tx) => {
        const row = await tx.deliveryAttempts.update(current.sid, current.version, patch);
        if (row && statusChanged) {
          await recordEvent(tx, clock, { accountSid: row.account_sid, serviceSid: row.service_sid, type: 'verification.delivery_status', resourceSid: row.sid, payload: deliveryStatusEventPayload(row) });
          tx.afterCommit(() => this.deps.bus.publish('outbox', { type: 'verification.delivery_status', resourceSid: row.sid }));
        }
        return row;
      });
      if (updated) {
        if (statusChanged) this.changed(updated, transition.outcome === 'recorded' && transition.becameFinal);
        return { outcome: 'recorded', attempt: updated };
      }
      const fresh = await stores.deliveryAttempts.find(current.sid);
      if (!fresh) return { outcome: 'unknown', attempt: current };
      current = fresh;
    }
    throw new Error(`delivery attempt ${attempt.sid} kept changing under ${MAX_RACES} status reports`);
  }

  /** The attempt a report names, only under the instance that sent it (a report through another instance's webhook is foreign). */
  private async resolve(report: DeliveryStatusReport): Promise<DeliveryAttemptRow | undefined> {
    const { deliveryAttempts } = this.deps.stores;
    if (report.attemptId !== undefined) {
      const attempt = await deliveryAttempts.find(report.attemptId);
      return attempt?.provider === report.provider ? attempt : undefined;
    }
    if (report.providerMessageId === undefined) return undefined;
    const found = await deliveryAttempts.findByMessageId(report.provider, report.providerMessageId);
    if (found) return found;
    // The receipt may have overtaken the send's answer in this process (see SendsInFlight).
    if (!(await this.deps.inFlight.waitFor(report.provider, report.providerMessageId, REGISTRATION_GRACE_MS))) return undefined;
    return deliveryAttempts.findByMessageId(report.provider, report.providerMessageId);
  }

  private changed(attempt: DeliveryAttemptRow, becameFinal: boolean): void {
    const { metrics } = this.deps;
    const country = attempt.destination_country ?? 'none';
    metrics.deliveryReceipts.inc({ provider: attempt.provider, country, status: attempt.status });
    if (attempt.status === 'delivered' && attempt.date_final !== null) {
      metrics.timeToDelivered.observe({ provider: attempt.provider, country }, Math.max(0, attempt.date_final - attempt.date_created) / 1000);
    }
    if (becameFinal) this.listener?.(attempt);
  }
}
