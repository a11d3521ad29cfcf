import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import type pg from 'pg';
import { initial } from './migrations/0001-initial.ts';
import { factors } from './migrations/0002-factors.ts';
import { recoveryCodes } from './migrations/0003-recovery-codes.ts';
import { push } from './migrations/0004-push.ts';
import { voice } from './migrations/0005-voice.ts';
import { voiceprints } from './migrations/0006-voiceprints.ts';
import { handoff } from './migrations/0007-handoff.ts';
import { passkeys } from './migrations/0008-passkeys.ts';
import { abandonedFactors } from './migrations/0009-abandoned-factors.ts';
import { adminSessions } from './migrations/0010-admin-sessions.ts';
import { handoffSessions } from './migrations/0011-handoff-sessions.ts';
import { verificationRequester } from './migrations/0012-verification-requester.ts';
import { deliveryAttempts } from './migrations/0013-delivery-attempts.ts';
import { simMessageStatus } from './migrations/0014-sim-message-status.ts';
import { messagingConfigurations } from './migrations/0015-messaging-configurations.ts';
import { rateLimitDefinitions } from './migrations/0016-rate-limits.ts';
import { verificationAttempts } from './migrations/0017-verification-attempts.ts';
import { templates } from './migrations/0018-templates.ts';
import { apiKeys } from './migrations/0019-api-keys.ts';
import { authy } from './migrations/0020-authy.ts';
import { pushPlatforms } from './migrations/0021-push-platforms.ts';
import { passkeysService } from './migrations/0022-passkeys-service.ts';
import { webhookQueues } from './migrations/0023-webhook-queues.ts';
import { clusterEvents } from './migrations/0024-cluster-events.ts';
import { databaseClock } from './migrations/0025-database-clock.ts';
import { planIndexes } from './migrations/0026-plan-indexes.ts';
import { retention } from './migrations/0027-retention.ts';
import { handoffBranding } from './migrations/0028-handoff-branding.ts';
import { pushEnrollmentCodes } from './migrations/0029-push-enrollment-codes.ts';
import { adminAuditLog } from './migrations/0030-admin-audit-log.ts';
import { factorLastUsed } from './migrations/0031-factor-last-used.ts';
import { sendRefusals } from './migrations/0032-send-refusals.ts';
import { factorCallEvents } from './migrations/0033-factor-call-events.ts';
import { CachingSqliteDialect, type SyncSqlite } from './sqlite-dialect.ts';
import { ensurePrivateDirectory, ensurePrivateFile, tightenIfPresent } from './private-files.ts';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** SQLite only: synchronous transactions on the same connection and lock (for src/store/unit-of-work.ts). */
  sync?: SyncSqlite;
  close(): Promise<void>;
}

/** pg (~30 modules) is loaded only when the URL names PostgreSQL: SQLite deployments and most tests never need it. */
const loadPg = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

/** Opens the database named by a `sqlite:PATH` or `postgres://` URL. */
export function openDatabase(url: string, options: { poolSize?: number } = {}): Db {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // int8 columns hold millisecond timestamps, well inside Number's exact range.
    const postgres = loadPg();
    postgres.types.setTypeParser(20, (v) => Number(v));
    const pool = new postgres.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
  }
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  const onDisk = path !== ':memory:' && path !== '';
  // Owner-only from the first byte, whatever the umask: the folder if Verity creates it, the
  // database, and the -wal/-shm files (SQLite creates them with the database file's mode).
  if (onDisk) {
    ensurePrivateDirectory(dirname(path));
    ensurePrivateFile(path);
  }
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  if (onDisk) for (const suffix of ['-wal', '-shm', '-journal']) tightenIfPresent(`${path}${suffix}`);
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // 64 MiB of page cache per connection (SQLite's default is 2 MiB): with a million stored verifications
  // the indexes a check and a create touch no longer fit in 2 MiB, and checks ran at half their speed.
  sqlite.pragma('cache_size = -65536');
  const dialect = new CachingSqliteDialect(sqlite);
  const kysely = new Kysely<Database>({ dialect });
  return { kysely, dialect: 'sqlite', sync: dialect.sync, close: () => kysely.destroy() };
}

