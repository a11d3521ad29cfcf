import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src/create-context.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import { startServer } from '../../src/server.ts';
import { DATABASES, startVerity, UNLIMITED_API_RATES, type TestVerity } from '../support/start-verity.ts';
import { basic } from '../support/test-helpers.ts';

/**
 * Verify's Service Rate Limits (RK…) and Buckets (BL…) through the official twilio client, and
 * the `RateLimits` of a verification enforced: every bucket of every named rate limit counts the
 * value, a full one refuses with 20429, atomically across concurrent requests and nodes.
 */

const RATE_LIMIT_FIELDS = ['account_sid', 'date_created', 'date_updated', 'description', 'links', 'service_sid', 'sid', 'unique_name', 'url'];
const BUCKET_FIELDS = ['account_sid', 'date_created', 'date_updated', 'interval', 'max', 'rate_limit_sid', 'service_sid', 'sid', 'url'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

type Reply = { status: number; body: any; headers: Headers };

/** The twilio client's RestException as `{status, code}` (or the value, when the call succeeded). */
async function failure(call: Promise<unknown>): Promise<{ status: number; code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status: number; code: number; message: string };
    return { status: e.status, code: e.code, message: e.message };
  }
  assert.fail('expected the call to fail');
}

/** Replies by status and code, e.g. `{ '201': 3, '429 20429': 17 }`. */
function tally(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status < 300 ? String(r.status) : `${r.status} ${r.body?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Another Verity node on the same database, data folder (master key) and clock. */
async function startPeer(first: TestVerity): Promise<{ url: string; close: () => Promise<void> }> {
  const config = loadVerityConfig({
    NODE_ENV: 'test',
    VERITY_DATA_DIR: first.ctx.config.dataDir,
    VERITY_DATABASE_URL: first.ctx.config.databaseUrl,
    VERITY_PORT: '0',
    VERITY_LOG_LEVEL: 'warn',
    ...UNLIMITED_API_RATES,
  });
  const ctx = await createContext(config, { logDestination: new Writable({ write: (_c, _e, cb) => cb() }), clock: first.ctx.clock });
  const server = await startServer(ctx, { port: 0, host: '127.0.0.1' });
  ctx.config.publicUrl = server.url;
  return { url: server.url, close: () => server.close() };
}

/** A verification create over real HTTP to one node (the load-balancer view). */
async function startOver(url: string, v: TestVerity, serviceSid: string, form: Record<string, string>): Promise<Reply> {
  const res = await fetch(`${url}/v2/Services/${serviceSid}/Verifications`, {
    method: 'POST',
    headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

for (const database of DATABASES) {
  describe(`Service Rate Limits and Buckets (${database.name})`, () => {
    let v: TestVerity;
    let numbers = 0;
    /** A destination not used before in this suite (fresh send limits). */
    const freshNumber = () => `+1415555${String(1000 + ++numbers).padStart(4, '0')}`;
    const newService = async (): Promise<string> => (await v.client.verify.v2.services.create({ friendlyName: 'Rate limited' })).sid;

    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
    });
    after(async () => v?.close());

    it('creates, fetches (by SID and UniqueName), lists, updates and deletes rate limits and buckets through the twilio client', async () => {
      const serviceSid = await newService();
      const service = v.client.verify.v2.services(serviceSid);
      const created = await service.rateLimits.create({ uniqueName: 'end_user_ip_address', description: 'End user IP' });
      assert.match(created.sid, /^RK[0-9a-f]{32}$/);
      assert.equal(created.serviceSid, serviceSid);
      assert.equal(created.accountSid, v.accountSid);
      assert.equal(created.uniqueName, 'end_user_ip_address');
      assert.equal(created.description, 'End user IP');
      assert.deepEqual(created.links, { buckets: `${v.url}/v2/Services/${serviceSid}/RateLimits/${created.sid}/Buckets` });
      assert.equal(created.url, `${v.url}/v2/Services/${serviceSid}/RateLimits/${created.sid}`);

      const raw = await v.api('GET', `/v2/Services/${serviceSid}/RateLimits/${created.sid}`);
      assert.equal(raw.status, 200);
      assert.deepEqual(Object.keys(raw.body).sort(), RATE_LIMIT_FIELDS);
      assert.match(raw.body.date_created, ISO);
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/RateLimits/end_user_ip_address`)).body.sid, created.sid, 'addressable by its UniqueName');

      const fetched = await service.rateLimits(created.sid).fetch();
      assert.equal(fetched.uniqueName, 'end_user_ip_address');
      v.clock?.advance(2000);
      const updated = await service.rateLimits(created.sid).update({ description: 'Client IP' });
      assert.equal(updated.description, 'Client IP');
      assert.equal(updated.uniqueName, 'end_user_ip_address');
      assert.notEqual(updated.dateUpdated.getTime(), updated.dateCreated.getTime());

      const second = await service.rateLimits.create({ uniqueName: 'session.id-2' });
      assert.equal(second.description, null);
      const listed = await service.rateLimits.list();
      assert.deepEqual(listed.map((r) => r.uniqueName), ['end_user_ip_address', 'session.id-2']);

      const buckets = service.rateLimits(created.sid).buckets;
      const bucket = await buckets.create({ max: 3, interval: 60 });
      assert.match(bucket.sid, /^BL[0-9a-f]{32}$/);
      assert.equal(bucket.rateLimitSid, created.sid);
      assert.equal(bucket.serviceSid, serviceSid);
      assert.equal(bucket.accountSid, v.accountSid);
      assert.equal(bucket.max, 3);
      assert.equal(bucket.interval, 60);
      assert.equal(bucket.url, `${v.url}/v2/Services/${serviceSid}/RateLimits/${created.sid}/Buckets/${bucket.sid}`);
      const rawBucket = await v.api('GET', `/v2/Services/${serviceSid}/RateLimits/${created.sid}/Buckets/${bucket.sid}`);
      assert.deepEqual(Object.keys(rawBucket.body).sort(), BUCKET_FIELDS);
      assert.equal((await service.rateLimits(created.sid).buckets(bucket.sid).fetch()).max, 3);
      v.clock?.advance(1000); // the manual clock stands still: a later creation time orders the list
      const hourly = await buckets.create({ max: 10, interval: 3600 });
      assert.deepEqual((await buckets.list()).map((b) => b.sid), [bucket.sid, hourly.sid]);
      const changed = await service.rateLimits(created.sid).buckets(bucket.sid).update({ max: 4 });
      assert.deepEqual([changed.max, changed.interval], [4, 60]);
      const moved = await service.rateLimits(created.sid).buckets(bucket.sid).update({ interval: 120 });
      assert.deepEqual([moved.max, moved.interval], [4, 120]);

      assert.equal(await service.rateLimits(created.sid).buckets(hourly.sid).remove(), true);
      assert.equal((await failure(service.rateLimits(created.sid).buckets(hourly.sid).fetch())).code, 20404);
      assert.equal(await service.rateLimits(created.sid).remove(), true);
      const gone = await failure(service.rateLimits(created.sid).fetch());
      assert.deepEqual([gone.status, gone.code], [404, 20404]);
      const rows = await v.ctx.db.kysely.selectFrom('rate_limit_buckets').select('sid').where('rate_limit_sid', '=', created.sid).execute();
      assert.equal(rows.length, 0, 'deleting a rate limit deletes its buckets');
      assert.equal((await service.rateLimits.list()).length, 1);
    });

    it('answers the hosted API\'s errors: 60208, 60209, 60207, 60210, 60211, 60200, 20404', async () => {
      const serviceSid = await newService();
      const service = v.client.verify.v2.services(serviceSid);
      const limit = await service.rateLimits.create({ uniqueName: 'ip' });
      assert.deepEqual(Object.values(await failure(service.rateLimits.create({ uniqueName: 'ip' }))).slice(0, 2), [400, 60208]);
      for (const bad of ['has space', 'emoji☃', 'slash/name', `RK${'a'.repeat(32)}`]) {
        assert.equal((await failure(service.rateLimits.create({ uniqueName: bad }))).code, 60209, bad);
      }
      assert.equal((await failure(service.rateLimits.create({ uniqueName: 'x'.repeat(101) }))).code, 60200);
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/RateLimits`, {})).body.code, 60200, 'UniqueName is required');
      for (let i = 1; i < 20; i++) await service.rateLimits.create({ uniqueName: `key_${i}` });
      const full = await failure(service.rateLimits.create({ uniqueName: 'one_too_many' }));
      assert.deepEqual([full.status, full.code], [400, 60207]);

      const buckets = service.rateLimits(limit.sid).buckets;
      const first = await buckets.create({ max: 1, interval: 1 });
      assert.deepEqual(Object.values(await failure(buckets.create({ max: 5, interval: 1 }))).slice(0, 2), [400, 60211]);
      for (const interval of [60, 3600, 7200, 86_400]) await buckets.create({ max: 5, interval });
      assert.equal((await failure(buckets.create({ max: 5, interval: 30 }))).code, 60210);
      assert.equal((await failure(service.rateLimits(limit.sid).buckets(first.sid).update({ interval: 60 }))).code, 60211, 'an update may not duplicate an interval either');
      const extra = await service.rateLimits.create({ uniqueName: 'ranges' }).catch(() => undefined);
      assert.equal(extra, undefined, 'the service is full');
      const ranges = service.rateLimits('key_1').buckets;
      for (const [max, interval] of [[0, 60], [100_001, 60], [5, 0], [5, 86_401]] as const) {
        assert.equal((await failure(ranges.create({ max, interval }))).code, 60200, `${max}/${interval}`);
      }
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/RateLimits/key_1/Buckets`, { Max: '5' })).body.code, 60200, 'Interval is required');
      assert.equal((await failure(service.rateLimits(`RK${'0'.repeat(32)}`).fetch())).code, 20404);
      assert.equal((await failure(service.rateLimits(limit.sid).buckets('BLnot-a-sid').fetch())).code, 20404);
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/RateLimits/nope/Buckets`, { Max: 'x' })).body.code, 20404, 'an unknown rate limit answers 20404 before the body is judged');
      assert.equal((await failure(v.client.verify.v2.services(`VA${'0'.repeat(32)}`).rateLimits.list())).code, 20404);
    });

    it('enforces RateLimits on verification create: Max per value, 20429 with Retry-After, refill, other values and no charge on refusal', async () => {
      const serviceSid = await newService();
      const service = v.client.verify.v2.services(serviceSid);
      const ip = await service.rateLimits.create({ uniqueName: 'end_user_ip_address' });
      const perMinute = await service.rateLimits(ip.sid).buckets.create({ max: 3, interval: 60 });
      const perHour = await service.rateLimits(ip.sid).buckets.create({ max: 5, interval: 3600 });
      const start = (to: string, rateLimits?: Record<string, string>) => service.verifications.create({ to, channel: 'sms', ...(rateLimits ? { rateLimits } : {}) });

      for (let i = 0; i < 3; i++) assert.equal((await start(freshNumber(), { end_user_ip_address: '1.2.3.4' })).status, 'pending');
      const refusedTo = freshNumber();
      const refused = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: refusedTo, Channel: 'sms', RateLimits: JSON.stringify({ end_user_ip_address: '1.2.3.4' }) });
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 20429);
      assert.match(refused.body.message, /end_user_ip_address allows 3 verifications per 60 seconds/);
      assert.equal(refused.headers.get('retry-after'), '20', 'one token refills in 60 / 3 s');
      assert.deepEqual(await v.inbox(refusedTo), [], 'nothing was sent');
      const counted = (await v.ctx.metrics.rateLimited.get()).values.find((m) => m.labels.limit === 'service_rate_limit');
      assert.equal(counted?.value, 1, 'the refusal is counted in verity_rate_limited_total');
      assert.equal((await failure(start(refusedTo, { end_user_ip_address: '1.2.3.4' }))).code, 20429, 'the twilio client sees 20429');

      // Another value has its own buckets; no RateLimits limits nothing; the refused number spent none of its send limit.
      assert.equal((await start(refusedTo, { end_user_ip_address: '5.6.7.8' })).status, 'pending');
      assert.equal((await start(freshNumber())).status, 'pending');

      // The refusal rolled back the hourly bucket: it counted 3 of 5, not 5.
      const hourly = await v.ctx.db.kysely.selectFrom('rate_buckets').select(['key', 'tokens']).where('key', 'like', `service-rate:${perHour.sid}:%`).execute();
      assert.equal(hourly.length, 2, 'one count per value');
      assert.ok(hourly.every((row) => !row.key.includes('1.2.3.4') && !row.key.includes('5.6.7.8')), 'values are stored as keyed digests only');
      assert.deepEqual(hourly.map((row) => Math.round(Number(row.tokens))).sort(), [2, 4]);

      // 20 s later one more verification fits the per-minute bucket; then the hourly one (5) is full.
      v.clock?.advance(20_000);
      assert.equal((await start(freshNumber(), { end_user_ip_address: '1.2.3.4' })).status, 'pending');
      assert.equal((await failure(start(freshNumber(), { end_user_ip_address: '1.2.3.4' }))).code, 20429);
      v.clock?.advance(60_000);
      assert.equal((await start(freshNumber(), { end_user_ip_address: '1.2.3.4' })).status, 'pending', 'the 5th in the hour');
      v.clock?.advance(60_000);
      const hourFull = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: freshNumber(), Channel: 'sms', RateLimits: JSON.stringify({ end_user_ip_address: '1.2.3.4' }) });
      assert.equal(hourFull.body.code, 20429);
      assert.match(hourFull.body.message, /allows 5 verifications per 3600 seconds/);

      // A resend of a pending verification is a send too.
      const resendTo = freshNumber();
      await start(resendTo, { end_user_ip_address: '9.9.9.9' });
      await start(resendTo, { end_user_ip_address: '9.9.9.9' });
      await start(resendTo, { end_user_ip_address: '9.9.9.9' });
      assert.equal((await failure(start(resendTo, { end_user_ip_address: '9.9.9.9' }))).code, 20429);
      assert.equal((await v.inbox(resendTo)).length, 3);

      // A lower Max applies at once; deleting the bucket lifts it.
      await service.rateLimits(ip.sid).buckets(perMinute.sid).update({ max: 1 });
      await start(freshNumber(), { end_user_ip_address: '10.0.0.1' });
      assert.equal((await failure(start(freshNumber(), { end_user_ip_address: '10.0.0.1' }))).code, 20429);
      await service.rateLimits(ip.sid).buckets(perMinute.sid).remove();
      assert.equal((await start(freshNumber(), { end_user_ip_address: '10.0.0.1' })).status, 'pending');
    });

    it('refuses RateLimits that name no rate limit of the service, or carry a bad value, with 60200; a rate limit without buckets limits nothing', async () => {
      const serviceSid = await newService();
      const service = v.client.verify.v2.services(serviceSid);
      await service.rateLimits.create({ uniqueName: 'session' });
      const to = freshNumber();
      const unknown = await failure(service.verifications.create({ to, channel: 'sms', rateLimits: { end_user_ip_address: '1.2.3.4' } }));
      assert.deepEqual([unknown.status, unknown.code], [400, 60200]);
      assert.match(unknown.message, /RateLimits \(the service has no rate limit named end_user_ip_address\)/);
      for (const bad of ['{"session": {"a": 1}}', '{"session": ""}', `{"session": "${'x'.repeat(257)}"}`, '["session"]', 'not json']) {
        const r = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms', RateLimits: bad });
        assert.deepEqual([r.status, r.body.code], [400, 60200], bad);
      }
      assert.deepEqual(await v.inbox(to), []);
      for (let i = 0; i < 4; i++) assert.equal((await service.verifications.create({ to: freshNumber(), channel: 'sms', rateLimits: { session: 'abc' } })).status, 'pending');
      // Another service's rate limit of the same name is not this one's.
      const other = await newService();
      assert.equal((await failure(v.client.verify.v2.services(other).verifications.create({ to: freshNumber(), channel: 'sms', rateLimits: { session: 'abc' } }))).code, 60200);
    });

    it('pages rate limits with the hosted API\'s meta', async () => {
      const serviceSid = await newService();
      for (const name of ['a', 'b', 'c']) {
        await v.client.verify.v2.services(serviceSid).rateLimits.create({ uniqueName: name });
        v.clock?.advance(1000);
      }
      const page = await v.api('GET', `/v2/Services/${serviceSid}/RateLimits?PageSize=2`);
      assert.equal(page.status, 200);
      assert.deepEqual(page.body.rate_limits.map((r: { unique_name: string }) => r.unique_name), ['a', 'b']);
      assert.equal(page.body.meta.key, 'rate_limits');
      assert.equal(page.body.meta.page_size, 2);
      assert.ok(page.body.meta.next_page_url, 'a next page');
      const next = await v.api('GET', String(page.body.meta.next_page_url).replace(v.url, ''));
      assert.deepEqual(next.body.rate_limits.map((r: { unique_name: string }) => r.unique_name), ['c']);
      assert.equal(next.body.meta.next_page_url, null);
      const all = await v.client.verify.v2.services(serviceSid).rateLimits.list({ pageSize: 1 });
      assert.equal(all.length, 3, 'the client follows next_page_url');
      const buckets = await v.api('GET', `/v2/Services/${serviceSid}/RateLimits/a/Buckets`);
      assert.deepEqual([buckets.body.buckets, buckets.body.meta.key], [[], 'buckets']);
    });

    it('deleting the service deletes its rate limits and buckets', async () => {
      const serviceSid = await newService();
      const limit = await v.client.verify.v2.services(serviceSid).rateLimits.create({ uniqueName: 'ip' });
      await v.client.verify.v2.services(serviceSid).rateLimits(limit.sid).buckets.create({ max: 1, interval: 60 });
      assert.equal(await v.client.verify.v2.services(serviceSid).remove(), true);
      const db = v.ctx.db.kysely;
      assert.equal((await db.selectFrom('rate_limits').select('sid').where('service_sid', '=', serviceSid).execute()).length, 0);
      assert.equal((await db.selectFrom('rate_limit_buckets').select('sid').where('rate_limit_sid', '=', limit.sid).execute()).length, 0);
    });

    it('keeps the caps and uniqueness under simultaneous creates (60207, 60208, 60210, 60211)', async () => {
      const serviceSid = await newService();
      const post = (path: string, form: Record<string, string>) => v.api('POST', `/v2/Services/${serviceSid}${path}`, form);
      const sameName = await Promise.all(Array.from({ length: 8 }, () => post('/RateLimits', { UniqueName: 'same' })));
      assert.deepEqual(tally(sameName), { '201': 1, '400 60208': 7 });
      for (let i = 0; i < 17; i++) await post('/RateLimits', { UniqueName: `filler_${i}` });
      const lastTwo = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/RateLimits', { UniqueName: `late_${i}` })));
      assert.deepEqual(tally(lastTwo), { '201': 2, '400 60207': 6 });
      const sameInterval = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/RateLimits/same/Buckets', { Max: String(i + 1), Interval: '60' })));
      assert.deepEqual(tally(sameInterval), { '201': 1, '400 60211': 7 });
      const more = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/RateLimits/same/Buckets', { Max: '1', Interval: String(100 + i) })));
      assert.deepEqual(tally(more), { '201': 4, '400 60210': 4 });
    });

    it('lets exactly Max of 24 simultaneous verifications through a bucket of Max 3', async () => {
      const serviceSid = await newService();
      const limit = await v.client.verify.v2.services(serviceSid).rateLimits.create({ uniqueName: 'end_user_ip_address' });
      await v.client.verify.v2.services(serviceSid).rateLimits(limit.sid).buckets.create({ max: 3, interval: 3600 });
      const form = () => ({ To: freshNumber(), Channel: 'sms', RateLimits: JSON.stringify({ end_user_ip_address: '203.0.113.7' }) });
      const replies = await Promise.all(Array.from({ length: 24 }, () => startOver(v.url, v, serviceSid, form())));
      assert.deepEqual(tally(replies), { '201': 3, '429 20429': 21 });
    });

    if (database.postgresUrl) {
      it('counts across nodes: of 30 simultaneous verifications spread over three nodes exactly 3 pass', async () => {
        const peers = [await startPeer(v), await startPeer(v)];
        try {
          const urls = [v.url, ...peers.map((p) => p.url)];
          const serviceSid = await newService();
          const limit = await v.client.verify.v2.services(serviceSid).rateLimits.create({ uniqueName: 'end_user_ip_address' });
          await v.client.verify.v2.services(serviceSid).rateLimits(limit.sid).buckets.create({ max: 3, interval: 3600 });
          const replies = await Promise.all(
            Array.from({ length: 30 }, (_, i) => startOver(urls[i % urls.length] as string, v, serviceSid, { To: freshNumber(), Channel: 'sms', RateLimits: JSON.stringify({ end_user_ip_address: '198.51.100.1' }) })),
          );
          assert.deepEqual(tally(replies), { '201': 3, '429 20429': 27 });
        } finally {
          for (const peer of peers) await peer.close();
        }
      });
    }
  });
}
