import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { otherCode } from '../support/test-helpers.ts';

const VE = /^VE[0-9a-f]{32}$/;

async function newService(v: TestVerity, form: Record<string, string> = {}): Promise<string> {
  const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Limits', ...form });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.sid as string;
}

async function checkAttempts(v: TestVerity, sid: string): Promise<number> {
  const row = await v.ctx.db.kysely.selectFrom('verifications').select('check_attempts').where('sid', '=', sid).executeTakeFirstOrThrow();
  return Number(row.check_attempts);
}

describe('NIST lockout across verifications of one destination', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true });
  });
  after(async () => v.close());

  it('counts wrong codes across verifications and resends, then locks with Retry-After; a right code clears it', async () => {
    const service = await newService(v);
    const to = '+14155550130';
    const verify = (form: Record<string, string>) => v.api('POST', `/v2/Services/${service}/Verifications`, form);
    const check = (form: Record<string, string>) => v.api('POST', `/v2/Services/${service}/VerificationCheck`, form);

    // Verification A: five wrong codes end it.
    const a = await verify({ To: to, Channel: 'sms' });
    assert.equal(a.status, 201);
    const wrongA = otherCode(await v.lastCode(to));
    const statusesA: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await check({ VerificationSid: a.body.sid, Code: wrongA });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      statusesA.push(r.body.status);
    }
    assert.deepEqual(statusesA, ['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);

    // Verification B for the same To: a new secret does not reset the failure count (SP 800-63B).
    const b = await verify({ To: to, Channel: 'sms' });
    assert.equal(b.status, 201);
    assert.notEqual(b.body.sid, a.body.sid);
    const codeB = await v.lastCode(to);
    const wrongB = otherCode(codeB);
    for (let i = 0; i < 2; i++) assert.equal((await check({ To: to, Code: wrongB })).body.status, 'pending');
    // A resend (same verification, same code) does not reset it either.
    const resent = await verify({ To: to, Channel: 'call' });
    assert.equal(resent.status, 201);
    assert.equal(resent.body.sid, b.body.sid);
    assert.equal(resent.body.send_code_attempts.length, 2);
    assert.equal((await check({ To: to, Code: wrongB })).body.status, 'pending'); // 8th
    assert.equal((await check({ To: to, Code: wrongB })).body.status, 'pending'); // 9th
    const failures9 = await v.ctx.db.kysely.selectFrom('check_failures').selectAll().executeTakeFirstOrThrow();
    assert.equal(Number(failures9.consecutive), 9);
    assert.equal(Number(failures9.locked_until), 0, 'nine failures are still free');
    const tenth = await check({ To: to, Code: wrongB });
    assert.equal(tenth.status, 200);
    assert.equal(tenth.body.status, 'max_attempts_reached');

    // Verification C: its first check is refused with 60202 and Retry-After ≈ 30 s.
    const c = await verify({ To: to, Channel: 'sms' });
    assert.equal(c.status, 201);
    assert.match(c.body.sid, VE);
    const codeC = await v.lastCode(to);
    const locked = await check({ To: to, Code: codeC });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.code, 60202);
    assert.equal(locked.body.status, 429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    assert.ok(retryAfter >= 29 && retryAfter <= 31, `Retry-After ${locked.headers.get('retry-after')}`);
    // The refused check was not counted as an attempt on C.
    assert.equal(await checkAttempts(v, c.body.sid), 0);
    // Still locked a little before the 30 s are over, even with the right code.
    v.clock!.advance(20_000);
    const stillLocked = await check({ To: to, Code: codeC });
    assert.equal(stillLocked.body.code, 60202);
    assert.ok(Number(stillLocked.headers.get('retry-after')) <= 11, "expected Number(stillLocked.headers.get('retry-after')) <= 11");
    assert.equal(await checkAttempts(v, c.body.sid), 0);

    v.clock!.advance(11_000);
    const approved = await check({ To: to, Code: codeC });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'approved');
    assert.equal(approved.body.sid, c.body.sid);
    assert.equal(await v.ctx.db.kysely.selectFrom('check_failures').selectAll().executeTakeFirst(), undefined, 'the counter is cleared');

    // After the success, one wrong code on a new verification does not lock the destination.
    const d = await verify({ To: to, Channel: 'sms' });
    assert.equal(d.status, 201);
    const codeD = await v.lastCode(to);
    const wrongD = await check({ To: to, Code: otherCode(codeD) });
    assert.equal(wrongD.status, 200);
    assert.equal(wrongD.body.status, 'pending');
    const rightD = await check({ To: to, Code: codeD });
    assert.equal(rightD.body.status, 'approved');
  });

  it('keeps the lockout per destination: another number of the same service is not locked', async () => {
    const service = await newService(v);
    const locked = '+14155550131';
    const other = '+14155550132';
    for (let round = 0; round < 2; round++) {
      await v.api('POST', `/v2/Services/${service}/Verifications`, { To: locked, Channel: 'sms' });
      const wrong = otherCode(await v.lastCode(locked));
      for (let i = 0; i < 5; i++) await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: locked, Code: wrong });
    }
    await v.api('POST', `/v2/Services/${service}/Verifications`, { To: locked, Channel: 'sms' });
    const refused = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: locked, Code: await v.lastCode(locked) });
    assert.equal(refused.body.code, 60202);

    await v.api('POST', `/v2/Services/${service}/Verifications`, { To: other, Channel: 'sms' });
    const ok = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: other, Code: await v.lastCode(other) });
    assert.equal(ok.body.status, 'approved');
  });
});

