import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type twilio from 'twilio';
import { createAccount, openAuthToken } from '../../src/accounts/account-credentials.ts';
import { createKeyring } from '../../src/crypto/keyring.ts';
import { resealSecrets } from '../../src/crypto/reseal-secrets.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SK = /^SK[0-9a-f]{32}$/;
/** Thu, 30 Jul 2015 20:00:00 +0000 */
const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

const loadTwilio = () => createRequire(import.meta.url)('twilio') as typeof twilio;

/** The official client authenticated as `username:password`, its requests sent to this Verity (as start-verity.ts does). */
function clientFor(v: TestVerity, username: string, password: string, accountSid: string): ReturnType<typeof twilio> {
  const load = loadTwilio();
  class LocalRequestClient extends load.RequestClient {
    override request(opts: any): Promise<any> {
      return super.request({ ...opts, uri: String(opts.uri).replace(/^https:\/\/[^/]+/, v.url) });
    }
  }
  return load(username, password, { accountSid, httpClient: new LocalRequestClient() });
}

const basicAuth = (user: string, password: string) => ({ user, password });

/** Runs `verity <args>` against the test server's database (the same master key). */
function verity(v: TestVerity, masterKey: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, value] of Object.entries(process.env)) if (!k.startsWith('VERITY_') && k !== 'NODE_ENV' && !k.startsWith('NODE_TEST')) env[k] = value;
  Object.assign(env, { NODE_ENV: 'test', VERITY_DATA_DIR: v.ctx.config.dataDir, VERITY_DATABASE_URL: v.ctx.config.databaseUrl, VERITY_MASTER_KEY: masterKey, VERITY_LOG_LEVEL: 'warn' });
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/verity.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`verity ${args.join(' ')} did not exit within 60 s\n${stderr}`));
    }, 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

