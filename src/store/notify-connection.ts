import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type pg from 'pg';

/**
 * One node's own PostgreSQL connection for LISTEN/NOTIFY (src/events/cluster-bus.ts): outside the
 * pool, because a LISTEN belongs to a session and a pooled connection is handed to others, and
 * because NOTIFY must never run inside a business transaction (it takes a database-wide lock at
 * commit: 7,129 → 2,397 tx/s measured with pgbench, docs/scaling.md).
 */
export interface NotifyConnection {
  /** The channel of this database and schema (nodes of another schema, e.g. other tests, never hear it). */
  readonly channel: string;
  /** Sends one notification on this connection (not in any transaction). */
  notify(payload: string): Promise<void>;
  /** Ends the connection (idempotent); `onLost` is not called for it. */
  close(): Promise<void>;
}

export interface NotifyHandlers {
  onNotification(payload: string): void;
  /** The connection failed or ended by itself (server restart, `pg_terminate_backend`, network). */
  onLost(error: Error): void;
}

/** PostgreSQL's limit is 8,000 bytes per payload (in the default configuration). */
export const NOTIFY_PAYLOAD_LIMIT = 8_000;

/**
 * `verity_` + 16 hex of SHA-256(database, schema): LISTEN/NOTIFY is database-wide, and several
 * Verity deployments (or test schemas) may share one database. A valid unquoted identifier, < 63 bytes.
 */
function notifyChannel(database: string, schema: string): string {
  return `verity_${createHash('sha256').update(`${database}\0${schema}`).digest('hex').slice(0, 16)}`;
}

const loadPg = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

/** Connects to `url`, LISTENs on the channel of its database and schema, and reports notifications until closed. */
export async function openNotifyConnection(url: string, handlers: NotifyHandlers, options: { applicationName?: string } = {}): Promise<NotifyConnection> {
  // Named, so an operator (or a test) finds each node's listener in pg_stat_activity.
  const client = new (loadPg().Client)({ connectionString: url, keepAlive: true, application_name: options.applicationName ?? 'verity-bus' });
  let closed = false;
  let lost = false;
  const lose = (error: Error): void => {
    if (closed || lost) return;
    lost = true;
    client.end().catch(() => undefined);
    handlers.onLost(error);
  };
  client.on('error', lose);
  client.on('end', () => lose(new Error('the LISTEN connection ended')));
  try {
    await client.connect();
    const { rows } = await client.query<{ database: string; schema: string }>('SELECT current_database() AS database, current_schema() AS schema');
    const where = rows[0];
    if (!where) throw new Error('no current database');
    const channel = notifyChannel(where.database, where.schema);
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotification(message.payload ?? '');
    });
    await client.query(`LISTEN ${channel}`);
    return {
      channel,
      notify: async (payload) => {
        await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await client.end().catch(() => undefined);
      },
    };
  } catch (error) {
    closed = true;
    await client.end().catch(() => undefined);
    throw error;
  }
}
