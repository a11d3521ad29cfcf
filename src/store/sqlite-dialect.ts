import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/**
 * Kysely's SQLite dialect with two changes for throughput on the one better-sqlite3 connection:
 * prepared statements are cached by SQL text (Kysely's driver re-prepares every query, which
 * costs as much as running it), and waiters for the connection queue in FIFO order (Kysely's
 * mutex wakes every waiter on each release, so 50 concurrent requests cost O(n²) wake-ups).
 */
export class CachingSqliteDialect implements Dialect {
  private readonly driver: CachingSqliteDriver;
  /** Synchronous transactions on the same connection and lock (src/store/steps.ts). */
  readonly sync: SyncSqlite;
  constructor(db: BetterSqlite3.Database, maxStatements = 500) {
    this.driver = new CachingSqliteDriver(db, maxStatements);
    this.sync = this.driver;
  }
  createDriver(): Driver {
    return this.driver;
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** What one synchronous statement gives back: its rows (SELECT, RETURNING) and the rows it changed. */
export interface SyncResult<R> {
  rows: R[];
  affected: number;
}

/** Runs statements synchronously on the connection (inside `SyncSqlite.transaction` only). */
export interface SyncConnection {
  execute<R>(sql: string, parameters: readonly unknown[]): SyncResult<R>;
}

/**
 * Synchronous transactions on the connection Kysely uses: one `BEGIN IMMEDIATE … COMMIT` with every
 * statement run in between without yielding, so no other request's statement can interleave and no
 * promise is made per statement.
 */
export interface SyncSqlite {
  /**
   * Runs `work` in one transaction: committed if it returns, rolled back if it throws. Taken under
   * the connection's FIFO lock; returns synchronously when the lock is free, else a promise that
   * runs `work` (still synchronously) once the lock comes round.
   */
  transaction<T>(work: (connection: SyncConnection) => T): T | Promise<T>;
}

class CachingSqliteDriver implements Driver, SyncSqlite {
  private readonly connection: CachingSqliteConnection;
  private locked = false;
  private readonly waiters: Array<() => void> = [];
  /** better-sqlite3's transaction wrapper, built once: `.immediate(work)` runs BEGIN IMMEDIATE, work, COMMIT (ROLLBACK on throw). */
  private readonly inTransaction: BetterSqlite3.Transaction<(work: (connection: SyncConnection) => unknown) => unknown>;

  constructor(private readonly db: BetterSqlite3.Database, maxStatements: number) {
    this.connection = new CachingSqliteConnection(db, maxStatements);
    this.inTransaction = db.transaction((work: (connection: SyncConnection) => unknown) => work(this.connection));
  }
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve(this.connection);
    }
    return new Promise((resolve) => this.waiters.push(() => resolve(this.connection)));
  }
  async releaseConnection(): Promise<void> {
    this.release();
  }
  private release(): void {
    const next = this.waiters.shift();
    if (next) next(); // hand the lock straight to the next waiter
    else this.locked = false;
  }
  transaction<T>(work: (connection: SyncConnection) => T): T | Promise<T> {
    if (!this.locked) {
      this.locked = true;
      return this.runLocked(work);
    }
    // The lock is handed over inside the previous holder's release(): run in a microtask of its own,
    // not nested in that call, or a long queue of synchronous transactions would run as one deep
    // recursion and overflow the stack mid-hand-over, leaving the lock taken forever.
    return new Promise<T>((resolve, reject) =>
      this.waiters.push(() =>
        queueMicrotask(() => {
          try {
            resolve(this.runLocked(work));
          } catch (error) {
            reject(error);
          }
        }),
      ),
    );
  }
  /** Runs `work` while this caller holds the lock, and hands the lock on however it ends. */
  private runLocked<T>(work: (connection: SyncConnection) => T): T {
    try {
      return this.inTransaction.immediate(work) as T;
    } finally {
      this.release();
    }
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // IMMEDIATE: take the write lock up front. A deferred transaction that reads and then writes
    // fails with SQLITE_BUSY (no retry) if another process (the CLI, a second server) committed
    // in between; within this process the connection lock serializes transactions anyway.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async destroy(): Promise<void> {
    this.db.close();
  }
}

class CachingSqliteConnection implements DatabaseConnection, SyncConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  constructor(private readonly db: BetterSqlite3.Database, private readonly maxStatements: number) {}

  private prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) return stmt;
    stmt = this.db.prepare(sql);
    // Bounded: queries whose text varies (IN lists, multi-row inserts) must not grow it forever.
    if (this.statements.size >= this.maxStatements) this.statements.delete(this.statements.keys().next().value as string);
    this.statements.set(sql, stmt);
    return stmt;
  }

  execute<R>(sql: string, parameters: readonly unknown[]): SyncResult<R> {
    const stmt = this.prepare(sql);
    if (stmt.reader) {
      const rows = stmt.all(parameters) as R[];
      // A statement with RETURNING is a reader: the rows it returned are the rows it changed.
      return { rows, affected: rows.length };
    }
    return { rows: [], affected: stmt.run(parameters).changes };
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(parameters) as R[] });
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // Not from the cache: a statement stays busy while it is being iterated.
    const stmt = this.db.prepare(compiledQuery.sql);
    for (const row of stmt.iterate(compiledQuery.parameters as unknown[])) yield { rows: [row as R] };
  }
}
