import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { ManualClock } from '../../src/crypto/clock.ts';
import { createKeyring, type Keyring } from '../../src/crypto/keyring.ts';
import { newSid } from '../../src/crypto/random.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/store/database.ts';
import { createStores, type Stores } from '../../src/store/unit-of-work.ts';
import { serviceRow } from '../store/test-database.ts';

/** Test support for src/events: a migrated SQLite file in a temp folder and a local HTTP receiver. */

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  hits: ReceivedRequest[];
  /** Status of the next responses, in order (push to it); 200 once exhausted. */
  readonly statuses: number[];
  /** Extra headers and a delay for every response. */
  readonly respond: { headers?: Record<string, string>; delayMs?: number };
  /** Resolves once `count` requests have arrived. */
  waitForHits(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hits: ReceivedRequest[] = [];
  const statuses: number[] = [];
  const respond: Receiver['respond'] = {};
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of waiters.splice(0)) {
        if (hits.length >= w.count) w.resolve();
        else waiters.push(w);
      }
      const status = statuses.shift() ?? 200;
      setTimeout(() => {
        res.writeHead(status, respond.headers ?? {});
        res.end('ok');
      }, respond.delayMs ?? 0).unref(); // a receiver told never to answer must not keep the test process alive
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hits,
    statuses,
    respond,
    waitForHits: (count) => (hits.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface EventsFixture {
  dir: string;
  dbUrl: string;
  db: Db;
  /** The stores over `db`. */
  stores: Stores;
  keyring: Keyring;
  clock: ManualClock;
  logger: Logger;
  accountSid: string;
  serviceSid: string;
  /** Opens another connection to the same database file (another process, in effect). */
  reopen(): Db;
  /** Adds a second service to the same account. */
  addService(): Promise<string>;
  close(): Promise<void>;
}

export async function openEventsFixture(): Promise<EventsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'verity-events-'));
  const dbUrl = `sqlite:${join(dir, 'verity.db')}`;
  const db = openDatabase(dbUrl);
  await migrateToLatest(db);
  const clock = new ManualClock();
  const opened: Db[] = [db];
  const accountSid = newSid('AC');
  const now = clock.now();
  await db.kysely
    .insertInto('accounts')
    .values({ sid: accountSid, friendly_name: 'test', auth_token_digest: 'x', status: 'active', date_created: now, date_updated: now })
    .execute();
  const addService = async (): Promise<string> => {
    const row = serviceRow(accountSid, now, { enabled_channels: ['sms'] });
    await createStores(db).services.insert(row);
    return row.sid;
  };
  const serviceSid = await addService();
  return {
    dir,
    dbUrl,
    db,
    stores: createStores(db),
    keyring: createKeyring(randomBytes(32)),
    clock,
    logger: pino({ level: 'silent' }),
    accountSid,
    serviceSid,
    addService,
    reopen: () => {
      const another = openDatabase(dbUrl);
      opened.push(another);
      return another;
    },
    close: async () => {
      for (const d of opened) await d.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