describe('geo permissions (AllowedCountries)', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true });
  });
  after(async () => v.close());

  it('refuses destinations outside the allowed countries with 60605 / 403, until the list is emptied', async () => {
    const service = await newService(v, { AllowedCountries: 'US,CA' });
    const fetched = await v.api('GET', `/v2/Services/${service}`);
    assert.deepEqual([...fetched.body.allowed_countries].sort(), ['CA', 'US']);

    // +44 7700 900123 is in Ofcom's drama range, which libphonenumber rejects as invalid (60200);
    // a real GB mobile number is used to reach the geo check.
    const uk = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+44 7400 123456', Channel: 'sms' });
    assert.equal(uk.status, 403, JSON.stringify(uk.body));
    assert.equal(uk.body.code, 60605);
    assert.equal(uk.body.status, 403);
    assert.equal(uk.body.more_info, 'https://www.twilio.com/docs/errors/60605');
    assert.deepEqual(await v.inbox('+447400123456'), [], 'nothing was sent');
    // Calls are geo-checked too.
    const ukCall = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+447400123456', Channel: 'call' });
    assert.equal(ukCall.body.code, 60605);

    const us = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+1 415 555 0140', Channel: 'sms' });
    assert.equal(us.status, 201, JSON.stringify(us.body));
    const ca = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+1 416 555 0101', Channel: 'sms' });
    assert.equal(ca.status, 201, JSON.stringify(ca.body));
    // Emails have no country: unaffected.
    const mail = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: 'geo@example.com', Channel: 'email' });
    assert.equal(mail.status, 201);

    const cleared = await v.api('POST', `/v2/Services/${service}`, { AllowedCountries: '' });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(cleared.body.allowed_countries, null);
    const ukNow = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+447400123456', Channel: 'sms' });
    assert.equal(ukNow.status, 201, JSON.stringify(ukNow.body));
    assert.equal((await v.inbox('+447400123456')).length, 1);
  });

  it('refuses an unknown country code in AllowedCountries with 60200', async () => {
    const bad = await v.api('POST', '/v2/Services', { FriendlyName: 'Geo', AllowedCountries: 'US,XX' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 60200);
    assert.match(bad.body.message, /AllowedCountries/);
  });
});

