import type { Logger } from 'pino';
import type { MaintenanceStore } from '../store/maintenance-store.ts';

/**
 * One kind of maintenance work (expiry, a sweep, retention), done in batches of at most 1,000 rows.
 * `batch` does one and says whether more is waiting; the scheduler decides when to run the next.
 */
export interface MaintenanceJob {
  readonly name: string;
  /** Pause after a run that left nothing waiting. */
  readonly everyMs: number;
  /**
   * true: one node at a time runs it (a lock per job and database schema; the others skip that run).
   * false: every node runs it, and its claims skip rows another node holds (`FOR UPDATE SKIP LOCKED`).
   */
  readonly exclusive: boolean;
  /** One batch; `store` is bound to the connection holding the job's lock (use it for the job's own statements). */
  batch(store: MaintenanceStore): Promise<boolean>;
}

export interface MaintenanceSchedulerOptions {
  store: MaintenanceStore;
  logger: Pick<Logger, 'error' | 'info'>;
  jobs: readonly MaintenanceJob[];
  /** How long one run may keep batching before it yields (the others and the request load go first). */
  budgetMs?: number;
  /** Pause between two batches of one run, and before the next run when work is still waiting. */
  pauseMs?: number;
}

/**
 * Runs each maintenance job in its own loop: a run takes the job's lock (if exclusive), does batches
 * while more is waiting and its time budget lasts, then sleeps (`pauseMs` if work is left, else the
 * job's `everyMs`). `stop()` wakes every sleeper, lets each loop finish the batch it is in (one
 * statement or one short transaction) and resolves once all have returned.
 */
export class MaintenanceScheduler {
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly sleepers = new Map<string, () => void>();
  private readonly budgetMs: number;
  private readonly pauseMs: number;

  constructor(private readonly options: MaintenanceSchedulerOptions) {
    this.budgetMs = options.budgetMs ?? 500;
    this.pauseMs = options.pauseMs ?? 20;
  }

  start(): void {
    for (const job of this.options.jobs) this.loops.push(this.loop(job));
  }

  /** Runs job `name` now instead of at the end of its pause (e.g. right after a burst of work was created). */
  wake(name: string): void {
    this.sleepers.get(name)?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers.values()) wake();
    await Promise.all(this.loops);
  }

  private async loop(job: MaintenanceJob): Promise<void> {
    while (!this.stopping) {
      let more = false;
      try {
        const run = (store: MaintenanceStore) => this.run(job, store);
        const outcome = job.exclusive ? await this.options.store.withJobLock(job.name, run) : { ran: true as const, value: await run(this.options.store) };
        more = outcome.ran && outcome.value;
      } catch (error) {
        this.options.logger.error({ err: error, job: job.name }, 'maintenance job failed');
      }
      await this.sleep(job.name, more ? this.pauseMs : job.everyMs);
    }
  }

  /** Batches while more is waiting, the budget lasts and nobody asked to stop; true if work is left. */
  private async run(job: MaintenanceJob, store: MaintenanceStore): Promise<boolean> {
    const deadline = performance.now() + this.budgetMs;
    for (;;) {
      const more = await job.batch(store);
      if (!more || this.stopping || performance.now() >= deadline) return more;
      await this.sleep(job.name, this.pauseMs);
    }
  }

  private sleep(name: string, ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // An idle job does not keep the process alive; a pause in the middle of work does.
      if (ms > this.pauseMs) timer.unref();
      const sleepers = this.sleepers;
      function done(): void {
        clearTimeout(timer);
        sleepers.delete(name);
        resolve();
      }
      sleepers.set(name, done);
    });
  }
}
