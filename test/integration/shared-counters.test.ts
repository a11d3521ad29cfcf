import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src/create-context.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import { startServer } from '../../src/server.ts';
import { DATABASES, startVerity, UNLIMITED_API_RATES, type TestVerity } from '../support/start-verity.ts';
import { basic } from '../support/test-helpers.ts';

/**
 * The send gate's shared counters (the prefix cap and the account budget) and a service's RateLimits are
 * taken in statements of their own before a create's transaction and given back when the create is refused
 * or rolls back (src/store/rate-limit-store.ts BucketCharges). Many simultaneous creates through two nodes on
 * one database must never get more sends than a bucket holds, and a refused create must spend nothing.
 * The clock is a manual one shared by both nodes: nothing refills during a test.
 */

const PREFIX_CAP = 5;
const ACCOUNT_BURST = 40;
const ENV = {
  VERITY_FRAUD_PREFIX_MAX_SENDS: String(PREFIX_CAP),
  VERITY_SEND_ACCOUNT_BURST: String(ACCOUNT_BURST),
  VERITY_SEND_ACCOUNT_PER_SECOND: '0.001',
};

type Reply = { status: number; body: any };

function tally(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status < 300 ? String(r.status) : String(r.body?.code);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Another Verity node on the same database, data folder and clock, with the same limits. */
async function startPeer(first: TestVerity): Promise<{ url: string; close: () => Promise<void> }> {
  const config = loadVerityConfig({
    NODE_ENV: 'test',
    VERITY_DATA_DIR: first.ctx.config.dataDir,
    VERITY_DATABASE_URL: first.ctx.config.databaseUrl,
    VERITY_PORT: '0',
    VERITY_LOG_LEVEL: 'warn',
    ...UNLIMITED_API_RATES,
    ...ENV,
  });
  const ctx = await createContext(config, { logDestination: new Writable({ write: (_c, _e, cb) => cb() }), clock: first.ctx.clock });
  const server = await startServer(ctx, { port: 0, host: '127.0.0.1' });
  ctx.config.publicUrl = server.url;
  return { url: server.url, close: () => server.close() };
}

for (const database of DATABASES) {
  describe(`shared send counters under simultaneous creates on two nodes (${database.name})`, () => {
    let v: TestVerity;
    let peer: { url: string; close: () => Promise<void> };
    let urls: string[];
    before(async () => {
      v = await startVerity({ manualClock: true, env: ENV, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      peer = await startPeer(v);
      urls = [v.url, peer.url];
    });
    after(async () => {
      await peer?.close();
      await v?.close();
    });

    const newService = async (): Promise<string> => {
      const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Counters' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.sid as string;
    };
    /** A create over real HTTP to node `i % 2` (the load balancer's view). */
    const create = async (i: number, serviceSid: string, form: Record<string, string>): Promise<Reply> => {
      const res = await fetch(`${urls[i % urls.length]}/v2/Services/${serviceSid}/Verifications`, {
        method: 'POST',
        headers: { authorization: basic(v.accountSid, v.authToken), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    const tokens = async (key: string): Promise<number | undefined> => {
      const row = await v.ctx.db.kysely.selectFrom('rate_buckets').select('tokens').where('key', '=', key).executeTakeFirst();
      return row === undefined ? undefined : Number(row.tokens);
    };
    const accountTokens = async () => (await tokens(`send-account:${v.accountSid}`)) ?? ACCOUNT_BURST;
    const sent = async (serviceSid: string) => (await v.ctx.db.kysely.selectFrom('verifications').select('sid').where('service_sid', '=', serviceSid).execute()).length;

    it(`admits exactly the prefix cap (${PREFIX_CAP}) of 30 simultaneous creates into one prefix; the rest get 60410 and spend nothing`, async () => {
      const serviceSid = await newService();
      const before = await accountTokens();
      const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => create(i, serviceSid, { To: `+1415556${String(1000 + i)}`, Channel: 'sms' })));
      assert.deepEqual(tally(replies), { '201': PREFIX_CAP, '60410': 30 - PREFIX_CAP });
      assert.equal(await sent(serviceSid), PREFIX_CAP, 'one verification per admitted create');
      assert.equal(await tokens(`prefix:${serviceSid}:+1415556`), 0, 'the prefix bucket is spent, not overdrawn');
      assert.equal(before - (await accountTokens()), PREFIX_CAP, 'the 25 refused creates gave their account tokens back');
    });

    it('gives back the service RateLimits of creates refused by the send gate', async () => {
      const serviceSid = await newService();
      const limit = await v.api('POST', `/v2/Services/${serviceSid}/RateLimits`, { UniqueName: 'end_user_ip_address' });
      assert.equal(limit.status, 201, JSON.stringify(limit.body));
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/RateLimits/${limit.body.sid as string}/Buckets`, { Max: '3', Interval: '3600' })).status, 201);
      const form = (to: string) => ({ To: to, Channel: 'sms', RateLimits: JSON.stringify({ end_user_ip_address: '203.0.113.9' }) });
      // Spend one number's per-destination budget with another IP value, then race 12 creates with the value: 6 to the spent number, 6 fresh.
      const busy = '+12025550200';
      for (let i = 0; i < 5; i++) assert.equal((await create(i, serviceSid, { To: busy, Channel: 'sms' })).status, 201);
      const replies = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => create(i, serviceSid, form(busy))),
        ...Array.from({ length: 6 }, (_, i) => create(i, serviceSid, form(`+1646${200 + i}0100`))),
      ]);
      const fresh = tally(replies.slice(6));
      const passed = fresh['201'] ?? 0;
      assert.ok(passed <= 3, `at most Max (3) pass: ${JSON.stringify(fresh)}`);
      for (const r of replies.slice(0, 6)) assert.ok(r.body?.code === 60203 || r.body?.code === 20429, JSON.stringify(r.body));
      // What the refused creates took came back: exactly 3 - passed more pass, one after another.
      const after = [];
      for (let i = 0; i < 3 - passed + 1; i++) after.push(await create(i, serviceSid, form(`+1646${300 + i}0100`)));
      assert.deepEqual(tally(after), { ...(3 - passed > 0 ? { '201': 3 - passed } : {}), '20429': 1 });
    });
    it('gives back the prefix and account tokens of creates refused later, in the transaction (60203), while others race for the last tokens', async () => {
      const serviceSid = await newService();
      // Spend the per-destination budget of one number (5 per 10 minutes): later creates to it are refused in the transaction.
      const busy = '+12025550100';
      for (let i = 0; i < 5; i++) assert.equal((await create(i, serviceSid, { To: busy, Channel: 'sms' })).status, 201);
      const left = await accountTokens();
      assert.ok(left > 10, `enough account tokens left for the race (${left})`);
      // The race: 20 creates to the busy number (each takes an account token before its transaction, then is refused),
      // and more creates to fresh numbers (one per prefix) than the account has tokens.
      const fresh = Array.from({ length: left + 10 }, (_, i) => `+1415${200 + i}0100`);
      const replies = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => create(i, serviceSid, { To: busy, Channel: 'sms' })),
        ...fresh.map((to, i) => create(i + 1, serviceSid, { To: to, Channel: 'sms' })),
      ]);
      const busyTally = tally(replies.slice(0, 20));
      assert.deepEqual(busyTally, { '60203': 20 }, 'the per-destination budget answers first');
      const admitted = replies.slice(20).filter((r) => r.status === 201).length;
      assert.ok(admitted <= left, `never more creates than the account's tokens (${admitted} of ${left})`);
      assert.deepEqual(
        Object.keys(tally(replies.slice(20))).filter((k) => k !== '201' && k !== '64301'),
        [],
        'the fresh numbers are admitted or refused by the account budget',
      );
      // Every refused create gave back what it took: exactly the unspent tokens remain, and exactly that many more creates pass.
      assert.equal(await accountTokens(), left - admitted, 'the bucket holds what the admitted creates did not spend');
      const after = [];
      for (let i = 0; i < left - admitted + 2; i++) after.push(await create(i, serviceSid, { To: `+1212${200 + i}0199`, Channel: 'sms' }));
      assert.deepEqual(tally(after), { ...(left - admitted > 0 ? { '201': left - admitted } : {}), '64301': 2 });
      assert.equal(await sent(serviceSid), 1 + left);
    });

  });
}