describe('destination-prefix burst cap (SMS pumping guard)', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true, env: { VERITY_FRAUD_PREFIX_MAX_SENDS: '3' } });
  });
  after(async () => v.close());

  it('blocks the 4th number of one 7-digit prefix with 60410 and Retry-After', async () => {
    const service = await newService(v);
    const send = (to: string, channel = 'sms') => v.api('POST', `/v2/Services/${service}/Verifications`, { To: to, Channel: channel });
    // +1 415 555 …: E.164 digits "1415555" form the prefix.
    for (const to of ['+14155550001', '+14155550002', '+14155550003']) {
      const r = await send(to);
      assert.equal(r.status, 201, `${to}: ${JSON.stringify(r.body)}`);
    }
    const fourth = await send('+14155550004');
    assert.equal(fourth.status, 403, JSON.stringify(fourth.body));
    assert.equal(fourth.body.code, 60410);
    const retryAfter = Number(fourth.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, `Retry-After ${fourth.headers.get('retry-after')}`);
    assert.deepEqual(await v.inbox('+14155550004'), []);
    // Calls share the same prefix bucket.
    assert.equal((await send('+14155550005', 'call')).body.code, 60410);

    // Another prefix (+1 415 556 …) is unaffected.
    const elsewhere = await send('+14155560101');
    assert.equal(elsewhere.status, 201, JSON.stringify(elsewhere.body));
    // Emails are never prefix-capped.
    for (let i = 0; i < 5; i++) {
      const mail = await send(`pump${i}@example.com`, 'email');
      assert.equal(mail.status, 201, JSON.stringify(mail.body));
    }

    // The cap refills over the window: after Retry-After, the prefix accepts a send again.
    v.clock!.advance(retryAfter * 1000);
    const later = await send('+14155550004');
    assert.equal(later.status, 201, JSON.stringify(later.body));
  });

  it('counts the cap per service', async () => {
    const first = await newService(v);
    const second = await newService(v);
    for (const to of ['+14155570001', '+14155570002', '+14155570003']) {
      assert.equal((await v.api('POST', `/v2/Services/${first}/Verifications`, { To: to, Channel: 'sms' })).status, 201);
    }
    assert.equal((await v.api('POST', `/v2/Services/${first}/Verifications`, { To: '+14155570004', Channel: 'sms' })).body.code, 60410);
    assert.equal((await v.api('POST', `/v2/Services/${second}/Verifications`, { To: '+14155570004', Channel: 'sms' })).status, 201);
  });
});

