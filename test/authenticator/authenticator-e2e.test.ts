import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { main } from '../../src/authenticator/main.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { nextSubscription } from '../support/wait-for.ts';
import { REPO_ROOT, finished, jsonOf, runCli, spawnCli, type CliResult } from './authenticator-cli.ts';
import { memoryIo } from './memory-io.ts';

/**
 * The real `verity-authenticator` process against a real Verity: enrollment with a token from
 * AccessTokens, push challenges answered (approve with the number, deny, wrong number), the live
 * stream, and TOTP codes Verity accepts.
 */

const home = mkdtempSync(join(tmpdir(), 'verity-authenticator-e2e-'));
// VERITY_AUTHENTICATOR_HOME too, so nothing can touch the real ~/.config even if --store were lost.
const env = { VERITY_AUTHENTICATOR_HOME: join(home, 'default-home') };
let stores = 0;
const newStore = () => join(home, `store-${++stores}`, 'keys.json');

const cli = (store: string, ...args: string[]) => runCli([...args, '--store', store], { env });
const ok = (result: CliResult) => {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
};

after(() => rmSync(home, { recursive: true, force: true }));

describe('verity-authenticator: push factors end to end', () => {
  let v: TestVerity;
  let serviceSid: string;
  let identities = 0;

  before(async () => {
    v = await startVerity();
    const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Acme Bank' });
    assert.equal(service.status, 201);
    serviceSid = service.body.sid;
  });
  after(async () => v.close());

  const enrollmentToken = async (identity: string, friendlyName = "Ana's phone") => {
    const issued = await v.api('POST', `/v2/Services/${serviceSid}/AccessTokens`, { Identity: identity, FactorType: 'push', FactorFriendlyName: friendlyName });
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    return issued.body.token as string;
  };

  /** A new identity with a push factor enrolled by the CLI in a new store. */
  const enrolled = async () => {
    const identity = `user-${Date.now().toString(36)}-${++identities}`;
    const store = newStore();
    const factor = jsonOf(ok(await cli(store, 'enroll', await enrollmentToken(identity), '--json')));
    return { identity, store, factorSid: factor.id as string };
  };

  const challenge = async (identity: string, factorSid: string, message = 'Log in to Acme Bank?') => {
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges`, {
      FactorSid: factorSid,
      'Details.Message': message,
      'Details.Fields': [JSON.stringify({ label: 'Browser', value: 'Firefox on Linux' }), JSON.stringify({ label: 'Amount', value: '42.00 €' })],
      HiddenDetails: JSON.stringify({ ip: '203.0.113.7' }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body as { sid: string; number_match: string | null; status: string };
  };

  const challengeStatus = async (identity: string, sid: string) => {
    const fetched = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${sid}`);
    assert.equal(fetched.status, 200);
    return fetched.body.status as string;
  };

  it('enrolls with an enrollment token: the factor is verified on Verity and its key kept in a 0600 file', async () => {
    const identity = `user-enroll-${Date.now().toString(36)}`;
    const store = newStore();
    const token = await enrollmentToken(identity, 'Work laptop');
    const result = jsonOf(ok(await cli(store, 'enroll', token, '--json')));
    assert.match(result.id, /^YF[0-9a-f]{32}$/);
    assert.equal(result.type, 'push');
    assert.equal(result.name, 'Work laptop');
    assert.equal(result.identity, identity);
    assert.equal(result.service_sid, serviceSid);
    assert.equal(result.service_name, 'Acme Bank');
    assert.equal(result.server, v.url);
    assert.equal(result.status, 'verified');

    const factors = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`);
    assert.equal(factors.status, 200);
    assert.deepEqual(factors.body.factors.map((f: any) => [f.sid, f.factor_type, f.status, f.friendly_name]), [[result.id, 'push', 'verified', 'Work laptop']]);

    assert.equal(statSync(store).mode & 0o777, 0o600);
    assert.equal(statSync(join(store, '..')).mode & 0o777, 0o700);
    const saved = JSON.parse(readFileSync(store, 'utf8'));
    const privateD = saved.factors[0].privateKey.d as string;
    assert.equal(saved.factors[0].privateKey.crv, 'P-256');

    const listed = jsonOf(ok(await cli(store, 'list', '--json')));
    assert.deepEqual(listed.factors.map((f: any) => [f.id, f.type, f.identity, f.server]), [[result.id, 'push', identity, v.url]]);
    const human = ok(await cli(store, 'list'));
    assert.match(human.stdout, new RegExp(`${result.id}  push  Work laptop  — ${identity} at Acme Bank`));
    assert.ok(!listed.factors[0].privateKey && !human.stdout.includes(privateD) && !JSON.stringify(listed).includes(privateD), 'list never shows the private key');

    // The token is single-use: the server's error reaches the user with its code.
    const again = await cli(newStore(), 'enroll', token, '--json');
    assert.equal(again.code, 1);
    const error = JSON.parse(again.stderr).error;
    assert.equal(typeof error.code, 'number');
    assert.equal(typeof error.message, 'string');
    assert.equal(error.status, 401);
    const againHuman = await cli(newStore(), 'enroll', token);
    assert.equal(againHuman.code, 1);
    assert.match(againHuman.stderr, /^verity-authenticator: .+\(Verity error \d+, HTTP 401\)/);
  });

  it('shows a pending challenge with its fields and number matching, and approves it with the number', async () => {
    const { identity, store, factorSid } = await enrolled();
    const created = await challenge(identity, factorSid);
    assert.match(created.number_match ?? '', /^\d{2}$/);

    const listed = jsonOf(ok(await cli(store, 'pending', '--json')));
    assert.equal(listed.challenges.length, 1);
    const shown = listed.challenges[0];
    assert.equal(shown.sid, created.sid);
    assert.equal(shown.factor_sid, factorSid);
    assert.equal(shown.status, 'pending');
    assert.equal(shown.details.message, 'Log in to Acme Bank?');
    assert.deepEqual(shown.details.fields, [{ label: 'Browser', value: 'Firefox on Linux' }, { label: 'Amount', value: '42.00 €' }]);
    assert.deepEqual(shown.hidden_details, { ip: '203.0.113.7' });
    assert.equal(shown.number_match_required, true);
    assert.ok(!JSON.stringify(shown).includes(`"${created.number_match}"`), 'the device never sees the number');

    const human = ok(await cli(store, 'pending'));
    assert.match(human.stdout, new RegExp(`${created.sid}  Acme Bank · ${identity} · pending`));
    assert.match(human.stdout, /\n {2}Log in to Acme Bank\?\n {4}Browser: Firefox on Linux\n {4}Amount: 42\.00 €\n {2}hidden details: ip=203\.0\.113\.7\n {2}expires \S+ \(in [45] min/);
    assert.match(human.stdout, /number matching: required/);

    // Without a terminal there is nobody to ask: a clear usage error, and nothing sent.
    const noNumber = await cli(store, 'approve', created.sid);
    assert.equal(noNumber.code, 2);
    assert.match(noNumber.stderr, /needs number matching: pass --number NN/);
    assert.equal(await challengeStatus(identity, created.sid), 'pending');

    const approved = jsonOf(ok(await cli(store, 'approve', created.sid, '--number', created.number_match!, '--json')));
    assert.equal(approved.sid, created.sid);
    assert.equal(approved.status, 'approved');
    assert.equal(await challengeStatus(identity, created.sid), 'approved');
    assert.deepEqual(jsonOf(ok(await cli(store, 'pending', '--json'))).challenges, []);

    // Answering again says why it cannot.
    const twice = await cli(store, 'approve', created.sid, '--number', created.number_match!);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /challenge YC[0-9a-f]+ is approved, no longer pending/);
  });

  it('asks for the number on a terminal, showing the challenge first', async () => {
    const { identity, store, factorSid } = await enrolled();
    const created = await challenge(identity, factorSid, 'Sign in from Lyon?');
    const terminal = memoryIo({ answers: [` ${created.number_match} `] });
    assert.equal(await main(['approve', created.sid, '--store', store], terminal.io), 0, terminal.stderr());
    assert.deepEqual(terminal.questions, ['Number shown on the login page: ']);
    assert.match(terminal.stderr(), /Sign in from Lyon\?\n {4}Browser: Firefox on Linux/);
    assert.match(terminal.stdout(), /^Approved: Sign in from Lyon\? \(YC/);
    assert.equal(await challengeStatus(identity, created.sid), 'approved');
  });

  it('denies a challenge, and a wrong number denies it too (exit 1)', async () => {
    const { identity, store, factorSid } = await enrolled();
    const first = await challenge(identity, factorSid, 'Pay 900 € to Mallory?');
    const denied = ok(await cli(store, 'deny', first.sid));
    assert.match(denied.stdout, /^Denied: Pay 900 € to Mallory\? \(YC/);
    assert.equal(await challengeStatus(identity, first.sid), 'denied');

    const second = await challenge(identity, factorSid);
    const wrong = String(((Number(second.number_match) - 10 + 1) % 90) + 10);
    assert.notEqual(wrong, second.number_match);
    const result = await cli(store, 'approve', second.sid, '--number', wrong, '--json');
    assert.equal(result.code, 1);
    assert.equal(jsonOf(result).status, 'denied');
    assert.match(result.stderr, /ended denied, not approved: the number did not match/);
    assert.equal(await challengeStatus(identity, second.sid), 'denied');

    const unknown = await cli(store, 'deny', 'YC00000000000000000000000000000000');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no stored push factor has a challenge YC0+/);
  });

  it('pending --watch prints a challenge created after it started, as one JSON line', async () => {
    const { identity, store, factorSid } = await enrolled();
    const streaming = nextSubscription(v.ctx.bus, `factor:${factorSid}`);
    const watcher = spawnCli(['pending', '--watch', '--count', '1', '--timeout', '20', '--json', '--store', store], env);
    const done = finished(watcher);
    watcher.stdin.end();
    // Wait until Verity serves its stream (subscribed to the factor's changes), so the challenge arrives live rather than in the initial replay.
    await streaming;
    const created = await challenge(identity, factorSid, 'Live one');
    const result = ok(await done);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const received = JSON.parse(lines[0]!);
    assert.equal(received.sid, created.sid);
    assert.equal(received.details.message, 'Live one');
    assert.equal(received.number_match_required, true);
    assert.equal(result.stderr, '');
  });

  it('pending --watch --timeout gives up with exit 1 when --count is not reached', async () => {
    const { store } = await enrolled();
    const started = Date.now();
    const result = await cli(store, 'pending', '--watch', '--count', '1', '--timeout', '1');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Watching .* for challenges/);
    assert.match(result.stderr, /timed out after 1 s with 0 of 1 challenge/);
    assert.ok(Date.now() - started < 15_000, 'expected Date.now() - started < 15_000');
  });

  it('shows the server error when the factor was deleted on Verity, and forgets the factor with remove', async () => {
    const { identity, store, factorSid } = await enrolled();
    const deleted = await v.api('DELETE', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factorSid}`);
    assert.equal(deleted.status, 204);
    const result = await cli(store, 'pending', '--json');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /"code":\d+/);
    const removed = jsonOf(ok(await cli(store, 'remove', factorSid, '--json')));
    assert.equal(removed.removed.id, factorSid);
    assert.deepEqual(jsonOf(ok(await cli(store, 'list', '--json'))).factors, []);
  });

  it('is also `verity authenticator …`', async () => {
    const { store, factorSid } = await enrolled();
    const result = await runCli(['authenticator', 'list', '--json', '--store', store], { env, bin: join(REPO_ROOT, 'bin/verity.js') });
    assert.deepEqual(jsonOf(ok(result)).factors.map((f: any) => f.id), [factorSid]);
  });
});

