import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Challenge } from '@verity/sdk';
import { approvalMismatch, parseAmount, transferDetails } from '../routes/transfer-routes.ts';
import { CallProgress } from '../routes/call-progress.ts';
import { openDemoDatabase } from '../store/demo-database.ts';
import { checkPasswordPolicy } from '../users/password-policy.ts';
import { checkPassword, hashPassword } from '../users/passwords.ts';
import { RememberedDevices } from '../users/remembered-devices.ts';
import { UsedResults } from '../users/used-results.ts';
import type { User } from '../users/users-store.ts';
import { html } from '../views/html.ts';
import { errorPage } from '../views/auth-pages.ts';
import { describeAmr } from '../views/sign-in-methods.ts';

describe('password policy (NIST SP 800-63B §5.1.1.2, zxcvbn)', () => {
  it('refuses a password from the common-password list outright, with its own message', () => {
    for (const password of ['password1', 'iloveyou2', 'Qwerty123', '12345678']) {
      const verdict = checkPasswordPolicy(password);
      assert.equal(verdict.ok, false, password);
      assert.equal(!verdict.ok && verdict.reason, 'common', password);
      assert.match(!verdict.ok ? verdict.message : '', /most commonly used passwords/);
    }
  });

  it('refuses a weak password with zxcvbn\'s warning and suggestions', () => {
    const verdict = checkPasswordPolicy('qwertyuiop1234');
    assert.equal(verdict.ok, false);
    assert.ok(!verdict.ok, 'expected !verdict.ok');
    assert.equal(verdict.reason, 'weak');
    assert.match(verdict.message, /similar to a commonly used password.*strength 1 of 4/);
    assert.ok(verdict.suggestions.length > 0, 'expected verdict.suggestions.length > 0');
  });

  it('counts the username as guessable', () => {
    assert.equal(checkPasswordPolicy('zebulonquartz7').ok, true);
    const withName = checkPasswordPolicy('zebulonquartz7', ['zebulonquartz7']);
    assert.equal(withName.ok, false);
  });

  it('accepts a strong password, and enforces 8 to 128 characters (code points)', () => {
    assert.deepEqual(checkPasswordPolicy('velvet tractor umbrella 42'), { ok: true, score: 4 });
    const short = checkPasswordPolicy('x9$Lq!z');
    assert.equal(!short.ok && short.reason, 'length');
    assert.equal(checkPasswordPolicy('a'.repeat(129)).ok, false);
    assert.equal(checkPasswordPolicy('🦊🦊🦊🦊🦊🦊🦊').ok, false, '7 emoji are 7 characters');
  });
});

describe('password hashing', () => {
  it('stores argon2id with m=19456 KiB, t=2, p=1 and verifies only the right password', async () => {
    const hash = await hashPassword('velvet tractor umbrella 42');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await checkPassword(hash, 'velvet tractor umbrella 42'), true);
    assert.equal(await checkPassword(hash, 'velvet tractor umbrella 43'), false);
    assert.equal(await checkPassword(undefined, 'anything'), false);
    assert.equal(await checkPassword('not a hash', 'anything'), false);
  });
});

describe('single use of hand-off results', () => {
  it('sees a jti the second time only', () => {
    const used = new UsedResults(openDemoDatabase(':memory:'));
    assert.equal(used.seen('jti-1', Date.now() + 60_000), false);
    assert.equal(used.seen('jti-1', Date.now() + 60_000), true);
    assert.equal(used.seen('jti-2', Date.now() + 60_000), false);
  });
});

describe('remembered devices', () => {
  it('stores only the token\'s SHA-256, recognises it for its user only, and forgets it on revoke', () => {
    const db = openDemoDatabase(':memory:');
    db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?)').run('demo-1', 'ann', 'h', '+14155550100', 0);
    db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?)').run('demo-2', 'ben', 'h', '+14155550101', 0);
    const devices = new RememberedDevices(db);
    const token = devices.remember('demo-1', 'Chrome on Linux');
    const row = db.prepare('SELECT token_hash FROM devices').get() as { token_hash: string };
    assert.notEqual(row.token_hash, token);
    assert.match(row.token_hash, /^[0-9a-f]{64}$/);
    assert.equal(devices.recognises('demo-1', token), true);
    assert.equal(devices.recognises('demo-2', token), false);
    assert.equal(devices.recognises('demo-1', `${token}x`), false);
    const [listed] = devices.list('demo-1');
    assert.equal(devices.revoke('demo-2', listed?.id ?? ''), false);
    assert.equal(devices.revoke('demo-1', listed?.id ?? ''), true);
    assert.equal(devices.recognises('demo-1', token), false);
  });
});

