import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialect, type Steps } from '../../src/store/steps.ts';
import { createStores, NestedTransactionError, type StepTransaction, type Stores } from '../../src/store/unit-of-work.ts';
import { DATABASE_KINDS, insertAccountAndService, openTestDatabase, verificationRow, type TestDatabase } from './test-database.ts';

/**
 * The unit of work's contract, on SQLite and (with VERITY_TEST_POSTGRES_URL) PostgreSQL: a
 * transaction's stores see its own writes, a commit keeps them and then runs the after-commit
 * hooks, a rollback discards both, and a nested transaction is refused (on SQLite it would wait
 * forever for the one connection its outer transaction holds).
 */

const T0 = Date.UTC(2026, 0, 1);

for (const kind of DATABASE_KINDS) {
  describe(`unit of work (${kind.name})`, () => {
    let t: TestDatabase;
    let stores: Stores;
    let service: { sid: string; account_sid: string };
    let n = 0;
    const destination = () => `+1415555${String(2000 + ++n)}`;

    before(async () => {
      t = await openTestDatabase(kind);
      stores = createStores(t.db);
      service = await insertAccountAndService(t.db, T0);
    });
    after(() => t.close());

    it('reports its dialect and answers a ping', async () => {
      assert.equal(stores.dialect, kind.name);
      await stores.ping();
    });

    it('hands out the same store object on each use of a binding', () => {
      assert.equal(stores.verifications, stores.verifications, 'stores are cached per binding');
    });

    it('commits the writes of its stores, then runs the hooks in order', async () => {
      const row = verificationRow(service, destination(), T0);
      const ran: string[] = [];
      const result = await stores.transaction(async (tx) => {
        assert.equal(await tx.verifications.insertPending(row), true);
        // The transaction's stores see its own write.
        assert.equal((await tx.verifications.find(service.sid, row.sid))?.sid, row.sid);
        tx.afterCommit(() => void ran.push('first'));
        tx.afterCommit(async () => {
          // A hook runs after commit: the write is visible outside the transaction.
          ran.push(`second:${(await stores.verifications.find(service.sid, row.sid))?.status ?? 'missing'}`);
        });
        assert.deepEqual(ran, [], 'no hook runs before commit');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual(ran, ['first', 'second:pending']);
    });

    it('rolls back: writes are discarded, hooks never run, the error reaches the caller', async () => {
      const row = verificationRow(service, destination(), T0);
      let hookRan = false;
      await assert.rejects(
        stores.transaction(async (tx) => {
          await tx.verifications.insertPending(row);
          tx.afterCommit(() => {
            hookRan = true;
          });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(hookRan, false, 'a rolled-back transaction runs no hook');
      assert.equal(await stores.verifications.find(service.sid, row.sid), undefined, 'the write was discarded');
    });

    it('runs every hook when one throws, then reports the first error (the writes stay committed)', async () => {
      const row = verificationRow(service, destination(), T0);
      const ran: string[] = [];
      await assert.rejects(
        stores.transaction(async (tx) => {
          await tx.verifications.insertPending(row);
          tx.afterCommit(() => {
            ran.push('a');
            throw new Error('first hook failed');
          });
          tx.afterCommit(() => {
            ran.push('b');
            throw new Error('second hook failed');
          });
          tx.afterCommit(() => void ran.push('c'));
        }),
        /first hook failed/,
      );
      assert.deepEqual(ran, ['a', 'b', 'c']);
      assert.equal((await stores.verifications.find(service.sid, row.sid))?.sid, row.sid, 'the transaction committed');
    });

    it('refuses a nested transaction (the outer one rolls back if the error escapes)', async () => {
      const row = verificationRow(service, destination(), T0);
      await assert.rejects(
        stores.transaction(async (tx) => {
          await tx.verifications.insertPending(row);
          await stores.transaction(async () => undefined);
        }),
        NestedTransactionError,
      );
      assert.equal(await stores.verifications.find(service.sid, row.sid), undefined, 'the outer transaction rolled back');
      // The refusal leaves the stores usable: transactions after it still work.
      assert.equal(await stores.transaction(async () => 'again'), 'again');
    });

    it('allows transactions one after another from hooks (they run after commit, outside it)', async () => {
      const row = verificationRow(service, destination(), T0);
      await stores.transaction(async (tx) => {
        tx.afterCommit(async () => {
          await stores.transaction((inner) => inner.verifications.insertPending(row));
        });
      });
      assert.equal((await stores.verifications.find(service.sid, row.sid))?.sid, row.sid);
    });

    describe('transactions written as steps (transactionSteps)', () => {
      it('commits the steps, returns their answer, then runs the hooks', async () => {
        const row = verificationRow(service, destination(), T0);
        const ran: string[] = [];
        const inserted = await stores.transactionSteps(function* (tx): Steps<boolean> {
          tx.afterCommit(() => void ran.push('hook'));
          const ok = yield* tx.steps.verifications.insertPending(row);
          const seen = yield* tx.steps.verifications.find(service.sid, row.sid);
          assert.equal(seen?.sid, row.sid, 'the transaction sees its own write');
          ran.push('work');
          return ok;
        });
        assert.equal(inserted, true);
        assert.deepEqual(ran, ['work', 'hook']);
        assert.equal((await stores.verifications.find(service.sid, row.sid))?.status, 'pending');
      });

      it('rolls back every step when the work throws, and runs no hook', async () => {
        const row = verificationRow(service, destination(), T0);
        let hooked = false;
        await assert.rejects(
          stores.transactionSteps(function* (tx): Steps<void> {
            tx.afterCommit(() => void (hooked = true));
            yield* tx.steps.verifications.insertPending(row);
            throw new Error('work failed');
          }),
          /work failed/,
        );
        assert.equal(hooked, false, 'no hook after a rollback');
        assert.equal(await stores.verifications.find(service.sid, row.sid), undefined, 'the insert rolled back');
      });

      it('refuses to nest inside either kind of transaction, and lets none nest inside it', async () => {
        const nothing = function* (): Steps<void> {};
        await assert.rejects(stores.transaction(async () => stores.transactionSteps(nothing)), NestedTransactionError);
        const inner: Promise<unknown>[] = [];
        // eslint-disable-next-line require-yield -- the nested calls are the point
        await stores.transactionSteps(function* (): Steps<void> {
          inner.push(assert.rejects(stores.transactionSteps(nothing), NestedTransactionError), assert.rejects(stores.transaction(async () => undefined), NestedTransactionError));
        });
        assert.equal(inner.length, 2);
        await Promise.all(inner);
        // eslint-disable-next-line require-yield -- a transaction of no statement
        assert.equal(await stores.transactionSteps(function* (): Steps<string> { return 'again'; }), 'again');
      });

      it('runs the same generator inside an async transaction (TransactionStores.run)', async () => {
        const row = verificationRow(service, destination(), T0);
        const steps = (tx: StepTransaction) => tx.steps.verifications.insertPending(row);
        assert.equal(await stores.transaction((tx) => tx.run(steps(tx))), true);
        assert.equal(await stores.transactionSteps((tx) => steps(tx)), false, 'one pending verification per destination');
      });

      it('spends a budget as steps: never past its capacity, and a refund gives one back', async () => {
        const key = `budget:${destination()}`;
        const spend = () => stores.transactionSteps((tx) => tx.steps.budgets.spend(key, 2, T0));
        assert.deepEqual([await spend(), await spend(), await spend()], [true, true, false]);
        await stores.transactionSteps((tx) => tx.steps.budgets.refund(key, 2));
        assert.deepEqual([await spend(), await spend()], [true, false]);
      });

      if (kind.name === 'sqlite') {
        it('runs synchronously on SQLite when the connection is free (no promise per statement)', async () => {
          const row = verificationRow(service, destination(), T0);
          let finished = false;
          const done = stores.transactionSteps(function* (tx): Steps<void> {
            yield* tx.steps.verifications.insertPending(row);
            yield* tx.steps.verifications.completePending(row.sid, 'canceled', T0 + 1);
            finished = true;
          });
          assert.equal(finished, true, 'every statement ran before transactionSteps returned');
          await done;
          assert.equal((await stores.verifications.find(service.sid, row.sid))?.status, 'canceled');
        });

        it('waits its turn behind an open async transaction (one connection, FIFO), then runs whole', async () => {
          const row = verificationRow(service, destination(), T0);
          const order: string[] = [];
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          let entered!: () => void;
          const inside = new Promise<void>((resolve) => (entered = resolve));
          const outer = stores.transaction(async (tx) => {
            await tx.verifications.insertPending(row);
            entered();
            await held;
            order.push('async transaction');
          });
          await inside;
          const steps = stores.transactionSteps(function* (tx): Steps<void> {
            const seen = yield* tx.steps.verifications.find(service.sid, row.sid);
            order.push(`steps saw ${seen?.status ?? 'nothing'}`);
          });
          assert.deepEqual(order, [], 'the steps wait for the connection');
          release();
          await Promise.all([outer, steps]);
          assert.deepEqual(order, ['async transaction', 'steps saw pending']);
        });

        it('hands the connection down a long queue of step transactions without losing it (no recursion per waiter)', async () => {
          // Review: each waiter used to run inside the previous holder's release(), so 20,000 queued
          // transactions recursed until the stack overflowed mid-hand-over and the lock stayed taken.
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          let entered!: () => void;
          const inside = new Promise<void>((resolve) => (entered = resolve));
          const outer = stores.transaction(async () => {
            entered();
            await held;
          });
          await inside;
          const queued: Promise<number>[] = [];
          for (let i = 0; i < 20_000; i++) {
            queued.push(
              stores.transactionSteps(function* (): Steps<number> {
                yield* dialect();
                return i;
              }),
            );
          }
          release();
          await outer;
          const results = await Promise.allSettled(queued);
          assert.equal(results.filter((r) => r.status === 'rejected').length, 0, 'every queued transaction ran');
          assert.equal(await stores.transaction(async () => 'free'), 'free', 'the connection is free afterwards');
        });
      }
    });
  });
}
