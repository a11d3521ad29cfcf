import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AuthenticatorError } from '../../src/authenticator/authenticator-error.ts';
import { KeyStore, defaultStorePath } from '../../src/authenticator/key-store.ts';
import type { OtpFactorEntry } from '../../src/authenticator/stored-factor.ts';

const root = mkdtempSync(join(tmpdir(), 'verity-key-store-'));
let n = 0;
/** A store path in a directory that does not exist yet. */
const freshPath = () => join(root, `case-${++n}`, 'nested', 'keys.json');

const entry = (i: number): OtpFactorEntry => ({
  type: 'totp',
  id: `otp-${i.toString(16).padStart(8, '0')}`,
  name: `account ${i}`,
  issuer: 'Acme',
  secret: 'JBSWY3DPEHPK3PXP',
  algorithm: 'sha1',
  digits: 6,
  period: 30,
  createdAt: new Date(0).toISOString(),
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('key store', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads a missing file as an empty store, without creating anything', async () => {
    const path = freshPath();
    assert.deepEqual(await new KeyStore(path).read(), { version: 1, factors: [] });
    assert.throws(() => statSync(path), { code: 'ENOENT' });
  });

  it('creates the directory 0700 and the file 0600, whatever the umask', async () => {
    const path = freshPath();
    const previous = process.umask(0);
    try {
      await new KeyStore(path).update((content) => void content.factors.push(entry(1)));
    } finally {
      process.umask(previous);
    }
    assert.equal(mode(join(path, '..')), 0o700);
    assert.equal(mode(path), 0o600);
    assert.deepEqual((await new KeyStore(path).read()).factors, [entry(1)]);
  });

  for (const loose of [0o644, 0o640, 0o604, 0o660, 0o602]) {
    it(`refuses a store file with mode 0${loose.toString(8)} (readable or writable by others), like ssh`, async () => {
      const path = freshPath();
      const store = new KeyStore(path);
      await store.update((content) => void content.factors.push(entry(1)));
      chmodSync(path, loose);
      const refusal = (error: unknown) => {
        assert.ok(error instanceof AuthenticatorError, 'expected error instanceof AuthenticatorError');
        assert.match(error.message, new RegExp(`Permissions 0${loose.toString(8)} for .*keys\\.json are too open`));
        assert.match(error.message, /chmod 600/);
        return true;
      };
      await assert.rejects(store.read(), refusal);
      await assert.rejects(store.update(() => undefined), refusal);
      // Refusing must not repair or rewrite the file behind the user's back.
      assert.equal(mode(path), loose);
    });
  }

  it('replaces the file by rename (a new inode), leaving no temporary file behind', async () => {
    const path = freshPath();
    const store = new KeyStore(path);
    await store.update((content) => void content.factors.push(entry(1)));
    const before = statSync(path).ino;
    await store.update((content) => void content.factors.push(entry(2)));
    assert.notEqual(statSync(path).ino, before);
    assert.deepEqual(readdirSync(join(path, '..')), ['keys.json']);
    assert.equal(mode(path), 0o600);
  });

  it('keeps the previous content when an update fails midway', async () => {
    const path = freshPath();
    const store = new KeyStore(path);
    await store.update((content) => void content.factors.push(entry(1)));
    const text = readFileSync(path, 'utf8');
    await assert.rejects(
      store.update((content) => {
        content.factors.push(entry(2));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(readFileSync(path, 'utf8'), text);
    assert.deepEqual(readdirSync(join(path, '..')), ['keys.json']);
  });

  it('serialises concurrent updates with a lock file, so none is lost', async () => {
    const path = freshPath();
    const store = new KeyStore(path);
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.update(async (content) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      content.factors.push(entry(i));
    })));
    assert.equal((await store.read()).factors.length, 12);
    assert.deepEqual(readdirSync(join(path, '..')), ['keys.json']);
  });

  it('takes over a lock left by a process that died', async () => {
    const path = freshPath();
    const store = new KeyStore(path);
    await store.update(() => undefined);
    writeFileSync(`${path}.lock`, '99999');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, longAgo, longAgo);
    await store.update((content) => void content.factors.push(entry(1)));
    assert.equal((await store.read()).factors.length, 1);
  });

  it('reports a damaged or foreign file instead of using it', async () => {
    const path = freshPath();
    await new KeyStore(path).update(() => undefined);
    writeFileSync(path, '{"version":1,"factors":[{"type":"push"', { mode: 0o600 });
    await assert.rejects(new KeyStore(path).read(), /is not valid JSON/);
    writeFileSync(path, JSON.stringify({ version: 1, factors: [{ ...entry(1), digits: 12 }] }), { mode: 0o600 });
    await assert.rejects(new KeyStore(path).read(), /not a valid authenticator store \(factors\.0\.digits/);
    writeFileSync(path, JSON.stringify({ version: 2, factors: [] }), { mode: 0o600 });
    await assert.rejects(new KeyStore(path).read(), /not a valid authenticator store \(version/);
  });

  it('lives in $VERITY_AUTHENTICATOR_HOME, else in the XDG config directory', () => {
    assert.equal(defaultStorePath({ VERITY_AUTHENTICATOR_HOME: '/srv/auth' }), '/srv/auth/keys.json');
    assert.equal(defaultStorePath({ XDG_CONFIG_HOME: '/home/ana/.cfg' }), '/home/ana/.cfg/verity-authenticator/keys.json');
    assert.match(defaultStorePath({}), /\/\.config\/verity-authenticator\/keys\.json$/);
  });
});