describe('transfer approval matching (dynamic linking)', () => {
  const user = { id: 'demo-abc' } as User;
  const transfer = { id: 'tr_1', user_id: 'demo-abc', amount_cents: 125_050, currency: 'USD', payee: 'Acme Ltd', status: 'pending', challenge_sid: 'YC1', factor_sid: 'YF1', number_match: '42' };
  const approved = (): Challenge => {
    const d = transferDetails(transfer);
    return { identity: 'demo-abc', factor_sid: 'YF1', status: 'approved', details: { message: d.message, date: '', fields: d.fields }, hidden_details: d.hidden } as unknown as Challenge;
  };

  it('formats the amount and accepts only what was sent', () => {
    assert.deepEqual(transferDetails(transfer).fields, [{ label: 'Amount', value: '$1,250.50' }, { label: 'Payee', value: 'Acme Ltd' }]);
    assert.equal(approvalMismatch(approved(), transfer, user), undefined);
  });

  it('refuses another amount, payee, order, message, factor, customer or transfer id', () => {
    const cases: Array<[string, (c: Challenge) => void]> = [
      ['amount', (c) => ((c.details.fields[0] as { value: string }).value = '$1,250.51')],
      ['payee', (c) => ((c.details.fields[1] as { value: string }).value = 'Acme Ltd ')],
      ['order', (c) => c.details.fields.reverse()],
      ['extra field', (c) => c.details.fields.push({ label: 'Note', value: '' })],
      ['message', (c) => (c.details.message = 'Approve')],
      ['factor', (c) => (c.factor_sid = 'YF2')],
      ['customer', (c) => (c.identity = 'demo-xyz')],
      ['transfer id', (c) => (c.hidden_details = { transfer_id: 'tr_2' })],
      ['extra hidden detail', (c) => (c.hidden_details = { transfer_id: 'tr_1', x: '1' })],
      ['no hidden details', (c) => (c.hidden_details = null)],
    ];
    for (const [name, change] of cases) {
      const challenge = approved();
      change(challenge);
      assert.ok(approvalMismatch(challenge, transfer, user), name);
    }
  });

  it('parses amounts from 0.01 to 10000.00 only', () => {
    assert.equal(parseAmount('1250.5'), 125_050);
    assert.equal(parseAmount('0.01'), 1);
    assert.equal(parseAmount('10000'), 1_000_000);
    for (const bad of ['0', '0.00', '10000.01', '1.234', '-5', '1e3', '', ' ', '12,50']) assert.equal(parseAmount(bad), undefined, bad);
  });
});

describe('call progress', () => {
  it('keeps the first outcome: the goodbye prompt and the end of the call do not hide it', () => {
    const calls = new CallProgress();
    const record = (calls as unknown as { record(sid: string, event: string): void }).record.bind(calls);
    (calls as unknown as { states: Map<string, unknown> }).states.set('VE1', { stage: 'queued', message: '', outcome: null });
    record('VE1', 'wrong_digits');
    assert.equal(calls.state('VE1')?.outcome, null);
    record('VE1', 'failed');
    record('VE1', 'wrong_digits');
    record('VE1', 'completed');
    assert.equal(calls.state('VE1')?.outcome, 'retry');
    assert.match(calls.state('VE1')?.message ?? '', /typed wrong too many times/);
  });
});

describe('page template', () => {
  it('escapes every value unless it is a fragment; lists are joined, nothing renders nothing', () => {
    const hostile = '<script>alert("x\'&")</script>';
    assert.equal(html`<p title="${hostile}">${hostile}</p>`.value, '<p title="&lt;script&gt;alert(&quot;x&#39;&amp;&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&#39;&amp;&quot;)&lt;/script&gt;</p>');
    assert.equal(html`<ul>${['a<', 'b'].map((item) => html`<li>${item}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b</li></ul>');
    assert.equal(html`<b>${null}${undefined}${false}${0}</b>`.value, '<b>0</b>');
  });

  it('renders a page with hostile text escaped everywhere', () => {
    const page = errorPage('<i>t</i>', '<img src=x onerror=alert(1)>', { username: '"><svg>', back: { href: '/a?b=1&c=2', label: '<b>' } });
    assert.ok(!/<img|<svg|<i>|<b>/.test(page), 'no hostile markup survives');
    assert.match(page, /href="\/a\?b=1&amp;c=2"/);
  });
});

describe('sign-in methods in words', () => {
  it('describes RFC 8176 values', () => {
    assert.equal(describeAmr(['pwd', 'sms']), 'password + text message');
    assert.equal(describeAmr(['pwd', 'otp']), 'password + one-time code');
    assert.equal(describeAmr(['pwd', 'device']), 'password + this remembered device');
  });
});

describe('sign-in throttle', () => {
  it('refuses a username after 5 wrong passwords for the rest of the 15-minute window, whatever its case', async () => {
    const { SigninThrottle } = await import('../users/signin-throttle.ts');
    const throttle = new SigninThrottle();
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) throttle.fail('Dave', t0 + i);
    assert.equal(throttle.retryAfter('dave', t0 + 10), 0);
    throttle.fail('DAVE', t0 + 10);
    assert.equal(throttle.retryAfter('dave', t0 + 10), 15 * 60_000 - 10);
    assert.equal(throttle.retryAfter('erin', t0 + 10), 0);
    assert.equal(throttle.retryAfter('dave', t0 + 15 * 60_000), 0);
    throttle.succeed('dave');
    assert.equal(throttle.retryAfter('dave', t0 + 20), 0);
  });
});

describe('demo database file', () => {
  it('is owner-only (0600), its WAL files too, even in a folder others can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-db-'));
    const previous = process.umask(0);
    try {
      chmodSync(dir, 0o755);
      const path = join(dir, 'demo.sqlite');
      const db = openDemoDatabase(path);
      db.prepare('INSERT INTO used_results (jti, expires_at) VALUES (?, ?)').run('x', 1);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal((statSync(file).mode & 0o777).toString(8), '600', file);
      db.close();
    } finally {
      process.umask(previous);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
