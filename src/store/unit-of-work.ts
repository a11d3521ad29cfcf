import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import type { Db, DialectName } from './database.ts';
import type { Database } from './schema.ts';
import { STEP_STORES, type StepStores } from './step-stores.ts';
import { runSteps, runStepsSync, type Steps } from './steps.ts';
import { STORE_TABLE, type StoreSet } from './store-set.ts';

/** Work that runs once a transaction has committed (bus announcements, hang-ups, metrics). */
type AfterCommit = () => void | Promise<void>;

/** A transaction written as steps (src/store/steps.ts), and the hooks it owes the world once it commits. */
export interface StepTransaction {
  /** The stores' operations as steps: `yield* tx.steps.verifications.find(…)`. */
  readonly steps: StepStores;
  /**
   * Runs `hook` after the transaction commits, in registration order; never after a rollback.
   * Every hook runs even if an earlier one throws; the first error then reaches the caller of
   * `transaction()` (the writes are committed by then).
   */
  afterCommit(hook: AfterCommit): void;
}

/** The stores of one transaction, and the hooks it owes the world once it commits. */
export interface TransactionStores extends StoreSet, StepTransaction {
  /** Runs steps in this transaction (each statement awaited): one generator serves both kinds of caller. */
  run<T>(steps: Steps<T>): Promise<T>;
}

/**
 * The storage seam: typed stores bound to the database (`stores.verifications.find(…)`), and a
 * unit of work (`stores.transaction(async (tx) => …)`) handing out the same stores bound to one
 * transaction. Domain code takes this (or a `Pick` of it), never Kysely or `Db`.
 */
export interface Stores extends StoreSet {
  /** `sqlite` or `postgres`, for reports (`/readyz`, the CLI); never branch on it outside src/store/. */
  readonly dialect: DialectName;
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back (writes discarded, hooks
   * dropped) if it throws. Nested use is refused: on SQLite the one connection is held by the outer
   * transaction, so an inner one would wait forever; pass the outer `tx` down instead.
   */
  transaction<T>(work: (tx: TransactionStores) => Promise<T>): Promise<T>;
  /**
   * Runs the steps `work` yields as one transaction, committed if it returns, rolled back if it
   * throws. SQLite: synchronously, in one better-sqlite3 `BEGIN IMMEDIATE … COMMIT` under the
   * connection's lock (no promise per statement, nothing interleaves); PostgreSQL: an ordinary
   * transaction, one round trip per statement. The hot paths (a check, a create) use this. Nested
   * use is refused as for `transaction()`.
   */
  transactionSteps<T>(work: (tx: StepTransaction) => Steps<T>): Promise<T>;
  /** A trivial round trip (readiness probes). */
  ping(): Promise<void>;
}

/** Thrown when `transaction()` is called inside a transaction of the same stores. */
export class NestedTransactionError extends Error {
  constructor() {
    super('stores.transaction() called inside a transaction of the same stores: pass the outer transaction`s stores down instead');
    this.name = 'NestedTransactionError';
  }
}

/**
 * One class per binding with a lazy, cached getter per store: a transaction builds only the stores
 * it touches (each is a thin object over the handle).
 */
class BoundStores {
  constructor(readonly db: Kysely<Database>) {}
}
for (const [name, make] of Object.entries(STORE_TABLE)) {
  Object.defineProperty(BoundStores.prototype, name, {
    get(this: BoundStores) {
      const store = make(this.db);
      Object.defineProperty(this, name, { value: store });
      return store;
    },
  });
}

function bind(db: Kysely<Database>): StoreSet {
  return new BoundStores(db) as unknown as StoreSet;
}

class Transaction extends BoundStores {
  readonly hooks: AfterCommit[] = [];
  readonly steps = STEP_STORES;
  afterCommit(hook: AfterCommit): void {
    this.hooks.push(hook);
  }
  run<T>(steps: Steps<T>): Promise<T> {
    return runSteps(steps, this.db);
  }
}

async function runHooks(hooks: readonly AfterCommit[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const hook of hooks) {
    try {
      await hook();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

/** The application's stores over `db`: built once (create-context.ts) and shared. */
export function createStores(db: Pick<Db, 'kysely' | 'dialect' | 'sync'>): Stores {
  // Nesting guards. Async transactions are marked in an AsyncLocalStorage, which is disabled
  // whenever none is open: while enabled it runs a hook on every promise of the process (~4.5 %
  // of a check), and the hot paths run as steps, which need no such mark: they cannot await.
  const inTransaction = new AsyncLocalStorage<true>();
  let openTransactions = 0;
  let inSteps = false;
  const nested = (): boolean => inSteps || (openTransactions > 0 && inTransaction.getStore() === true);
  const stores = bind(db.kysely) as Stores;
  const transaction = async <T>(work: (tx: TransactionStores) => Promise<T>): Promise<T> => {
    if (nested()) throw new NestedTransactionError();
    let tx: Transaction | undefined;
    openTransactions++;
    let result: T;
    try {
      result = await inTransaction.run(true, () =>
        db.kysely.transaction().execute((trx) => {
          tx = new Transaction(trx);
          return work(tx as unknown as TransactionStores);
        }),
      );
    } finally {
      if (--openTransactions === 0) inTransaction.disable();
    }
    if (tx && tx.hooks.length > 0) await runHooks(tx.hooks);
    return result;
  };
  const { sync } = db;
  const transactionSteps = async <T>(work: (tx: StepTransaction) => Steps<T>): Promise<T> => {
    if (!sync) return transaction((tx) => tx.run(work(tx)));
    if (nested()) throw new NestedTransactionError();
    const hooks: AfterCommit[] = [];
    const tx: StepTransaction = { steps: STEP_STORES, afterCommit: (hook) => void hooks.push(hook) };
    const outcome = sync.transaction((connection) => {
      inSteps = true;
      try {
        return runStepsSync(work(tx), db.kysely, connection);
      } finally {
        inSteps = false;
      }
    });
    const result = outcome instanceof Promise ? await outcome : outcome;
    if (hooks.length > 0) await runHooks(hooks);
    return result;
  };
  Object.defineProperties(stores, {
    dialect: { value: db.dialect },
    transaction: { value: transaction },
    transactionSteps: { value: transactionSteps },
    ping: { value: async () => void (await sql`select 1`.execute(db.kysely)) },
  });
  return stores;
}
