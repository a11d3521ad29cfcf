import type { Logger } from 'pino';
import type { Clock } from '../crypto/clock.ts';
import type { Stores } from '../store/unit-of-work.ts';
import type { DeliveryDispatcher } from './delivery-dispatcher.ts';
import { isFinal } from './status-transition.ts';

/** How long a claimed attempt is ours: long enough for one failover send (its retries included). */
const LEASE_MS = 60_000;

export interface FailoverSweeperDeps {
  stores: Pick<Stores, 'deliveryAttempts'>;
  clock: Clock;
  logger: Pick<Logger, 'error'>;
  dispatcher: Pick<DeliveryDispatcher, 'failOver'>;
  /** The regular pass (the fast path wakes it earlier); default 5 s. */
  intervalMs?: number;
  /** Attempts handled per pass; default 50. */
  batch?: number;
}

/**
 * The delivery time-out, durable: each accepted attempt that may still fail over carries its
 * deadline (`deliver_by`) in the database; this sweeper claims due attempts with a lease (as the
 * webhook outbox does), so on several nodes one attempt is handled once, and after a restart the
 * deadlines set before it still fire. It fails over attempts with no final status by their deadline
 * and forgets the sealed messages of verifications that ended. A timer set for the earliest
 * deadline (the dispatcher's new ones, and after each pass the next one in the database) is only a
 * fast path: the regular pass finds every due attempt.
 */
export class FailoverSweeper {
  private interval: NodeJS.Timeout | undefined;
  private fastPath: { at: number; timer: NodeJS.Timeout } | undefined;
  private running: Promise<number> | undefined;
  private again = false;

  constructor(private readonly deps: FailoverSweeperDeps) {}

  start(): void {
    if (this.interval) return;
    this.interval = setInterval(() => this.poke(), this.deps.intervalMs ?? 5_000);
    this.interval.unref();
  }

  /** Stops the timers and waits for a pass under way. */
  async stop(): Promise<void> {
    clearInterval(this.interval);
    this.interval = undefined;
    if (this.fastPath) clearTimeout(this.fastPath.timer);
    this.fastPath = undefined;
    await this.running;
  }

  /** Asks for a pass at `at` (an attempt's deadline), if that is earlier than the one already asked for; only while started. */
  wakeAt(at: number): void {
    if (!this.interval || (this.fastPath && this.fastPath.at <= at)) return;
    if (this.fastPath) clearTimeout(this.fastPath.timer);
    const timer = setTimeout(() => {
      this.fastPath = undefined;
      this.poke();
    }, Math.max(0, at - this.deps.clock.now()));
    timer.unref();
    this.fastPath = { at, timer };
  }

  /** One pass now; a pass asked for while one runs runs once more after it. Resolves with how many attempts it failed over. */
  async sweep(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    }
  }

  private poke(): void {
    this.sweep().catch((error: unknown) => this.deps.logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : undefined }, 'delivery failover sweep failed'));
  }

  private async pass(): Promise<number> {
    const { stores, clock, dispatcher } = this.deps;
    const now = clock.now();
    await stores.deliveryAttempts.wipeEnded(now);
    let failedOver = 0;
    for (const attempt of await stores.deliveryAttempts.due(now, this.deps.batch ?? 50)) {
      const leaseUntil = now + LEASE_MS;
      if (!(await stores.deliveryAttempts.claim(attempt.sid, now, leaseUntil))) continue;
      try {
        if (!isFinal(attempt.status) && attempt.failover_reason === null && attempt.receipts) {
          await dispatcher.failOver(attempt, 'timeout');
          failedOver++;
        }
      } finally {
        // Clears the deadline unless the failover already did (then the lease is no longer ours and nothing changes).
        await stores.deliveryAttempts.release(attempt.sid, leaseUntil, clock.now());
      }
    }
    // The fast path for the deadlines still ahead (this node's and other nodes' alike).
    const next = await stores.deliveryAttempts.nextDeadline(clock.now());
    if (next !== undefined) this.wakeAt(next);
    return failedOver;
  }
}
