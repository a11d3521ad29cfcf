import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** `verity authy-key create|rotate|revoke VA…` on the database of a running Verity (same data directory, so the same master key). */
describe('verity authy-key', () => {
  let v: TestVerity;
  let serviceSid: string;
  const saved = { ...process.env };

  /** Runs the command with the server's configuration; its stdout lines and exit code. */
  async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (line: string) => void out.push(line);
    console.error = (line: string) => void err.push(line);
    Object.assign(process.env, { NODE_ENV: 'test', VERITY_DATA_DIR: v.ctx.config.dataDir, VERITY_DATABASE_URL: v.ctx.config.databaseUrl, VERITY_LOG_LEVEL: 'error' });
    try {
      return { code: await main(['authy-key', ...args]), out, err };
    } finally {
      console.log = log;
      console.error = error;
      process.env = { ...saved };
    }
  }
  const status = (key: string) => fetch(`${v.url}/authy/protected/json/app/details?api_key=${encodeURIComponent(key)}`).then((r) => r.status);

  before(async () => {
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
  });
  after(async () => v.close());

  it('creates a key once, rotates it, revokes it', async () => {
    assert.equal((await cli('rotate', serviceSid)).code, 1, 'nothing to rotate yet');
    const created = await cli('create', serviceSid);
    assert.equal(created.code, 0, created.err.join('\n'));
    const first = JSON.parse(created.out[0] ?? '{}') as { api_key: string; service_sid: string };
    assert.equal(first.service_sid, serviceSid);
    assert.equal(await status(first.api_key), 200);
    assert.equal((await cli('create', serviceSid)).code, 1, 'create refuses a service that has a key');
    const rotated = JSON.parse((await cli('rotate', serviceSid)).out[0] ?? '{}') as { api_key: string };
    assert.notEqual(rotated.api_key, first.api_key);
    assert.equal(await status(first.api_key), 401);
    assert.equal(await status(rotated.api_key), 200);
    assert.equal((await cli('revoke', serviceSid)).code, 0);
    assert.equal(await status(rotated.api_key), 401);
  });

  it('refuses an unknown service or a malformed command', async () => {
    assert.equal((await cli('create', 'VA00000000000000000000000000000000')).code, 1);
    assert.equal((await cli('create', 'nope')).code, 2);
    assert.equal((await cli('frobnicate', serviceSid)).code, 2);
  });
});
