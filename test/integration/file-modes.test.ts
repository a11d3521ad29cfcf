import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureDevAccount } from '../../src/cli/dev-account.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

/**
 * The database, its WAL files, the development master key and account, and the data folder are the
 * owner's alone, whatever the umask (0 here: everything the process creates would be 0666/0777).
 */
describe('files Verity writes are owner-only', () => {
  let root: string;
  let previousUmask: number;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'verity-modes-'));
    previousUmask = process.umask(0);
  });
  after(() => {
    process.umask(previousUmask);
    rmSync(root, { recursive: true, force: true });
  });

  async function start(dataDir: string): Promise<TestVerity> {
    const v = await startVerity({ env: { VERITY_DATA_DIR: dataDir, VERITY_DATABASE_URL: `sqlite:${join(dataDir, 'verity.db')}` } });
    // A write, so the WAL has content.
    assert.equal((await v.api('POST', '/v2/Services', { FriendlyName: 'Modes' })).status, 201);
    return v;
  }

  it('creates the data folder 0700 and the database, -wal, -shm, master key and dev account 0600', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const v = await start(dataDir);
    try {
      await ensureDevAccount(v.ctx);
      assert.equal(mode(dataDir), '0700', 'data folder');
      for (const file of ['verity.db', 'verity.db-wal', 'verity.db-shm', 'master.key', 'dev-account.json']) {
        const path = join(dataDir, file);
        assert.ok(existsSync(path), `${file} exists`);
        assert.equal(mode(path), '0600', file);
      }
    } finally {
      await v.close();
    }
  });

  it('tightens a database, master key and dev account left 0644 by an older version', async () => {
    const dataDir = join(root, 'upgraded');
    const first = await start(dataDir);
    await first.close();
    for (const file of ['verity.db', 'master.key']) chmodSync(join(dataDir, file), 0o644);
    // Credentials that no longer authenticate: the account is created again and the file rewritten.
    writeFileSync(join(dataDir, 'dev-account.json'), JSON.stringify({ account_sid: `AC${'0'.repeat(32)}`, auth_token: 'x'.repeat(32) }), { mode: 0o644 });
    chmodSync(join(dataDir, 'dev-account.json'), 0o644);
    const v = await start(dataDir);
    try {
      await ensureDevAccount(v.ctx);
      for (const file of ['verity.db', 'verity.db-wal', 'verity.db-shm', 'master.key', 'dev-account.json']) assert.equal(mode(join(dataDir, file)), '0600', file);
    } finally {
      await v.close();
    }
  });

  it('leaves the mode of a folder the operator created alone', async () => {
    const dataDir = join(root, 'operator');
    mkdirSync(dataDir, { mode: 0o750 });
    chmodSync(dataDir, 0o750);
    const v = await start(dataDir);
    try {
      assert.equal(mode(dataDir), '0750');
      assert.equal(mode(join(dataDir, 'verity.db')), '0600');
    } finally {
      await v.close();
    }
  });
});
