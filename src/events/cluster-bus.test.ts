import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openNotifyConnection, type NotifyHandlers } from '../store/notify-connection.ts';
import { openTestDatabase, type TestDatabase } from '../../test/store/test-database.ts';
import { ClusterBus } from './cluster-bus.ts';
import { BUS_RESYNC_TOPIC, type BusMessage } from './event-bus.ts';

const POSTGRES = process.env.VERITY_TEST_POSTGRES_URL;
const quiet = { info: () => undefined, warn: () => undefined };

/** Resolves with the first `count` messages `bus` delivers on `topic`. */
function received(bus: ClusterBus, topic: string, count = 1): Promise<BusMessage[]> {
  return new Promise((resolve) => {
    const got: BusMessage[] = [];
    const unsubscribe = bus.subscribe(topic, (message) => {
      got.push(message);
      if (got.length === count) {
        unsubscribe();
        resolve(got);
      }
    });
  });
}

/** A bus on `url` whose connects after the first wait for `gate` (so a test decides when it reconnects), reporting each loss. */
function gatedBus(url: string, gate: { open: Promise<void> }, lost: { next?: () => void }): ClusterBus {
  let attempts = 0;
  const bus: ClusterBus = new ClusterBus({
    logger: quiet,
    reconnectMs: { first: 1, max: 1 },
    connect: async (handlers: NotifyHandlers) => {
      if (attempts++ > 0) await gate.open;
      return openNotifyConnection(url, { ...handlers, onLost: (e) => (handlers.onLost(e), lost.next?.()) }, { applicationName: `verity-bus-${bus.nodeId}` });
    },
  });
  return bus;
}

describe('the PostgreSQL LISTEN/NOTIFY bus (two nodes on one schema)', { timeout: 30_000, skip: POSTGRES ? false : 'VERITY_TEST_POSTGRES_URL is not set' }, () => {
  let database: TestDatabase;
  let other: TestDatabase;
  const buses: ClusterBus[] = [];
  const start = async (bus: ClusterBus): Promise<ClusterBus> => {
    buses.push(bus);
    await bus.start();
    assert.ok(bus.connected, 'the bus LISTENs');
    return bus;
  };
  const node = (url = database.url) => start(new ClusterBus({ logger: quiet, connect: (h) => openNotifyConnection(url, h) }));
  before(async () => {
    database = await openTestDatabase({ name: 'postgres', postgresUrl: POSTGRES as string }, { migrate: false });
    other = await openTestDatabase({ name: 'postgres', postgresUrl: POSTGRES as string }, { migrate: false });
  });
  after(async () => {
    for (const bus of buses) await bus.close();
    await database?.close();
    await other?.close();
  });

  it('delivers a message to the other node, and the publisher hears it once (locally, not back from the database)', async () => {
    const a = await node();
    const b = await node();
    const onA: BusMessage[] = [];
    a.subscribe('verification:VE1', (m) => onA.push(m));
    const onB = received(b, 'verification:VE1');
    a.publish('verification:VE1', { type: 'verification.approved', resourceSid: 'VE1' });
    assert.deepEqual(await onB, [{ type: 'verification.approved', resourceSid: 'VE1' }]);
    // A message A sends after it, also heard by B, proves A's own first one has been through the database too.
    const second = received(b, 'challenge:YC2');
    const backOnA = received(a, 'challenge:YC2');
    a.publish('challenge:YC2', { type: 'approved', resourceSid: 'YC2' });
    await second;
    await backOnA;
    assert.deepEqual(onA, [{ type: 'verification.approved', resourceSid: 'VE1' }], 'one local delivery, none echoed');
  });

  it('keeps local topics local, and splits a burst over payloads under 8,000 bytes without losing one', async () => {
    const a = await node();
    const b = await node();
    let localOnB = 0;
    b.subscribe('outbox', () => localOnB++);
    a.publish('outbox', { type: 'verification.approved', resourceSid: 'VE1' });
    const count = 2_000; // ~90 kB of lines: a dozen payloads
    const all = received(b, 'factor:YF1', count);
    for (let i = 0; i < count; i++) a.publish('factor:YF1', { type: 'notify', resourceSid: `YC${String(i).padStart(32, '0')}` });
    const got = await all;
    assert.deepEqual(
      got.map((m) => m.resourceSid),
      Array.from({ length: count }, (_, i) => `YC${String(i).padStart(32, '0')}`),
      'every message, in order',
    );
    assert.equal(localOnB, 0, 'outbox is not forwarded');
  });

  it('does not cross schemas (another deployment or test on the same database hears nothing)', async () => {
    const a = await node();
    const stranger = await node(other.url);
    let heard = 0;
    stranger.subscribe('verification:VE9', () => heard++);
    const b = await node();
    const onB = received(b, 'verification:VE9');
    a.publish('verification:VE9', { type: 'x', resourceSid: 'VE9' });
    await onB;
    // The stranger LISTENs on its own channel: a message to it afterwards arrives, the earlier one never did.
    const own = received(stranger, 'verification:VE9');
    const strangerPeer = await node(other.url);
    strangerPeer.publish('verification:VE9', { type: 'y', resourceSid: 'VE9' });
    assert.deepEqual(await own, [{ type: 'y', resourceSid: 'VE9' }]);
    assert.equal(heard, 1, 'only its own schema’s message');
  });

  it('reconnects after its connection is terminated, says to resync, and sends what it queued meanwhile', async () => {
    const gate: { open: Promise<void> } = { open: new Promise(() => undefined) };
    let openGate = (): void => undefined;
    gate.open = new Promise((resolve) => (openGate = resolve));
    const lost: { next?: () => void } = {};
    const a = await start(gatedBus(database.url, gate, lost));
    const b = await node();
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    try {
      const dropped = new Promise<void>((resolve) => (lost.next = resolve));
      const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1', [`verity-bus-${a.nodeId}`]);
      assert.deepEqual(rows, [{ killed: true }]);
      await dropped;
      assert.equal(a.connected, false);
      // While A is away: B's message to A is lost (the reason for the resync), A's to B is kept.
      let missed = 0;
      a.subscribe('verification:VE5', () => missed++);
      const c = await node();
      const committed = received(c, 'verification:VE5');
      const bSent = received(b, 'verification:VE6');
      b.publish('verification:VE5', { type: 'while-away', resourceSid: 'VE5' });
      a.publish('verification:VE6', { type: 'queued', resourceSid: 'VE6' });
      // A third node heard B's NOTIFY: it was committed before A LISTENs again, so A never gets it.
      await committed;
      const resync = received(a, BUS_RESYNC_TOPIC);
      openGate();
      assert.deepEqual(await resync, [{ type: 'resync', resourceSid: '' }]);
      assert.ok(a.connected, 'A is back');
      assert.deepEqual(await bSent, [{ type: 'queued', resourceSid: 'VE6' }], 'what A queued while away reaches B');
      assert.equal(missed, 0, 'the message sent while A was away is lost: only the resync tells A to re-read');
    } finally {
      await admin.end();
    }
  });
});
