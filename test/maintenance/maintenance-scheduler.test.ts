import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/crypto/clock.ts';
import { InProcessEventBus } from '../../src/events/event-bus.ts';
import { expiryJob } from '../../src/maintenance/maintenance-jobs.ts';
import { MaintenanceScheduler, type MaintenanceJob } from '../../src/maintenance/maintenance-scheduler.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { encodeVerification } from '../../src/store/codecs/verifications-codec.ts';
import { MaintenanceStore } from '../../src/store/maintenance-store.ts';
import { createStores } from '../../src/store/unit-of-work.ts';
import { VerificationLifecycle } from '../../src/verify/lifecycle/verification-lifecycle.ts';
import { AccountsStore } from '../../src/store/accounts-store.ts';
import { ServicesStore } from '../../src/store/services-store.ts';
import type { Db } from '../../src/store/database.ts';
import { DATABASE_KINDS, accountRow, openTestDatabase, serviceRow, verificationRow, type TestDatabase } from '../store/test-database.ts';

const quietLogger = { error: () => undefined, info: () => undefined };

/** A promise and its resolver, for steps a test waits on (never a sleep). */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A MaintenanceStore that reports each job-lock outcome. */
class ObservedStore extends MaintenanceStore {
  readonly outcomes: Array<{ job: string; ran: boolean }> = [];
  onOutcome: (() => void) | undefined;
  override async withJobLock<T>(job: string, work: (store: MaintenanceStore) => Promise<T>) {
    const outcome = await super.withJobLock(job, work);
    this.outcomes.push({ job, ran: outcome.ran });
    this.onOutcome?.();
    return outcome;
  }
}

describe('maintenance scheduler', () => {
  it('runs batches while a job says more is waiting, then pauses; stop() ends every loop', async () => {
    const t = await openTestDatabase(DATABASE_KINDS[0]!);
    try {
      let calls = 0;
      const fifth = signal();
      const job: MaintenanceJob = {
        name: 'five-batches',
        everyMs: 3_600_000,
        exclusive: true,
        batch: async () => {
          calls++;
          if (calls === 5) fifth.resolve();
          return calls < 5;
        },
      };
      const scheduler = new MaintenanceScheduler({ store: new MaintenanceStore(t.db.kysely), logger: quietLogger, jobs: [job], budgetMs: 3_600_000, pauseMs: 1 });
      scheduler.start();
      await fifth.promise;
      // The fifth said nothing more is waiting: the loop now sleeps for an hour, and stop() wakes it.
      await scheduler.stop();
      assert.equal(calls, 5);
    } finally {
      await t.close();
    }
  });

  it('a job that throws is logged and tried again at its next run', async () => {
    const t = await openTestDatabase(DATABASE_KINDS[0]!);
    try {
      const errors: unknown[] = [];
      let calls = 0;
      const second = signal();
      const job: MaintenanceJob = {
        name: 'flaky',
        everyMs: 1,
        exclusive: false,
        batch: async () => {
          calls++;
          if (calls === 1) throw new Error('database went away');
          second.resolve();
          return false;
        },
      };
      const scheduler = new MaintenanceScheduler({ store: new MaintenanceStore(t.db.kysely), logger: { error: (o: unknown) => void errors.push(o), info: () => undefined }, jobs: [job] });
      scheduler.start();
      await second.promise;
      await scheduler.stop();
      assert.equal(errors.length, 1);
    } finally {
      await t.close();
    }
  });
});

