import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * The one send gate (issue 11, findings 2 and 5): every outbound message or call, whatever the
 * feature, passes the country allow-list, the per-destination budget, the per-prefix pumping cap
 * and the account budget. Voiceprint calls used to skip all four.
 */

// Simulated phones ring for 2 s of real time, so unanswered calls end on their own.
const PHONE_ENV = { VERITY_VOICE_RING_TIMEOUT_SECONDS: '20', VERITY_SIMULATOR_TIME_SCALE: '0.1' };

async function newService(v: TestVerity, form: Record<string, string> = {}): Promise<string> {
  const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Gate', ...form });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.sid as string;
}

let identities = 0;
/** An unverified voiceprint factor of a new entity (which has a verified TOTP factor: a voiceprint is never the only factor). */
async function voiceprintFactor(v: TestVerity, serviceSid: string): Promise<{ call: (to: string) => Promise<{ status: number; body: any; headers: Headers }> }> {
  const base = `/v2/Services/${serviceSid}/Entities/gate-${Date.now().toString(36)}-${++identities}`;
  const app = await v.api('POST', `${base}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  const code = totp(base32Decode(app.body.binding.secret as string), v.ctx.clock.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
  assert.equal((await v.api('POST', `${base}/Factors/${app.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
  const voice = await v.api('POST', `${base}/Factors`, { FriendlyName: 'My voice', FactorType: 'voiceprint' });
  assert.equal(voice.status, 201, JSON.stringify(voice.body));
  return { call: (to) => v.api('POST', `${base}/Factors/${voice.body.sid as string}/Calls`, { To: to }) };
}

const rateLimited = async (v: TestVerity, limit: string): Promise<number> =>
  (await v.ctx.metrics.rateLimited.get()).values.find((value) => value.labels.limit === limit)?.value ?? 0;

for (const database of DATABASES) {
  describe(`send gate: voiceprint calls pass every check (${database.name})`, () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ manualClock: true, env: PHONE_ENV, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    });
    after(async () => v.close());

    it('refuses a voiceprint call to a country outside the allow-list with 60605, and the phone never rings', async (t) => {
      if (!v.ctx.voiceprints) return t.skip('no voiceprint models (models/)');
      const service = await newService(v, { AllowedCountries: 'US' });
      const factor = await voiceprintFactor(v, service);
      const refused = await factor.call('+447400123456');
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 60605);
      assert.deepEqual(await v.phone('+447400123456').calls(), [], 'no call was placed');
      assert.equal(await v.ctx.db.kysely.selectFrom('calls').select('sid').where('destination', '=', '+447400123456').executeTakeFirst(), undefined, 'no call was recorded');
      // An allowed country is called.
      const allowed = await factor.call('+14155554001');
      assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
      assert.equal((await v.phone('+14155554001').calls()).length, 1);
    });

    it('lets only the prefix cap (30 per 7-digit prefix) of 40 simultaneous voiceprint calls into one prefix go out; the rest get 60410', async (t) => {
      if (!v.ctx.voiceprints) return t.skip('no voiceprint models (models/)');
      const service = await newService(v);
      const factor = await voiceprintFactor(v, service);
      const numbers = Array.from({ length: 40 }, (_, i) => `+1415555${String(2000 + i)}`);
      const prefixBefore = await rateLimited(v, 'prefix');
      const accountTokens = async () => Number((await v.ctx.db.kysely.selectFrom('rate_buckets').select('tokens').where('key', '=', `send-account:${v.accountSid}`).executeTakeFirst())?.tokens ?? v.ctx.config.rateLimits.sendAccount.burst);
      const tokensBefore = await accountTokens();
      const results = await Promise.all(numbers.map((to) => factor.call(to)));
      const placed = results.filter((r) => r.status === 201);
      const capped = results.filter((r) => r.status === 403 && r.body.code === 60410);
      assert.equal(placed.length, 30, JSON.stringify(results.filter((r) => r.status !== 201 && r.body.code !== 60410).map((r) => r.body)));
      assert.equal(capped.length, 10);
      for (const r of capped) assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After ${r.headers.get('retry-after')}`);
      let rung = 0;
      for (const to of numbers) rung += (await v.phone(to).calls()).length;
      assert.equal(rung, 30, 'only the cap\'s worth of calls reached the phones');
      assert.equal((await rateLimited(v, 'prefix')) - prefixBefore, 10);
      // A refusal by the prefix cap spends nothing else (the clock stands still): the account budget lost exactly 30 sends.
      assert.equal(tokensBefore - (await accountTokens()), 30);
    });

    it('shares the per-destination send budget (5 per 10 minutes) between voiceprint calls and verifications', async (t) => {
      if (!v.ctx.voiceprints) return t.skip('no voiceprint models (models/)');
      const service = await newService(v);
      const factor = await voiceprintFactor(v, service);
      const sms = (to: string) => v.api('POST', `/v2/Services/${service}/Verifications`, { To: to, Channel: 'sms' });

      // One voiceprint call, then four SMS: the fifth SMS is the sixth send to the number.
      const first = '+14155564101';
      assert.equal((await factor.call(first)).status, 201);
      for (let i = 0; i < 4; i++) assert.equal((await sms(first)).status, 201, `SMS ${i + 1}`);
      const sixth = await sms(first);
      assert.equal(sixth.status, 429, JSON.stringify(sixth.body));
      assert.equal(sixth.body.code, 60203);
      assert.ok(Number(sixth.headers.get('retry-after')) > 0, `Retry-After ${sixth.headers.get('retry-after')}`);
      assert.equal((await v.inbox(first)).length, 4);

      // Five SMS to another number: a voiceprint call to it is refused and never rings.
      const second = '+14155564102';
      for (let i = 0; i < 5; i++) assert.equal((await sms(second)).status, 201, `SMS ${i + 1}`);
      const call = await factor.call(second);
      assert.equal(call.status, 429, JSON.stringify(call.body));
      assert.equal(call.body.code, 60203);
      assert.deepEqual(await v.phone(second).calls(), []);

      // Five voiceprint calls to a third number (each ended before the next: one live call per number), then the sixth is refused.
      const third = '+14155564103';
      for (let i = 0; i < 5; i++) {
        const placed = await factor.call(third);
        assert.equal(placed.status, 201, JSON.stringify(placed.body));
        await v.phone(third).reject(placed.body.call_sid as string);
      }
      assert.equal((await factor.call(third)).body.code, 60203);
      assert.equal((await v.phone(third).calls()).length, 5);
    });
  });

  describe(`send gate: the account send budget (${database.name})`, () => {
    let v: TestVerity;
    before(async () => {
      // Six sends at once, then one every 100 s.
      v = await startVerity({ manualClock: true, env: { ...PHONE_ENV, VERITY_SEND_ACCOUNT_BURST: '6', VERITY_SEND_ACCOUNT_PER_SECOND: '0.01' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    });
    after(async () => v.close());

    it('stops a burst spread over many services, destinations, prefixes and channels with 64301 and Retry-After; another account is unaffected', async () => {
      const services = [await newService(v), await newService(v), await newService(v)];
      const verify = (service: number, to: string, channel: string) => v.api('POST', `/v2/Services/${services[service]}/Verifications`, { To: to, Channel: channel });
      const accepted = [
        await verify(0, '+14155575001', 'sms'),
        await verify(1, '+12125575002', 'sms'),
        await verify(2, 'burst@example.com', 'email'),
        await verify(0, '+13125575003', 'call'),
        await verify(1, '+16175575004', 'flashcall'),
      ];
      for (const r of accepted) assert.equal(r.status, 201, JSON.stringify(r.body));
      const voiceprints = v.ctx.voiceprints !== undefined;
      if (voiceprints) assert.equal((await (await voiceprintFactor(v, services[2]!)).call('+17185575005')).status, 201);
      else assert.equal((await verify(2, '+17185575005', 'sms')).status, 201);

      const refused = await verify(2, '+12065575006', 'sms');
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 64301);
      assert.match(refused.body.message, /Account send budget exhausted/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 99 && retryAfter <= 101, `Retry-After ${refused.headers.get('retry-after')}`);
      assert.deepEqual(await v.inbox('+12065575006'), [], 'nothing was sent');
      assert.equal((await verify(0, 'another@example.com', 'email')).body.code, 64301);
      if (voiceprints) {
        const call = await (await voiceprintFactor(v, services[0]!)).call('+14045575007');
        assert.equal(call.body.code, 64301);
        assert.deepEqual(await v.phone('+14045575007').calls(), []);
      }
      assert.ok((await rateLimited(v, 'send_account')) >= 2, 'refusals are counted');

      // The budget is the account's: another account sends.
      const other = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      const auth = { user: other.account.sid, password: other.authToken };
      const otherService = await v.api('POST', '/v2/Services', { FriendlyName: 'Other' }, auth);
      assert.equal((await v.api('POST', `/v2/Services/${otherService.body.sid as string}/Verifications`, { To: '+12065575006', Channel: 'sms' }, auth)).status, 201);

      // It refills: after Retry-After one more send goes out.
      v.clock!.advance(retryAfter * 1000);
      assert.equal((await verify(2, '+15035575008', 'sms')).status, 201);
      assert.equal((await verify(2, '+15035575009', 'sms')).body.code, 64301);
    });
  });
}
