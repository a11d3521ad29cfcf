import type { DeliveryStatus, DeliveryStatusReport, DeliveryStatusSink, ReportOutcome } from '../../src/messaging/delivery-status.ts';
import { FINAL_DELIVERY_STATUSES } from '../../src/messaging/delivery-status.ts';

/** One report the sink received and what it answered. */
export interface RecordedReport {
  report: DeliveryStatusReport;
  outcome: ReportOutcome;
}

interface KnownAttempt {
  provider: string;
  attemptId: string;
  messageIds: Set<string>;
  status: DeliveryStatus;
  /** Every report recorded for it, to tell a duplicate from news. */
  seen: Set<string>;
}

const ORDER: Readonly<Record<DeliveryStatus, number>> = { queued: 0, sent: 1, delivered: 2, undelivered: 2, failed: 2 };

/**
 * A DeliveryStatusSink for tests that keeps every report and answers as the real one does: `unknown`
 * for an id no attempt of that provider instance has, `unchanged` for a report it has already
 * recorded (a carrier retrying its webhook) or one that would move a final status, `recorded`
 * otherwise. Tests tell it which attempts exist with `know` (the contract does after each send).
 */
export class RecordingStatusSink implements DeliveryStatusSink {
  readonly reports: RecordedReport[] = [];
  private readonly attempts: KnownAttempt[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  /** An attempt the provider instance `provider` sent under `attemptId`, known to the carrier by `messageIds`. */
  know(provider: string, attemptId: string, messageIds: readonly string[]): void {
    this.attempts.push({ provider, attemptId, messageIds: new Set(messageIds), status: 'queued', seen: new Set() });
  }

  /** The current status of an attempt (`queued` until a report moves it). */
  statusOf(attemptId: string): DeliveryStatus | undefined {
    return this.attempts.find((a) => a.attemptId === attemptId)?.status;
  }

  async report(report: DeliveryStatusReport): Promise<ReportOutcome> {
    const attempt = this.attempts.find(
      (a) => a.provider === report.provider && (report.attemptId !== undefined ? a.attemptId === report.attemptId : a.messageIds.has(report.providerMessageId ?? '')),
    );
    const outcome = attempt ? this.apply(attempt, report) : 'unknown';
    this.reports.push({ report, outcome });
    for (const waiter of [...this.waiters]) {
      if (this.reports.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    return outcome;
  }

  /**
   * Resolves once `count` reports have arrived in all (receipts that come over a session, not as the
   * answer to a request the test awaits, arrive a little later); rejects after `timeoutMs`.
   */
  async received(count: number, timeoutMs = 5000): Promise<RecordedReport[]> {
    if (this.reports.length < count) {
      await new Promise<void>((resolve, reject) => {
        const waiter = { count, resolve: () => (clearTimeout(timer), resolve()) };
        const timer = setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`expected ${count} delivery status reports within ${timeoutMs} ms, got ${this.reports.length}`));
        }, timeoutMs);
        this.waiters.push(waiter);
      });
    }
    return this.reports.slice(0, count);
  }

  /** Forgets every report and attempt. */
  clear(): void {
    this.reports.length = 0;
    this.attempts.length = 0;
  }

  private apply(attempt: KnownAttempt, report: DeliveryStatusReport): ReportOutcome {
    const key = JSON.stringify([report.providerMessageId ?? '', report.status, report.errorCode ?? '']);
    if (attempt.seen.has(key)) return 'unchanged';
    attempt.seen.add(key);
    // A final status stays; an earlier status arriving late is history only.
    if (FINAL_DELIVERY_STATUSES.includes(attempt.status) || ORDER[report.status] < ORDER[attempt.status]) return 'unchanged';
    attempt.status = report.status;
    return 'recorded';
  }
}