const postgres = DATABASE_KINDS.find((k) => k.name === 'postgres');
describe('job locks across nodes (postgres)', { skip: postgres ? false : 'needs VERITY_TEST_POSTGRES_URL' }, () => {
  let t: TestDatabase;
  let other: TestDatabase;
  before(async () => {
    t = await openTestDatabase(postgres!);
    other = await openTestDatabase(postgres!);
  });
  after(async () => {
    await t?.close();
    await other?.close();
  });

  it('a job held by one node is skipped by another on the same schema, not by another schema or job', async () => {
    const nodeA = new MaintenanceStore(t.db.kysely);
    const nodeB = new MaintenanceStore(t.reopen().kysely);
    const release = signal();
    const held = signal();
    const running = nodeA.withJobLock('retention', async () => {
      held.resolve();
      await release.promise;
      return 'done';
    });
    await held.promise;
    assert.deepEqual(await nodeB.withJobLock('retention', async () => 'twice'), { ran: false });
    assert.deepEqual(await nodeB.withJobLock('rate-buckets', async () => 'other job'), { ran: true, value: 'other job' });
    assert.deepEqual(await new MaintenanceStore(other.db.kysely).withJobLock('retention', async () => 'other schema'), { ran: true, value: 'other schema' });
    release.resolve();
    assert.deepEqual(await running, { ran: true, value: 'done' });
    assert.deepEqual(await nodeB.withJobLock('retention', async () => 'after release'), { ran: true, value: 'after release' });
  });

  it('two schedulers on one schema never run an exclusive job at once', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const inside = signal();
    const release = signal();
    const job: MaintenanceJob = {
      name: 'exclusive-sweep',
      everyMs: 3_600_000,
      exclusive: true,
      batch: async () => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        inside.resolve();
        await release.promise;
        active--;
        return false;
      },
    };
    const storeA = new ObservedStore(t.db.kysely);
    const storeB = new ObservedStore(t.reopen().kysely);
    const a = new MaintenanceScheduler({ store: storeA, logger: quietLogger, jobs: [job] });
    const b = new MaintenanceScheduler({ store: storeB, logger: quietLogger, jobs: [job] });
    a.start();
    await inside.promise;
    const bTried = signal();
    storeB.onOutcome = bTried.resolve;
    b.start();
    await bTried.promise;
    assert.deepEqual(storeB.outcomes, [{ job: 'exclusive-sweep', ran: false }]);
    release.resolve();
    await Promise.all([a.stop(), b.stop()]);
    assert.equal(maxActive, 1);
    assert.equal(runs, 1);
  });
});

/**
 * A backlog of expired verifications, larger than many batches, is ended through the lifecycle:
 * each exactly once (one `verification.expired` event each), unexpired ones untouched. On
 * PostgreSQL two nodes drain it side by side (their claims skip each other's rows).
 */
const BACKLOG = 2_345;
for (const kind of DATABASE_KINDS) {
  describe(`expiry of a large backlog in batches (${kind.name})`, () => {
    let t: TestDatabase;
    const clock = new ManualClock(1_900_000_000_000);
    before(async () => {
      t = await openTestDatabase(kind);
      const account = accountRow(clock.now());
      await new AccountsStore(t.db.kysely).insert(account);
      const service = serviceRow(account.sid, clock.now());
      await new ServicesStore(t.db.kysely).insert(service);
      const rows = Array.from({ length: BACKLOG + 10 }, (_, i) =>
        encodeVerification(verificationRow(service, `+1555${String(i).padStart(7, '0')}`, clock.now(), { expires_at: i < BACKLOG ? clock.now() - 1 - (i % 97) : clock.now() + 60_000 })),
      );
      for (let i = 0; i < rows.length; i += 500) await t.db.kysely.insertInto('verifications').values(rows.slice(i, i + 500)).execute();
    });
    after(() => t?.close());

    const node = (db: Db) => {
      const stores = createStores(db);
      const lifecycle = new VerificationLifecycle({ stores, clock, bus: new InProcessEventBus(), metrics: new Metrics({ defaultMetrics: false }), liveCalls: { hangUpCallsOf: async () => undefined } });
      return { job: expiryJob({ clock, verificationLifecycle: lifecycle }, { batch: 50, concurrency: 3 }), store: stores.maintenance };
    };

    it('ends every expired verification once, and nothing else', async () => {
      const nodes = kind.name === 'postgres' ? [node(t.db), node(t.reopen())] : [node(t.db)];
      let batches = 0;
      await Promise.all(
        nodes.map(async ({ job, store }) => {
          while (await job.batch(store)) batches++;
        }),
      );
      assert.ok(batches >= BACKLOG / (50 * 3 * nodes.length) - 1, `drained in batches (${batches})`);
      const k = t.db.kysely;
      const byStatus = await k.selectFrom('verifications').select(['status', k.fn.countAll<number>().as('n')]).groupBy('status').orderBy('status').execute();
      assert.deepEqual(byStatus.map((r) => [r.status, Number(r.n)]), [['expired', BACKLOG], ['pending', 10]]);
      const events = await k.selectFrom('events').select(['resource_sid', 'type']).execute();
      assert.equal(events.length, BACKLOG);
      assert.equal(new Set(events.map((e) => e.resource_sid)).size, BACKLOG);
      assert.ok(events.every((e) => e.type === 'verification.expired'), 'only expired events');
    });
  });
}
