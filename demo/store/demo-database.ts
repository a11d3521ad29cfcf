import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type DemoDatabase = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,              -- opaque; also the user's entity identity at Verity
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,      -- argon2id PHC string
  phone TEXT NOT NULL,              -- E.164, verified by a call at sign-up
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,         -- SHA-256 of the cookie's random id
  data TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
  token_hash TEXT PRIMARY KEY,      -- SHA-256 of the remember-device cookie's token
  id TEXT NOT NULL UNIQUE,          -- shown on the account page, used to revoke
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS used_results (
  jti TEXT PRIMARY KEY,             -- hand-off results already used, until they expire
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS transfers (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  amount_cents INTEGER NOT NULL,
  currency TEXT NOT NULL,
  payee TEXT NOT NULL,
  status TEXT NOT NULL,             -- pending, executed, denied, expired, refused
  challenge_sid TEXT,
  factor_sid TEXT,
  number_match TEXT,
  sent_details TEXT,                -- the exact details and hidden details sent to Verity (JSON)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/** Opens (and creates) the demo's own SQLite file; it shares nothing with Verity's database. */
export function openDemoDatabase(path: string): DemoDatabase {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Password hashes and phone numbers: owner-only, whatever the umask or the folder's mode.
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  if (path !== ':memory:') for (const file of [`${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  return db;
}
