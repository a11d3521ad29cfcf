import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, test } from 'node:test';
import { pino } from 'pino';
import { openEventsFixture, startReceiver, type EventsFixture, type Receiver } from '../../test/support/events-fixture.ts';
import { PUBLIC_ONLY, type OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import type { ResolvedAddress, ResolveHost } from '../net/resolve-outbound-target.ts';
import { recordEvent } from './record-event.ts';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';
import { checkWebhookUrl } from './webhook-target.ts';
import { createWebhook } from './webhooks-store.ts';

/**
 * SSRF at delivery time: the dispatcher resolves a webhook's host once, checks every address and
 * connects only to those, so neither a URL registered before the policy nor a DNS answer that
 * changes after registration (rebinding) reaches a refused address. DNS is injected: deterministic.
 */

const LOOPBACK_ALLOWED: OutboundAddressPolicy = { allowLoopback: true, allowedNetworks: [] };
const PUBLIC_ADDRESS: ResolvedAddress = { address: '93.184.215.14', family: 4 };
const LOOPBACK_ADDRESS: ResolvedAddress = { address: '127.0.0.1', family: 4 };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A resolver whose answers the test changes between calls, counting the lookups. */
function switchableDns(initial: ResolvedAddress[]): ResolveHost & { answer: ResolvedAddress[]; calls: string[] } {
  const dns = Object.assign(
    async (hostname: string): Promise<ResolvedAddress[]> => {
      dns.calls.push(hostname);
      return dns.answer;
    },
    { answer: initial, calls: [] as string[] },
  );
  return dns;
}

interface Setup {
  f: EventsFixture;
  receiver: Receiver;
  port: number;
  /** Registers a webhook directly in the store (as an old row, or one registered under another policy). */
  hook(url: string): Promise<void>;
  deliverOnce(options: Partial<WebhookDispatcherOptions>): Promise<number>;
  lastError(): Promise<string | null>;
}

async function setup(): Promise<Setup> {
  const f = await openEventsFixture();
  cleanups.push(() => f.close());
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const port = Number(new URL(receiver.url).port);
  return {
    f,
    receiver,
    port,
    hook: async (url) => {
      await createWebhook(f.stores.webhooks, f.keyring, f.clock, { accountSid: f.accountSid, serviceSid: f.serviceSid, friendlyName: 'target', eventTypes: ['*'], webhookUrl: url });
      await recordEvent(f.stores, f.clock, { accountSid: f.accountSid, serviceSid: f.serviceSid, type: 'verification.approved', resourceSid: 'VE' + 'a'.repeat(32), payload: { status: 'approved' } });
    },
    deliverOnce: async (options) => {
      const dispatcher = new WebhookDispatcher({ deliveries: f.stores.webhookDeliveries, keyring: f.keyring, clock: f.clock, logger: f.logger, timeoutMs: 2000, maxAttempts: 5, ...options });
      cleanups.push(() => dispatcher.stop());
      return dispatcher.runOnce();
    },
    lastError: async () => (await f.db.kysely.selectFrom('webhook_deliveries').select('last_error').executeTakeFirstOrThrow()).last_error,
  };
}

test('the default policy refuses a loopback receiver at delivery: nothing is sent, the reason is generic', async () => {
  const s = await setup();
  await s.hook(s.receiver.url);
  assert.equal(await s.deliverOnce({ addressPolicy: PUBLIC_ONLY }), 1);
  assert.equal(s.receiver.hits.length, 0, 'a refused address is never connected to');
  const row = await s.f.db.kysely.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending', 'retried: the operator may change the policy or the URL');
  assert.equal(row.attempts, 1);
  assert.equal(row.last_error, 'refused by address policy');
});

test('a host name that resolves to 127.0.0.1 is refused when loopback is not allowed, and reached only through the checked address when it is', async () => {
  const s = await setup();
  const dns = switchableDns([LOOPBACK_ADDRESS]);
  await s.hook(`http://hooks.example.test:${s.port}/hooks?token=s3cret`);

  assert.equal(await s.deliverOnce({ addressPolicy: PUBLIC_ONLY, resolveHost: dns }), 1);
  assert.equal(s.receiver.hits.length, 0);
  assert.equal(await s.lastError(), 'refused by address policy');
  assert.deepEqual(dns.calls, ['hooks.example.test']);

  // Allowed: the connection goes to the address the injected resolver gave (the system resolver
  // knows no hooks.example.test), with the name kept in the Host header; one lookup per delivery.
  s.f.clock.advance(3_600_000 * 2);
  assert.equal(await s.deliverOnce({ addressPolicy: LOOPBACK_ALLOWED, resolveHost: dns }), 1);
  assert.equal(s.receiver.hits.length, 1);
  assert.equal(s.receiver.hits[0]?.headers.host, `hooks.example.test:${s.port}`);
  assert.deepEqual(dns.calls, ['hooks.example.test', 'hooks.example.test']);
});

test('DNS rebinding: a name that resolved to a public address at registration and to 127.0.0.1 at delivery is not connected to', async () => {
  const s = await setup();
  const dns = switchableDns([PUBLIC_ADDRESS]);
  const url = `http://rebind.example.test:${s.port}/hooks`;
  // Registration sees the public answer and accepts the URL.
  assert.equal(await checkWebhookUrl(url, { policy: PUBLIC_ONLY, resolveHost: dns }), url);
  await s.hook(url);

  dns.answer = [LOOPBACK_ADDRESS];
  assert.equal(await s.deliverOnce({ addressPolicy: PUBLIC_ONLY, resolveHost: dns }), 1);
  assert.equal(s.receiver.hits.length, 0, 'the rebound address was connected to');
  assert.equal(await s.lastError(), 'refused by address policy');

  // An answer mixing a public and an internal address (round-robin rebinding) is refused whole.
  dns.answer = [PUBLIC_ADDRESS, LOOPBACK_ADDRESS];
  s.f.clock.advance(3_600_000 * 2);
  assert.equal(await s.deliverOnce({ addressPolicy: PUBLIC_ONLY, resolveHost: dns }), 1);
  assert.equal(s.receiver.hits.length, 0);
  assert.equal(await s.lastError(), 'refused by address policy');
});

test('https: the pinned address is connected to with the host name as TLS server name (SNI)', async () => {
  const s = await setup();
  // A bare TCP listener: it records the ClientHello, which carries the server name in clear.
  const hellos: Buffer[] = [];
  const sockets = new Set<Socket>();
  const tls = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (chunk: Buffer) => {
      hellos.push(chunk);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    tls.close(() => resolve());
  }));
  const dns = switchableDns([LOOPBACK_ADDRESS]);
  await s.hook(`https://secure-hooks.example.test:${(tls.address() as AddressInfo).port}/hooks`);
  assert.equal(await s.deliverOnce({ addressPolicy: LOOPBACK_ALLOWED, resolveHost: dns }), 1);
  assert.equal(hellos.length, 1, 'connected to the pinned address');
  assert.ok(hellos[0]?.includes(Buffer.from('secure-hooks.example.test')), 'the ClientHello names the host (SNI)');
  assert.deepEqual(dns.calls, ['secure-hooks.example.test'], 'resolved once');
  assert.match((await s.lastError()) ?? '', /^(TLS handshake failed|connection failed)$/);
});

