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
  constructor(private readonly db: BetterSqlite3.Database, private readonly maxStatements = 500) {}
  createDriver(): Driver {
    return new CachingSqliteDriver(this.db, this.maxStatements);
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

class CachingSqliteDriver implements Driver {
  private readonly connection: CachingSqliteConnection;
  private locked = false;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly db: BetterSqlite3.Database, maxStatements: number) {
    this.connection = new CachingSqliteConnection(db, maxStatements);
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
    const next = this.waiters.shift();
    if (next) next(); // hand the lock straight to the next waiter
    else this.locked = false;
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

class CachingSqliteConnection implements DatabaseConnection {
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
