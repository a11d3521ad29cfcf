import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/authenticator/main.ts';
import { hotp, totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { memoryIo } from './memory-io.ts';

/** The commands that need no server (TOTP/HOTP, list, remove, usage), run in-process. */

const home = mkdtempSync(join(tmpdir(), 'verity-authenticator-offline-'));
let stores = 0;
const newStore = () => join(home, `store-${++stores}`, 'keys.json');
after(() => rmSync(home, { recursive: true, force: true }));

async function run(args: string[], options: Parameters<typeof memoryIo>[0] = {}) {
  const terminal = memoryIo(options);
  const code = await main(args, terminal.io);
  return { code, ...terminal };
}

const TOTP_URI = 'otpauth://totp/Acme:ana%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme&digits=8&algorithm=SHA256&period=60';
const HOTP_URI = 'otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5';

describe('verity-authenticator without a server', () => {
  it('prints the TOTP code of the project\'s own OTP implementation, with the seconds it stays valid', async () => {
    const store = newStore();
    assert.equal((await run(['enroll', TOTP_URI, '--store', store])).code, 0);
    const before = totp(base32Decode('JBSWY3DPEHPK3PXP'), Date.now(), { algorithm: 'sha256', digits: 8, period: 60, skew: 0 });
    const { code, stdout } = await run(['code', 'Acme', '--json', '--store', store]);
    assert.equal(code, 0);
    const shown = JSON.parse(stdout());
    const afterwards = totp(base32Decode('JBSWY3DPEHPK3PXP'), Date.now(), { algorithm: 'sha256', digits: 8, period: 60, skew: 0 });
    assert.ok([before, afterwards].includes(shown.code), 'expected [before, afterwards].includes(shown.code)');
    assert.match(shown.code, /^\d{8}$/);
    assert.ok(shown.seconds_remaining >= 1 && shown.seconds_remaining <= 60, 'expected shown.seconds_remaining >= 1 && shown.seconds_remaining <= 60');
    assert.deepEqual([shown.type, shown.name, shown.issuer], ['totp', 'ana@example.com', 'Acme']);
  });

  it('advances an HOTP counter on each code, and shows HOTP entries only when named', async () => {
    const store = newStore();
    const secret = base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const enrolled = await run(['--store', store, '--json', 'enroll', HOTP_URI]);
    assert.equal(enrolled.code, 0, enrolled.stderr());
    const id = JSON.parse(enrolled.stdout()).id as string;
    const first = JSON.parse((await run(['code', 'bob', '--json', '--store', store])).stdout());
    const second = JSON.parse((await run(['code', id.slice(0, 6), '--json', '--store', store])).stdout());
    assert.deepEqual([first.counter, first.code], [5, hotp(secret, 5, { algorithm: 'sha1', digits: 6 })]);
    assert.deepEqual([second.counter, second.code], [6, hotp(secret, 6, { algorithm: 'sha1', digits: 6 })]);
    const listed = JSON.parse((await run(['list', '--json', '--store', store])).stdout());
    assert.equal(listed.factors[0].counter, 7);
    assert.deepEqual(JSON.parse((await run(['code', '--json', '--store', store])).stdout()), { codes: [] });
  });

  it('lists and removes entries by id or name, refusing ambiguous and unknown references', async () => {
    const store = newStore();
    await run(['enroll', TOTP_URI, '--store', store]);
    await run(['enroll', TOTP_URI.replace('JBSWY3DPEHPK3PXP', 'JBSWY3DPEHPK3PXQ'), '--name', 'second', '--store', store]);
    const listed = await run(['list', '--store', store]);
    assert.match(listed.stdout(), /^otp-[0-9a-f]{8} {2}totp {2}ana@example\.com {2}— Acme, SHA256, 8 digits, every 60 s\notp-[0-9a-f]{8} {2}totp {2}second {2}/);
    const ambiguous = await run(['remove', 'Acme', '--store', store]);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr(), /"Acme" matches several stored factors/);
    const unknown = await run(['remove', 'nobody', '--store', store]);
    assert.match(unknown.stderr(), /no stored factor has the id or name "nobody"/);
    assert.equal((await run(['remove', 'SECOND', '--store', store])).code, 0);
    assert.equal(JSON.parse((await run(['list', '--json', '--store', store])).stdout()).factors.length, 1);
    const empty = newStore();
    assert.match((await run(['list', '--store', empty])).stdout(), /No factors yet/);
  });

  it('refuses a store readable by others, through the CLI, with a clear message', async () => {
    const store = newStore();
    await run(['enroll', TOTP_URI, '--store', store]);
    chmodSync(store, 0o644);
    const refused = await run(['code', '--store', store]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr(), /^verity-authenticator: Permissions 0644 for .* are too open.*chmod 600/);
    const json = await run(['code', '--json', '--store', store]);
    assert.match(JSON.parse(json.stderr()).error.message, /too open/);
  });

  it('uses $VERITY_AUTHENTICATOR_HOME when no --store is given', async () => {
    const directory = join(home, 'env-home');
    assert.equal((await run(['enroll', TOTP_URI], { env: { VERITY_AUTHENTICATOR_HOME: directory } })).code, 0);
    assert.equal(JSON.parse((await run(['list', '--json', '--store', join(directory, 'keys.json')])).stdout()).factors.length, 1);
  });

  it('answers wrong command lines with exit 2 and help with exit 0', async () => {
    const usage: Array<[string[], RegExp]> = [
      [[], /^Usage: verity-authenticator <command>/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['enroll'], /enroll takes one argument/],
      [['list', '--bogus'], /Unknown option '--bogus'/],
      [['pending', '--count', '2'], /--count and --timeout go with --watch/],
      [['pending', '--watch', '--count', '0'], /--count takes a positive integer/],
      [['approve', 'YC1', '--number', 'forty-two', '--store', newStore()], /--number takes the digits shown on the login page/],
      [['enroll', 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12', '--store', newStore()], /digits must be an integer from 3 to 8/],
      [['enroll', 'not-a-token', '--store', newStore()], /not a JWT/],
    ];
    for (const [args, message] of usage) {
      const result = await run(args);
      assert.equal(result.code, 2, `${args.join(' ')} → ${result.code}`);
      assert.match(result.stderr(), message, args.join(' '));
    }
    for (const command of ['enroll', 'list', 'pending', 'approve', 'deny', 'code', 'remove']) {
      const help = await run([command, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout(), new RegExp(`^Usage: verity-authenticator ${command}`));
      assert.match(help.stdout(), /--store FILE/);
      assert.equal((await run(['help', command])).stdout(), help.stdout());
    }
    assert.equal((await run(['--help'])).code, 0);
  });
});
