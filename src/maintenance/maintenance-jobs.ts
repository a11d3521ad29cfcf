import type { AppContext } from '../context.ts';
import { pruneAbandonedFactors } from '../factors/delete-factor.ts';
import { LOCKOUT } from '../verify/limits.ts';
import { expireDueVerifications } from '../verify/update-verification.ts';
import { AUDIT_RETENTION_ORDER, MAINTENANCE_BATCH, RETENTION_ORDER } from '../store/maintenance-store.ts';
import { MaintenanceScheduler, type MaintenanceJob } from './maintenance-scheduler.ts';

/** Verifications ended per expiry transaction (one commit each), and how many such transactions a node runs at once. */
const EXPIRY_BATCH = 100;
const EXPIRY_CONCURRENCY = 3;
/** A rate bucket untouched this long is full again: deleting it changes nothing. */
const BUCKET_IDLE_MS = 24 * 3600_000;
/** The batch sizes of the sweeps that go through domain code (call-router.ts, delete-factor.ts). */
const STALE_CALLS_BATCH = 100;
const ABANDONED_FACTORS_BATCH = 200;

type MaintenanceDeps = Pick<AppContext, 'bus' | 'clock' | 'config' | 'logger' | 'stores' | 'verificationLifecycle' | 'voice'>;

/** The maintenance jobs of a server (docs/scaling.md, "Maintenance and retention"). */
function maintenanceJobs(ctx: MaintenanceDeps): MaintenanceJob[] {
  const jobs: MaintenanceJob[] = [
    expiryJob(ctx),
    {
      name: 'stale-calls',
      everyMs: 5000,
      exclusive: true,
      batch: async () => (await ctx.voice.engine.sweepStaleCalls()) >= STALE_CALLS_BATCH,
    },
    {
      name: 'abandoned-factors',
      everyMs: 60_000,
      exclusive: true,
      batch: async () => (await pruneAbandonedFactors(ctx, ABANDONED_FACTORS_BATCH)) >= ABANDONED_FACTORS_BATCH,
    },
    {
      name: 'spent-tokens',
      everyMs: 60_000,
      exclusive: true,
      batch: async () => (await ctx.stores.spentTokens.purgeExpired(ctx.clock.now(), MAINTENANCE_BATCH)) >= MAINTENANCE_BATCH,
    },
    keyWalk('rate-buckets', 10_000, (store, after) => store.pruneIdleBuckets(after, ctx.clock.now() - BUCKET_IDLE_MS)),
  ];
  const retentionMs = ctx.config.retentionMs;
  if (retentionMs > 0) {
    // A lock-out counter idle past the retention (and past the longest lock-out) has nothing left to enforce.
    const idleMs = Math.max(retentionMs, LOCKOUT.hardLockMs);
    jobs.push(keyWalk('check-failures', 60_000, (store, after) => store.pruneIdleCheckFailures(after, ctx.clock.now() - idleMs, ctx.clock.now())));
    jobs.push(retentionJob('retention', RETENTION_ORDER, () => ctx.clock.now() - retentionMs));
  }
  // The console's audit log is kept longer than the traffic it is about (VERITY_AUDIT_RETENTION_DAYS).
  const auditRetentionMs = ctx.config.auditRetentionMs;
  if (auditRetentionMs > 0) jobs.push(retentionJob('audit-retention', AUDIT_RETENTION_ORDER, () => ctx.clock.now() - auditRetentionMs));
  return jobs;
}

/**
 * Ends expired pending verifications through the lifecycle: EXPIRY_CONCURRENCY transactions of up
 * to EXPIRY_BATCH each at once. Every node takes part: each transaction claims its own rows (SKIP
 * LOCKED), so nodes add capacity. While a batch comes back full it runs again at once.
 */
export function expiryJob(ctx: Pick<AppContext, 'clock' | 'verificationLifecycle'>, options: { batch?: number; concurrency?: number } = {}): MaintenanceJob {
  const batch = options.batch ?? EXPIRY_BATCH;
  const concurrency = options.concurrency ?? EXPIRY_CONCURRENCY;
  return {
    name: 'expire-verifications',
    // Looking for due rows is one read of a small partial index: every 250 ms keeps the `expired`
    // webhook within a quarter second of the expiry, and a steady stream of expiries from piling up.
    everyMs: 250,
    exclusive: false,
    batch: async () => {
      const claimed = await Promise.all(Array.from({ length: concurrency }, () => expireDueVerifications(ctx, batch)));
      return claimed.some((n) => n === batch);
    },
  };
}

/**
 * A walk over a table's primary key, one slice per batch, deleting the idle rows of each slice:
 * constant cost per batch and no index on a column every request rewrites. The position is this
 * node's; another node that takes the job over starts from the beginning.
 */
function keyWalk(name: string, everyMs: number, slice: (store: Parameters<MaintenanceJob['batch']>[0], after: string) => Promise<{ last: string | undefined }>): MaintenanceJob {
  let after = '';
  return {
    name,
    everyMs,
    exclusive: true,
    batch: async (store) => {
      const { last } = await slice(store, after);
      after = last ?? '';
      return last !== undefined;
    },
  };
}

/** Retention: each table of `tables` in turn (children before parents), oldest rows first, until none is older than the cut-off. */
export function retentionJob(name: string, tables: readonly string[], cutoff: () => number): MaintenanceJob {
  let table = 0;
  let passCutoff: number | undefined;
  return {
    name,
    everyMs: 60_000,
    exclusive: true,
    batch: async (store) => {
      passCutoff ??= cutoff();
      const current = tables[table];
      if (current === undefined || (await store.pruneBatch(current, passCutoff)) < MAINTENANCE_BATCH) table++;
      if (table < tables.length) return true;
      table = 0;
      passCutoff = undefined;
      return false;
    },
  };
}

/** Starts the maintenance scheduler of a server; `stop()` ends it (background-jobs.ts). */
export function startMaintenance(ctx: MaintenanceDeps): MaintenanceScheduler {
  const scheduler = new MaintenanceScheduler({ store: ctx.stores.maintenance, logger: ctx.logger.child({ component: 'maintenance' }), jobs: maintenanceJobs(ctx) });
  scheduler.start();
  return scheduler;
}