class StaticMigrations implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return { '0001-initial': initial(this.dialect), '0002-factors': factors(this.dialect), '0003-recovery-codes': recoveryCodes(this.dialect), '0004-push': push(this.dialect), '0005-voice': voice(this.dialect), '0006-voiceprints': voiceprints(this.dialect), '0007-handoff': handoff(this.dialect), '0008-passkeys': passkeys(this.dialect), '0009-abandoned-factors': abandonedFactors(), '0010-admin-sessions': adminSessions(this.dialect), '0011-handoff-sessions': handoffSessions(this.dialect), '0012-verification-requester': verificationRequester(), '0013-delivery-attempts': deliveryAttempts(this.dialect), '0014-sim-message-status': simMessageStatus(this.dialect), '0015-messaging-configurations': messagingConfigurations(this.dialect), '0016-rate-limits': rateLimitDefinitions(this.dialect), '0017-verification-attempts': verificationAttempts(this.dialect), '0018-templates': templates(this.dialect), '0019-api-keys': apiKeys(this.dialect), '0020-authy': authy(this.dialect), '0021-push-platforms': pushPlatforms(this.dialect), '0022-passkeys-service': passkeysService(this.dialect), '0023-webhook-queues': webhookQueues(this.dialect), '0024-cluster-events': clusterEvents(this.dialect), '0025-database-clock': databaseClock(this.dialect), '0026-plan-indexes': planIndexes(this.dialect), '0027-retention': retention(this.dialect), '0028-handoff-branding': handoffBranding(this.dialect), '0029-push-enrollment-codes': pushEnrollmentCodes(this.dialect), '0030-admin-audit-log': adminAuditLog(this.dialect), '0031-factor-last-used': factorLastUsed(this.dialect), '0032-send-refusals': sendRefusals(this.dialect), '0033-factor-call-events': factorCallEvents(this.dialect) };
  }
}

/**
 * Applies every pending migration; safe to run from several processes at once. PostgreSQL: Kysely
 * locks a table in the current schema (so several Verity schemas can share one database). SQLite:
 * Kysely takes no lock there, so the whole run happens inside BEGIN IMMEDIATE, which holds the
 * database's write lock and also makes a failed migration roll back completely.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(db);
    } catch (error) {
      if (attempt >= 3 || !isCatalogRace(db, error)) throw error;
    }
  }
}

/**
 * Kysely's migrator asks whether its tables exist by listing the tables of every schema with their
 * columns (`introspection.getTables()`), and on PostgreSQL that catalog query fails ("column … of
 * relation … does not exist", "relation … does not exist", "schema … does not exist") when another
 * schema of the same database is dropped meanwhile: several Verity deployments, or test runs, sharing one database. Nothing
 * was migrated when it fails (the migrations run later, under Kysely's lock), so it is tried again.
 */
function isCatalogRace(db: Db, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return db.dialect === 'postgres' && (code === '42703' || code === '42P01' || code === '3F000');
}

async function migrateOnce(db: Db): Promise<string[]> {
  let migrationTableSchema: string | undefined;
  if (db.dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({ db: db.kysely, provider: new StaticMigrations(db.dialect), ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  if (db.dialect === 'sqlite') await sql`BEGIN IMMEDIATE`.execute(db.kysely);
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = await migrator.migrateToLatest();
  } catch (error) {
    if (db.dialect === 'sqlite') await sql`ROLLBACK`.execute(db.kysely);
    throw error;
  }
  const { error, results } = outcome;
  if (db.dialect === 'sqlite') await sql.raw(error ? 'ROLLBACK' : 'COMMIT').execute(db.kysely);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
