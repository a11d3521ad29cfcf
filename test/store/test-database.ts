import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newSid } from '../../src/crypto/random.ts';
import { AccountsStore } from '../../src/store/accounts-store.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/store/database.ts';
import { ServicesStore } from '../../src/store/services-store.ts';
import type { AccountRow, ServiceRow, VerificationRow } from '../../src/store/schema.ts';

/**
 * Test support for the store contract: a fresh, empty database of either dialect. SQLite is a
 * file in a temp folder; PostgreSQL is a new schema (selected with `search_path`) in the database
 * named by VERITY_TEST_POSTGRES_URL, dropped on close.
 */

export interface DatabaseKind {
  name: 'sqlite' | 'postgres';
  postgresUrl?: string;
}

export const DATABASE_KINDS: DatabaseKind[] = [
  { name: 'sqlite' },
  ...(process.env.VERITY_TEST_POSTGRES_URL ? [{ name: 'postgres' as const, postgresUrl: process.env.VERITY_TEST_POSTGRES_URL }] : []),
];

export interface TestDatabase {
  kind: DatabaseKind;
  /** The URL `openDatabase` accepts for this database. */
  url: string;
  /** The main handle (a pool of several connections on PostgreSQL). */
  db: Db;
  /** Opens another handle on the same database: another process, in effect. Closed by close(). */
  reopen(options?: { poolSize?: number }): Db;
  close(): Promise<void>;
}

export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean; poolSize?: number } = {}): Promise<TestDatabase> {
  let url: string;
  let dispose: () => Promise<void>;
  if (kind.postgresUrl) {
    const adminUrl = kind.postgresUrl;
    const schema = `store_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await withClient(adminUrl, (c) => c.query(`CREATE SCHEMA ${schema}`));
    const u = new URL(adminUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
    dispose = () => withClient(adminUrl, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'verity-store-'));
    url = `sqlite:${join(dir, 'verity.db')}`;
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  }
  const handles: Db[] = [];
  const open = (o: { poolSize?: number } = {}): Db => {
    const handle = openDatabase(url, { poolSize: o.poolSize ?? options.poolSize ?? 10 });
    handles.push(handle);
    return handle;
  };
  const db = open();
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    kind,
    url,
    db,
    reopen: open,
    close: async () => {
      for (const h of handles) await h.close().catch(() => undefined);
      await dispose();
    },
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function accountRow(now: number, patch: Partial<AccountRow> = {}): AccountRow {
  return { sid: newSid('AC'), friendly_name: 'test', auth_token_digest: 'digest', auth_token_sealed: null, status: 'active', date_created: now, date_updated: now, ...patch };
}

export function serviceRow(accountSid: string, now: number, patch: Partial<ServiceRow> = {}): ServiceRow {
  return {
    sid: newSid('VA'),
    account_sid: accountSid,
    friendly_name: 'svc',
    code_length: 6,
    code_ttl_seconds: 600,
    custom_code_enabled: false,
    lookup_enabled: false,
    skip_sms_to_landlines: false,
    dtmf_input_required: false,
    psd2_enabled: false,
    do_not_share_warning_enabled: false,
    tts_name: null,
    default_locale: null,
    allowed_countries: null,
    enabled_channels: ['sms', 'call', 'email'],
    web_otp_domain: null,
    extras: {},
    date_created: now,
    date_updated: now,
    ...patch,
  };
}

export function verificationRow(service: Pick<ServiceRow, 'sid' | 'account_sid'>, destination: string, now: number, patch: Partial<VerificationRow> = {}): VerificationRow {
  return {
    sid: newSid('VE'),
    account_sid: service.account_sid,
    service_sid: service.sid,
    destination,
    channel: 'sms',
    status: 'pending',
    code_seed: 'seed',
    code_digest: null,
    code_length: 6,
    locale: null,
    custom_friendly_name: null,
    amount: null,
    payee: null,
    check_attempts: 0,
    send_attempts: [],
    expires_at: now + 600_000,
    failure_code: null,
    voice_flow: null,
    progress_seq: 0,
    requester: '',
    date_created: now,
    date_updated: now,
    ...patch,
  };
}

/** Inserts an account and one service into `db`: the parent rows most store tests need. */
export async function insertAccountAndService(db: Db, now: number): Promise<ServiceRow> {
  const account = accountRow(now);
  await new AccountsStore(db.kysely).insert(account);
  const service = serviceRow(account.sid, now);
  await new ServicesStore(db.kysely).insert(service);
  return service;
}

/** The fixture most store tests share: a migrated database, a second handle on it, an account and a service. */
export interface ServedDatabase {
  t: TestDatabase;
  /** A second handle on the same database: another Verity process. */
  other: Db;
  service: ServiceRow;
}

/** Opens a migrated database of `kind` with a second handle and an account with a service; close it with `t.close()`. */
export async function openServedDatabase(kind: DatabaseKind, now: number): Promise<ServedDatabase> {
  const t = await openTestDatabase(kind);
  return { t, other: t.reopen(), service: await insertAccountAndService(t.db, now) };
}