for (const database of DATABASES) {
  describe(`API keys (SK…): the 2010-04-01 Keys resource and Basic SK:secret (${database.name})`, () => {
    const masterKey = randomBytes(32).toString('hex');
    let v: TestVerity;
    let key: { sid: string; secret: string };
    let keyClient: ReturnType<typeof twilio>;
    const keys = () => v.client.api.v2010.accounts(v.accountSid).keys;

    before(async () => {
      v = await startVerity({ env: { VERITY_MASTER_KEY: masterKey }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    });
    after(async () => v.close());

    it('creates a key with the twilio client; the secret is in the create answer only', async () => {
      const created = await v.client.api.v2010.accounts(v.accountSid).newKeys.create({ friendlyName: 'ci deploys' });
      assert.match(created.sid, SK);
      assert.equal(created.friendlyName, 'ci deploys');
      assert.match(created.secret, /^[A-Za-z0-9]{32}$/);
      assert.ok(created.dateCreated instanceof Date && !Number.isNaN(created.dateCreated.getTime()), 'date_created parses as RFC 2822');
      assert.ok(Math.abs(created.dateCreated.getTime() - Date.now()) < 60_000, 'date_created is now');
      key = { sid: created.sid, secret: created.secret };

      const raw = await v.api('GET', `/2010-04-01/Accounts/${v.accountSid}/Keys/${key.sid}.json`);
      assert.equal(raw.status, 200);
      assert.deepEqual(Object.keys(raw.body).sort(), ['date_created', 'date_updated', 'friendly_name', 'sid']);
      assert.match(raw.body.date_created, RFC_2822);
      const listed = await v.api('GET', `/2010-04-01/Accounts/${v.accountSid}/Keys.json`);
      assert.equal(listed.status, 200);
      assert.ok(!JSON.stringify(listed.body).includes(key.secret), 'the list never shows a secret');
      // The database holds a keyed digest, never the secret.
      const row = await v.ctx.stores.apiKeys.find(v.accountSid, key.sid);
      assert.ok(row && !row.secret_digest.includes(key.secret), 'stored as a digest');
    });

    it('authenticates twilio(SK, secret, { accountSid }) as the account: a verification and its check', async () => {
      keyClient = clientFor(v, key.sid, key.secret, v.accountSid);
      const service = await keyClient.verify.v2.services.create({ friendlyName: 'Keyed' });
      assert.equal(service.accountSid, v.accountSid);
      const to = '+14155550188';
      const verification = await keyClient.verify.v2.services(service.sid).verifications.create({ to, channel: 'sms' });
      assert.equal(verification.status, 'pending');
      const check = await keyClient.verify.v2.services(service.sid).verificationChecks.create({ to, code: await v.lastCode(to) });
      assert.equal(check.status, 'approved');
      // The same service through the auth token: one account.
      assert.equal((await v.client.verify.v2.services(service.sid).fetch()).sid, service.sid);
    });

    it('fetches, renames and pages keys through the client', async () => {
      const fetched = await keys()(key.sid).fetch();
      assert.equal(fetched.friendlyName, 'ci deploys');
      const renamed = await keys()(key.sid).update({ friendlyName: 'ci (renamed)' });
      assert.equal(renamed.friendlyName, 'ci (renamed)');
      assert.ok(renamed.dateUpdated.getTime() >= renamed.dateCreated.getTime(), 'date_updated moves forward');
      const more = [];
      for (let i = 0; i < 3; i++) more.push((await v.client.api.v2010.accounts(v.accountSid).newKeys.create({ friendlyName: `extra ${i}` })).sid);
      // Pages of 2 are followed through next_page_uri by the client.
      const all = await keys().list({ pageSize: 2 });
      assert.deepEqual(all.map((k) => k.sid), [key.sid, ...more]);
      assert.equal((await keys().page({ pageSize: 2 })).instances.length, 2);
      for (const sid of more) await keys()(sid).remove();
    });

    it('refuses key management with an API key (only the auth token manages keys, as Twilio)', async () => {
      for (const call of [
        () => keyClient.api.v2010.accounts(v.accountSid).keys.list(),
        () => keyClient.api.v2010.accounts(v.accountSid).newKeys.create({ friendlyName: 'escalate' }),
        () => keyClient.api.v2010.accounts(v.accountSid).keys(key.sid).remove(),
      ]) {
        await assert.rejects(call(), (error: any) => error.status === 401 && error.code === 20003);
      }
      assert.equal((await keys()(key.sid).fetch()).sid, key.sid, 'the key is still there');
    });

    it('refuses a path naming another account, with the token or a key', async () => {
      const { account: other } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      for (const auth of [undefined, basicAuth(key.sid, key.secret)]) {
        const res = await v.api('GET', `/2010-04-01/Accounts/${other.sid}/Keys.json`, undefined, auth);
        assert.equal(res.status, 401);
        assert.equal(res.body.code, 20003);
        const create = await v.api('POST', `/2010-04-01/Accounts/${other.sid}/Keys.json`, { FriendlyName: 'x' }, auth);
        assert.equal(create.status, 401);
      }
      assert.equal((await v.ctx.stores.apiKeys.list(other.sid, { limit: 10, offset: 0 })).length, 0, 'nothing created in the other account');
    });

    it('answers wrong secrets, unknown keys and other /2010-04-01 paths as the hosted API', async () => {
      assert.equal((await v.api('GET', '/v2/Services', undefined, basicAuth(key.sid, key.secret.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))))).status, 401);
      assert.equal((await v.api('GET', '/v2/Services', undefined, basicAuth('SK' + '0'.repeat(32), key.secret))).body.code, 20003);
      assert.equal((await v.api('GET', `/2010-04-01/Accounts/${v.accountSid}/Keys/SK${'0'.repeat(32)}.json`)).body.code, 20404);
      assert.equal((await v.api('GET', `/2010-04-01/Accounts/${v.accountSid}/Keys/nonsense.json`)).status, 404);
      assert.equal((await v.api('GET', `/2010-04-01/Accounts/${v.accountSid}/Messages.json`)).status, 404);
      assert.equal((await v.api('GET', `/2010-04-01/Accounts/${v.accountSid}.json`)).status, 404);
      const long = await v.api('POST', `/2010-04-01/Accounts/${v.accountSid}/Keys.json`, { FriendlyName: 'x'.repeat(65) });
      assert.equal(long.status, 400);
      assert.equal(long.body.code, 60200);
    });

    it('revokes a key: the very next request with it fails 401/20003', async () => {
      assert.equal((await keyClient.verify.v2.services.list()).length > 0, true);
      await keys()(key.sid).remove();
      await assert.rejects(keyClient.verify.v2.services.list(), (error: any) => error.status === 401 && error.code === 20003);
      await assert.rejects(keys()(key.sid).fetch(), (error: any) => error.status === 404 && error.code === 20404);
    });

    it('verity keys create | list | revoke', { timeout: 120_000 }, async () => {
      const created = await verity(v, masterKey, ['keys', 'create', '--account', v.accountSid, '--name', 'from the cli']);
      assert.equal(created.code, 0, created.stderr);
      const made = JSON.parse(created.stdout) as { sid: string; secret: string; friendly_name: string };
      assert.match(made.sid, SK);
      assert.equal(made.friendly_name, 'from the cli');
      const cliClient = clientFor(v, made.sid, made.secret, v.accountSid);
      assert.ok(Array.isArray(await cliClient.verify.v2.services.list()), 'the CLI key authenticates');

      const listed = await verity(v, masterKey, ['keys', 'list', '--account', v.accountSid]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.ok(listed.stdout.includes(made.sid) && !listed.stdout.includes(made.secret), 'listed without its secret');

      const revoked = await verity(v, masterKey, ['keys', 'revoke', '--account', v.accountSid, '--sid', made.sid]);
      assert.equal(revoked.code, 0, revoked.stderr);
      await assert.rejects(cliClient.verify.v2.services.list(), (error: any) => error.status === 401);
      assert.equal((await verity(v, masterKey, ['keys', 'revoke', '--account', v.accountSid, '--sid', made.sid])).code, 1, 'revoking twice reports it');
      assert.equal((await verity(v, masterKey, ['keys', 'create'])).code, 2, 'create needs --account');
    });

    it('keeps the auth token sealed, and `verity keys rotate` re-seals it under a new master key', async () => {
      const row = await v.ctx.stores.accounts.find(v.accountSid);
      assert.ok(row?.auth_token_sealed, 'sealed at creation');
      assert.ok(!row.auth_token_sealed.includes(v.authToken), 'not in clear');
      assert.equal(openAuthToken(v.ctx.keyring, row), v.authToken);
      const newKey = randomBytes(32);
      const reports = await resealSecrets(v.ctx.stores, createKeyring(newKey, [Buffer.from(masterKey, 'hex')]));
      assert.ok((reports.find((r) => r.table === 'accounts')?.resealed ?? 0) >= 1, 'accounts are re-sealed');
      const resealed = await v.ctx.stores.accounts.find(v.accountSid);
      assert.ok(resealed, 'the account is still there');
      assert.equal(openAuthToken(createKeyring(newKey), resealed), v.authToken, 'the new key alone opens it');
      // Bound to its row: another account's context does not open it.
      assert.throws(() => openAuthToken(createKeyring(newKey), { ...resealed, sid: `AC${'0'.repeat(32)}` }));
    });
  });
}

describe('API keys share the failed-authentication limit', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ env: { VERITY_RATE_AUTH_FAILURES_BURST: '3', VERITY_RATE_AUTH_FAILURES_PER_MINUTE: '0.01' } });
  });
  after(async () => v.close());

  it('counts wrong key secrets like wrong tokens, then refuses the client IP with 20429', async () => {
    const created = await v.api('POST', `/2010-04-01/Accounts/${v.accountSid}/Keys.json`, { FriendlyName: 'limited' });
    assert.equal(created.status, 201);
    const wrong = basicAuth(created.body.sid as string, 'x'.repeat(32));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await v.api('GET', '/v2/Services', undefined, wrong)).status);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
  });
});
