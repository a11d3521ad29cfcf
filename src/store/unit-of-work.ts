import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import type { Db, DialectName } from './database.ts';
import type { Database } from './schema.ts';
import { STORE_TABLE, type StoreSet } from './store-set.ts';

/** Work that runs once a transaction has committed (bus announcements, hang-ups, metrics). */
type AfterCommit = () => void | Promise<void>;

/** The stores of one transaction, and the hooks it owes the world once it commits. */
export interface TransactionStores extends StoreSet {
  /**
   * Runs `hook` after the transaction commits, in registration order; never after a rollback.
   * Every hook runs even if an earlier one throws; the first error then reaches the caller of
   * `transaction()` (the writes are committed by then).
   */
  afterCommit(hook: AfterCommit): void;
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
  afterCommit(hook: AfterCommit): void {
    this.hooks.push(hook);
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
export function createStores(db: Pick<Db, 'kysely' | 'dialect'>): Stores {
  const inTransaction = new AsyncLocalStorage<true>();
  const stores = bind(db.kysely) as Stores;
  Object.defineProperties(stores, {
    dialect: { value: db.dialect },
    transaction: {
      value: async <T>(work: (tx: TransactionStores) => Promise<T>): Promise<T> => {
        if (inTransaction.getStore() === true) throw new NestedTransactionError();
        let tx: Transaction | undefined;
        const result = await inTransaction.run(true, () =>
          db.kysely.transaction().execute((trx) => {
            tx = new Transaction(trx);
            return work(tx as unknown as TransactionStores);
          }),
        );
        if (tx && tx.hooks.length > 0) await runHooks(tx.hooks);
        return result;
      },
    },
    ping: { value: async () => void (await sql`select 1`.execute(db.kysely)) },
  });
  return stores;
}