test('operators see generic reasons; the system error goes to the debug log only, without the URL', async () => {
  const s = await setup();
  let logText = '';
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, cb) => { logText += String(chunk); cb(); } }));
  const closed = await startReceiver();
  const closedPort = new URL(closed.url).port;
  await closed.close();
  await s.hook(`http://127.0.0.1:${closedPort}/hooks?token=s3cret-token`);
  await s.deliverOnce({ addressPolicy: LOOPBACK_ALLOWED, logger });
  const error = (await s.lastError()) ?? '';
  assert.equal(error, 'connection failed');
  assert.ok(!error.includes(closedPort) && !/ECONN|127\.0\.0\.1/.test(error), `the stored reason reveals the target: ${error}`);
  assert.match(logText, /ECONNREFUSED/, 'the detail is in the debug log');
  assert.ok(!logText.includes('s3cret-token'), 'the URL (which may carry a token) is not logged');

  // A name that does not resolve, and a receiver slower than the timeout.
  const nxdomain: ResolveHost = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND gone.example.test'), { code: 'ENOTFOUND' }));
  const t = await setup();
  await t.hook('http://gone.example.test/hooks');
  await t.deliverOnce({ resolveHost: nxdomain });
  assert.equal(await t.lastError(), 'DNS lookup failed');

  const u = await setup();
  u.receiver.respond.delayMs = 1000;
  await u.hook(u.receiver.url);
  await u.deliverOnce({ addressPolicy: LOOPBACK_ALLOWED, timeoutMs: 200 });
  assert.equal(await u.lastError(), 'timed out after 200 ms');
});