describe('API request rate limits (token buckets)', () => {
  describe('per account', () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ manualClock: true, env: { VERITY_RATE_ACCOUNT_BURST: '5', VERITY_RATE_ACCOUNT_PER_SECOND: '1' } });
    });
    after(async () => v.close());

    it('answers the 6th request with 429 / 20429 and Retry-After, and recovers as the clock moves', async () => {
      for (let i = 0; i < 5; i++) {
        const r = await v.api('GET', '/v2/Services');
        assert.equal(r.status, 200, `request ${i + 1}`);
      }
      const sixth = await v.api('GET', '/v2/Services');
      assert.equal(sixth.status, 429);
      assert.equal(sixth.body.code, 20429);
      assert.equal(sixth.body.status, 429);
      assert.equal(sixth.body.more_info, 'https://www.twilio.com/docs/errors/20429');
      assert.equal(sixth.headers.get('retry-after'), '1');
      // The client (twilio) sees the same error.
      await assert.rejects(v.client.verify.v2.services.list(), (e: any) => e.status === 429 && e.code === 20429);

      // Unauthenticated operations routes are not limited.
      assert.equal((await fetch(`${v.url}/healthz`)).status, 200);

      v.clock!.advance(2_000);
      assert.equal((await v.api('GET', '/v2/Services')).status, 200);
      assert.equal((await v.api('GET', '/v2/Services')).status, 200);
      assert.equal((await v.api('GET', '/v2/Services')).status, 429, 'two seconds refill two tokens only');
    });

    it('keeps a separate bucket for each account', async () => {
      v.clock!.advance(10_000);
      const { account, authToken } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.clock!.now());
      const other = { user: account.sid, password: authToken };
      for (let i = 0; i < 5; i++) assert.equal((await v.api('GET', '/v2/Services')).status, 200);
      assert.equal((await v.api('GET', '/v2/Services')).status, 429);
      assert.equal((await v.api('GET', '/v2/Services', undefined, other)).status, 200);
    });

    it('rejects wrong credentials with 401 before rate limiting', async () => {
      const denied = await v.api('GET', '/v2/Services', undefined, { user: v.accountSid, password: 'nope' });
      assert.equal(denied.status, 401);
      assert.equal(denied.body.code, 20003);
    });
  });

  describe('per client IP: only failed authentications', () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ manualClock: true, env: { VERITY_RATE_IP_BURST: '5', VERITY_RATE_IP_PER_SECOND: '1', VERITY_RATE_AUTH_FAILURES_BURST: '3', VERITY_RATE_AUTH_FAILURES_PER_MINUTE: '6' } });
    });
    after(async () => v.close());

    it('never limits an authenticated backend by its IP: 50 requests from one IP with a per-IP burst of 5 all pass', async () => {
      const { account, authToken } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Second', v.clock!.now());
      const second = { user: account.sid, password: authToken };
      for (let i = 0; i < 25; i++) assert.equal((await v.api('GET', '/v2/Services')).status, 200, `request ${i} of the first account`);
      for (let i = 0; i < 25; i++) assert.equal((await v.api('GET', '/v2/Services', undefined, second)).status, 200, `request ${i} of the second account`);
    });

    it('limits failed authentications per IP with 429 and Retry-After, and does not hold back the right credentials', async () => {
      const wrong = { user: v.accountSid, password: 'not-the-token' };
      for (let i = 0; i < 3; i++) assert.equal((await v.api('GET', '/v2/Services', undefined, wrong)).status, 401, `failure ${i}`);
      const fourth = await v.api('GET', '/v2/Services', undefined, wrong);
      assert.equal(fourth.status, 429);
      assert.equal(fourth.body.code, 20429);
      assert.equal(fourth.headers.get('retry-after'), '10', 'one failure refills in 10 s at 6 per minute');
      assert.equal((await v.api('GET', '/v2/Services', undefined, { user: 'ACffffffffffffffffffffffffffffffff', password: 'x' })).status, 429, 'unknown accounts share the IP bucket');
      assert.equal((await v.api('GET', '/v2/Services')).status, 200, 'the right credentials still work');
      v.clock!.advance(10_000);
      assert.equal((await v.api('GET', '/v2/Services', undefined, wrong)).status, 401);
    });
  });

  describe('per service', () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ manualClock: true, env: { VERITY_RATE_SERVICE_BURST: '4', VERITY_RATE_SERVICE_PER_SECOND: '1' } });
    });
    after(async () => v.close());

    it('limits one service without holding back the account\'s other services', async () => {
      const busy = await newService(v);
      const quiet = await newService(v);
      for (let i = 0; i < 4; i++) assert.equal((await v.api('GET', `/v2/Services/${busy}`)).status, 200, `request ${i}`);
      const limited = await v.api('POST', `/v2/Services/${busy}/Verifications`, { To: '+14155550177', Channel: 'sms' });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.code, 20429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'a 429 carries Retry-After');
      assert.deepEqual(await v.inbox('+14155550177'), [], 'nothing was sent');
      assert.equal((await v.api('GET', `/v2/Services/${quiet}`)).status, 200);
      assert.equal((await v.api('GET', '/v2/Services')).status, 200, 'routes outside a service only count toward the account');
      v.clock!.advance(1_000);
      assert.equal((await v.api('GET', `/v2/Services/${busy}`)).status, 200);
    });
  });

  describe('behind a reverse proxy (VERITY_TRUST_PROXY)', () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ manualClock: true, env: { VERITY_TRUST_PROXY: 'loopback', VERITY_RATE_AUTH_FAILURES_BURST: '2', VERITY_RATE_AUTH_FAILURES_PER_MINUTE: '1' } });
    });
    after(async () => v.close());

    const failWith = (forwardedFor: string) =>
      fetch(`${v.url}/v2/Services`, { headers: { authorization: `Basic ${Buffer.from(`${v.accountSid}:wrong`).toString('base64')}`, 'x-forwarded-for': forwardedFor } });

    it('takes the nearest untrusted hop: a client cannot escape its limit by writing its own X-Forwarded-For entry', async () => {
      // The proxy (127.0.0.1, trusted) appends the real client 203.0.113.9 to whatever the client sent.
      assert.equal((await failWith('198.51.100.1, 203.0.113.9')).status, 401);
      assert.equal((await failWith('198.51.100.2, 203.0.113.9')).status, 401);
      assert.equal((await failWith('198.51.100.3, 203.0.113.9')).status, 429, 'a new leftmost entry is the same client');
      assert.equal((await failWith('203.0.113.10')).status, 401, 'another real client has its own bucket');
    });

    it('counts an IPv6 client by its /64: 60 failed logins from 60 addresses of one /64 are limited after the burst', async () => {
      // One subscriber gets a /64 (or more) and may use any of its 2^64 addresses.
      const statuses: number[] = [];
      for (let i = 1; i <= 60; i++) statuses.push((await failWith(`2001:db8:1:2::${i.toString(16)}`)).status);
      assert.deepEqual(statuses.slice(0, 2), [401, 401], `statuses ${statuses.join(',')}`);
      assert.deepEqual([...new Set(statuses.slice(2))], [429], `statuses ${statuses.join(',')}`);
      assert.equal((await failWith('2001:db8:1:2:ffff:ffff:ffff:fffe')).status, 429, 'the last address of the /64 too');
      assert.equal((await failWith('2001:DB8:1:2:0:0:0:abcd')).status, 429, 'however the address is spelt');
    });

    it('keeps two /64s in separate buckets, and an IPv4-mapped IPv6 address in its IPv4 address\'s bucket', async () => {
      assert.equal((await failWith('2001:db8:1:3::1')).status, 401, 'the neighbouring /64 is another subscriber');
      assert.equal((await failWith('2001:db8:1:3::2')).status, 401);
      assert.equal((await failWith('2001:db8:1:3::3')).status, 429);
      assert.equal((await failWith('198.51.100.77')).status, 401);
      assert.equal((await failWith('::ffff:198.51.100.77')).status, 401);
      assert.equal((await failWith('198.51.100.77')).status, 429, 'the mapped spelling spent the IPv4 address\'s bucket');
      assert.equal((await failWith('::ffff:198.51.100.78')).status, 401, 'another IPv4 address is not in that bucket');
    });

    it('refuses VERITY_TRUST_PROXY=true and entries that are not addresses', () => {
      assert.throws(() => loadVerityConfig({ VERITY_TRUST_PROXY: 'true' }), /VERITY_TRUST_PROXY: `true` would let any client choose its own IP/);
      assert.throws(() => loadVerityConfig({ VERITY_TRUST_PROXY: '10.0.0.0/8,proxy.internal' }), /not an IP address, CIDR range.*proxy\.internal/);
      assert.throws(() => loadVerityConfig({ VERITY_TRUST_PROXY: '010.0.0.0/8,127.1' }), /not an IP address, CIDR range.*: 010\.0\.0\.0\/8, 127\.1$/m, 'octal and short IPv4 spellings name other addresses than they seem to');
      assert.deepEqual(loadVerityConfig({ VERITY_TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy, ['10.0.0.0/8', '::1']);
      assert.equal(loadVerityConfig({}).trustProxy, false);
      // Ranges so broad that they hold clients, not proxies: every client would pick its own IP.
      for (const [value, range] of [
        ['0.0.0.0/0', '0.0.0.0/0'],
        ['::/0', '::/0'],
        ['0.0.0.0/1,128.0.0.0/1', '0.0.0.0/1, 128.0.0.0/1'],
        ['loopback, 10.0.0.0/7', '10.0.0.0/7'],
        ['2000::/3', '2000::/3'],
        ['2001:db8::/31', '2001:db8::/31'],
        ['::ffff:0:0/96', '::ffff:0:0/96'],
        ['::ffff:10.0.0.0/103', '::ffff:10.0.0.0/103'],
      ]) {
        assert.throws(() => loadVerityConfig({ VERITY_TRUST_PROXY: value }), (error: Error) => error.name === 'ConfigError' && error.message.includes(`VERITY_TRUST_PROXY: broader than /8 (IPv4) or /32 (IPv6), so it would trust clients as proxies: ${range}`), value);
      }
      assert.deepEqual(loadVerityConfig({ VERITY_TRUST_PROXY: '10.0.0.0/8,2001:db8::/32,::ffff:10.0.0.0/104' }).trustProxy, ['10.0.0.0/8', '2001:db8::/32', '10.0.0.0/8']);
    });

    it('never fails at boot with a raw TypeError: every accepted value compiles, every other one is a ConfigError', async () => {
      const { default: Fastify } = await import('fastify');
      for (const value of ['0.0.0.0/0', '::/0', '::ffff:0:0/96', '10.0.0.0/33', '::1/129', '10.0.0.0/255.0.0.0', '1', '127.1', '010.0.0.0/8', 'fe80::1%eth0/64', 'fe80::1%eth0', ' , ', 'loopback,linklocal,uniquelocal', '10.0.0.0/8/8', '[::1]', '::ffff:127.0.0.1']) {
        let trustProxy: false | string[];
        try {
          trustProxy = loadVerityConfig({ VERITY_TRUST_PROXY: value }).trustProxy;
        } catch (error) {
          assert.equal((error as Error).name, 'ConfigError', `${value}: ${String(error)}`);
          continue;
        }
        assert.doesNotThrow(() => Fastify({ trustProxy }), value);
      }
    });
  });
});

