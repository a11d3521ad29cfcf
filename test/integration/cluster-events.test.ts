import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { readServerSentEvents, type ServerSentEvent } from '../../src/authenticator/sse-reader.ts';
import type { AppContext } from '../../src/context.ts';
import { createContext } from '../../src/create-context.ts';
import { BUS_RESYNC_TOPIC } from '../../src/events/event-bus.ts';
import type { ClusterBus } from '../../src/events/cluster-bus.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { verificationEventsToken } from '../../src/voice/verification-events-token.ts';
import { collectEvents, enrollDevice } from '../support/push-device.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { nextSubscription } from '../support/wait-for.ts';

const POSTGRES = process.env.VERITY_TEST_POSTGRES_URL;

/**
 * Two Verity nodes on one PostgreSQL schema (issue 16 item 3): a live stream open on node A hears
 * what node B changed, by LISTEN/NOTIFY, with no polling (the streams' safety re-read comes minutes
 * later, so without the cluster bus every wait below would run into its deadline and fail).
 */
describe('events across nodes (PostgreSQL LISTEN/NOTIFY)', { timeout: 60_000, skip: POSTGRES ? false : 'VERITY_TEST_POSTGRES_URL is not set' }, () => {
  let a: TestVerity;
  let b: { ctx: AppContext; server: RunningServer };
  let serviceSid: string;
  let counter = 0;
  const newNumber = () => `+1415555${String(Date.now() % 1000).padStart(3, '0')}${++counter}`.slice(0, 12);
  /** A call to node B with A's account credentials (one database: the account exists on both). */
  const onB = async (method: string, path: string, form: Record<string, string>) => {
    const res = await fetch(b.server.url + path, {
      method,
      headers: { authorization: 'Basic ' + Buffer.from(`${a.accountSid}:${a.authToken}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  /** Reads a stream to its end, or until `deadlineMs` (then `ended` is false). */
  const readToEnd = async (url: string, deadlineMs = 15_000): Promise<{ ended: boolean; events: ServerSentEvent[] }> => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), deadlineMs);
    const events: ServerSentEvent[] = [];
    try {
      const res = await fetch(url, { signal: abort.signal });
      assert.equal(res.status, 200);
      for await (const event of readServerSentEvents(res.body as AsyncIterable<Uint8Array>)) events.push(event);
      return { ended: true, events };
    } catch (error) {
      if (abort.signal.aborted) return { ended: false, events };
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  const newVerification = async () => {
    const to = newNumber();
    const created = await a.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sid = created.body.sid as string;
    return { to, sid, url: `${a.url}/events/v1/Verifications/${sid}/${verificationEventsToken(a.ctx, sid)}` };
  };

  before(async () => {
    a = await startVerity({ postgresUrl: POSTGRES as string });
    // Node B: its own context (pool, LISTEN connection, background jobs) on A's database, schema and master key.
    const ctx = await createContext(a.ctx.config, { logDestination: new Writable({ write: (_c, _e, cb) => cb() }) });
    b = { ctx, server: await startServer(ctx, { port: 0, host: '127.0.0.1' }) };
    serviceSid = (await a.api('POST', '/v2/Services', { FriendlyName: 'Two nodes' })).body.sid as string;
  });
  after(async () => {
    await b?.server.close();
    await a?.close();
  });

  it('ends a verification stream open on node A when the code is checked on node B', async () => {
    const v = await newVerification();
    const subscribed = nextSubscription(a.ctx.bus, `verification:${v.sid}`);
    const stream = readToEnd(v.url);
    await subscribed;
    const check = await onB('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: v.to, Code: await a.lastCode(v.to) });
    assert.equal(check.body.status, 'approved', JSON.stringify(check.body));
    const { ended } = await stream;
    assert.ok(ended, 'the stream on A saw the approval made on B and ended');
  });

  it('shows a challenge created on node B, and again after a re-send asked on node B, on a device stream open on node A', async () => {
    const identity = `user-${Date.now().toString(36)}`;
    const device = await enrollDevice(a, serviceSid, identity);
    const subscribed = nextSubscription(a.ctx.bus, `factor:${device.factorSid}`);
    let resend: Promise<{ status: number; body: Record<string, any> }> | undefined;
    const received = collectEvents(
      `${a.url}/device/v1/Factors/${device.factorSid}/Challenges/Stream`,
      { authorization: `Bearer ${await device.token()}` },
      (events) => {
        if (events.length === 1) {
          const sid = (JSON.parse(events[0]?.data ?? '{}') as { sid: string }).sid;
          resend = onB('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${sid}/Notifications`, { Ttl: '60' });
        }
        return events.length >= 2;
      },
      15_000,
    );
    await subscribed;
    const challenge = await onB('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges`, { FactorSid: device.factorSid, 'Details.Message': 'Log in?' });
    assert.equal(challenge.status, 201, JSON.stringify(challenge.body));
    const events = await received;
    assert.deepEqual(
      events.map((e) => [e.event, (JSON.parse(e.data) as { sid: string }).sid]),
      [['challenge', challenge.body.sid], ['challenge', challenge.body.sid]],
      'shown once when created on B, once more when re-sent on B',
    );
    assert.equal((await resend)?.status, 201);
  });

  it('reconnects a killed LISTEN connection and the streams catch up', async () => {
    const v = await newVerification();
    const subscribed = nextSubscription(a.ctx.bus, `verification:${v.sid}`);
    const stream = readToEnd(v.url);
    await subscribed;
    const resynced = new Promise<void>((resolve) => {
      const off = a.ctx.bus.subscribe(BUS_RESYNC_TOPIC, () => (off(), resolve()));
    });
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    try {
      const nodeId = (a.ctx.bus as ClusterBus).nodeId;
      const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1', [`verity-bus-${nodeId}`]);
      assert.deepEqual(rows, [{ killed: true }], 'A’s listener was found and terminated');
    } finally {
      await admin.end();
    }
    // Checked on B at once: A is likely still away and misses the NOTIFY; its resync re-reads the stream.
    const check = await onB('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: v.to, Code: await a.lastCode(v.to) });
    assert.equal(check.body.status, 'approved');
    await resynced;
    assert.ok((a.ctx.bus as ClusterBus).connected, 'A listens again');
    const { ended } = await stream;
    assert.ok(ended, 'the stream on A caught up with the approval made on B');
  });
});