describe('verity-authenticator: TOTP codes Verity accepts', () => {
  let v: TestVerity;
  let serviceSid: string;
  before(async () => {
    // A manual clock pinned at the start: the CLI's codes (real time) stay within the factor's skew.
    v = await startVerity({ manualClock: true });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid;
  });
  after(async () => v.close());

  it('stores the otpauth URI of a TOTP factor and prints a code that approves a challenge', async () => {
    const identity = `user-totp-${Date.now().toString(36)}`;
    const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FactorType: 'totp', FriendlyName: 'Ana' });
    assert.equal(factor.status, 201);
    const { secret, uri } = factor.body.binding as { secret: string; uri: string };
    const store = newStore();

    // Through stdin ("-"), so the secret is not on the command line.
    const child = spawnCli(['enroll', '-', '--json', '--store', store], env);
    const done = finished(child);
    child.stdin.end(uri + '\n');
    const entry = jsonOf(ok(await done));
    assert.match(entry.id, /^otp-[0-9a-f]+$/);
    assert.deepEqual([entry.type, entry.name, entry.issuer, entry.algorithm, entry.digits, entry.period], ['totp', 'Ana', 'Acme', 'sha1', 6, 30]);
    assert.ok(!JSON.stringify(entry).includes(secret), 'expected !JSON.stringify(entry).includes(secret)');
    const twice = await cli(store, 'enroll', uri);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /already stored as otp-/);

    // Verify the factor with the step before the CLI's (time steps are single-use).
    const options = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;
    const verifyCode = totp(base32Decode(secret), v.clock!.now() - 30_000, options);
    const verified = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.body.sid}`, { AuthPayload: verifyCode });
    assert.equal(verified.body.status, 'verified');

    const before = totp(base32Decode(secret), Date.now(), options);
    const shown = jsonOf(ok(await cli(store, 'code', 'Ana', '--json')));
    const afterwards = totp(base32Decode(secret), Date.now(), options);
    assert.ok([before, afterwards].includes(shown.code), `${shown.code} is the current code`);
    assert.ok(shown.seconds_remaining >= 1 && shown.seconds_remaining <= 30, 'expected shown.seconds_remaining >= 1 && shown.seconds_remaining <= 30');

    const all = jsonOf(ok(await cli(store, 'code', '--json')));
    assert.deepEqual(all.codes.map((c: any) => c.id), [entry.id]);
    assert.match(ok(await cli(store, 'code')).stdout, /^\d{6} {2}Acme \(Ana\) {2}\d+ s left {2}\[otp-/);

    const approved = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges`, { FactorSid: factor.body.sid, AuthPayload: shown.code });
    assert.equal(approved.status, 201, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'approved');
  });
});