describe('disabled channels (60223)', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ manualClock: true, env: { VERITY_EMAIL_PROVIDER: 'none' } });
  });
  after(async () => v.close());

  it('refuses a channel the service does not enable', async () => {
    const service = await newService(v, { EnabledChannels: 'sms' });
    const fetched = await v.api('GET', `/v2/Services/${service}`);
    assert.deepEqual(fetched.body.enabled_channels, ['sms']);
    const call = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550150', Channel: 'call' });
    assert.equal(call.status, 400);
    assert.equal(call.body.code, 60223);
    assert.match(call.body.message, /call/);
    assert.deepEqual(await v.inbox('+14155550150'), []);
    const sms = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550150', Channel: 'sms' });
    assert.equal(sms.status, 201);
  });

  it('refuses a channel whose provider is configured `none`', async () => {
    const service = await newService(v);
    const email = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: 'nobody@example.com', Channel: 'email' });
    assert.equal(email.status, 400, JSON.stringify(email.body));
    assert.equal(email.body.code, 60223);
    assert.match(email.body.message, /provider/);
    // Nothing was created for it.
    const rows = await v.ctx.db.kysely.selectFrom('verifications').select('sid').where('destination', '=', 'nobody@example.com').execute();
    assert.equal(rows.length, 0);
    // The other channels still work on that server.
    assert.equal((await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550151', Channel: 'call' })).status, 201);
  });
});
