import { randomBytes } from 'node:crypto';
import { NOTIFY_PAYLOAD_LIMIT, openNotifyConnection, type NotifyConnection, type NotifyHandlers } from '../store/notify-connection.ts';
import { BUS_RESYNC_TOPIC, InProcessEventBus, type BusMessage, type EventBus } from './event-bus.ts';

/** Topics other nodes need: their streams of these subjects. `outbox` and `shutdown` stay in this process. */
const CLUSTER_TOPIC_PREFIXES = ['verification:', 'challenge:', 'factor:'];

/** Whether a topic is forwarded to the other nodes (or workers): the live streams' topics. */
function isClusterTopic(topic: string): boolean {
  return CLUSTER_TOPIC_PREFIXES.some((prefix) => topic.startsWith(prefix));
}

/** The line that asks every node to re-read all its streams (sent after this node lost messages it owed them). */
const RESYNC_LINE = '*resync';

interface ClusterBusLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export interface ClusterBusOptions {
  /** Opens the node's LISTEN connection (src/store/notify-connection.ts). */
  connect: (handlers: NotifyHandlers) => Promise<NotifyConnection>;
  logger: ClusterBusLogger;
  /** How long messages gather before one NOTIFY carries them (ms). */
  flushMs?: number;
  /** Reconnect back-off: first wait and ceiling (ms), doubled each failure, with jitter. */
  reconnectMs?: { first: number; max: number };
  /** Messages kept for the other nodes while the connection is down; beyond it they are told to re-read everything. */
  maxPending?: number;
}

/**
 * The event bus of several Verity nodes on one PostgreSQL database, by LISTEN/NOTIFY.
 *
 * `publish` fans out to this node's subscribers at once and queues the message for the others;
 * every `flushMs` the queue leaves as one `pg_notify` (split at the 8,000-byte payload limit) on the
 * node's own LISTEN connection: after the publisher's commit (callers publish from `afterCommit`),
 * never inside a business transaction. A payload is `node id` then `topic\ttype\tresourceSid` lines;
 * a node skips its own. Messages are wake-ups, the database stays the truth: a stream re-reads its
 * subject on a message, at (re)open from Last-Event-ID, and after {@link BUS_RESYNC_TOPIC}.
 *
 * When the connection drops the bus reconnects with back-off, then publishes BUS_RESYNC_TOPIC locally
 * (every stream re-reads, through the streams' limiter) and sends what it queued meanwhile (or, if
 * it had to drop some, asks every node to re-read all its streams).
 */
export class ClusterBus implements EventBus<BusMessage> {
  private readonly local = new InProcessEventBus<BusMessage>();
  /** Random per process: a node recognises (and skips) its own notifications. */
  readonly nodeId = randomBytes(8).toString('hex');
  private connection: NotifyConnection | undefined;
  private pending: string[] = [];
  private pendingOverflowed = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private readonly flushMs: number;
  private readonly reconnectMs: { first: number; max: number };
  private readonly maxPending: number;

  constructor(private readonly options: ClusterBusOptions) {
    this.flushMs = options.flushMs ?? 5;
    this.reconnectMs = options.reconnectMs ?? { first: 100, max: 5_000 };
    this.maxPending = options.maxPending ?? 10_000;
  }

  /** Opens the LISTEN connection; if it cannot, logs and keeps trying in the background (the node still serves). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Whether the LISTEN connection is up (for /readyz-style checks and tests). */
  get connected(): boolean {
    return this.connection !== undefined;
  }

  publish(topic: string, value: BusMessage): void {
    this.local.publish(topic, value);
    if (!isClusterTopic(topic) || this.closed) return;
    const line = `${topic}\t${value.type}\t${value.resourceSid}`;
    // Topics, types and SIDs are Verity's own identifiers; anything that would break the framing is not forwarded.
    if (/[\t\n]/.test(`${topic}${value.type}${value.resourceSid}`) || Buffer.byteLength(line) > NOTIFY_PAYLOAD_LIMIT - 64) return;
    if (this.pending.length >= this.maxPending) {
      this.pendingOverflowed = true;
      return;
    }
    this.pending.push(line);
    if (this.connection && !this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), this.flushMs);
    }
  }

  subscribe(topic: string, listener: (value: BusMessage) => void): () => void {
    return this.local.subscribe(topic, listener);
  }

  /** Sends what is queued (waiting at most 1 s: shutdown is bounded), then ends the connection; local fan-out keeps working. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.reconnectTimer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
    this.closed = true;
    clearTimeout(this.flushTimer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  /** Sends the queue as few payloads as fit the limit, one at a time, on the LISTEN connection. */
  private flush(): Promise<void> {
    this.flushing ??= (async () => {
      try {
        while (this.connection && (this.pending.length > 0 || this.pendingOverflowed)) {
          clearTimeout(this.flushTimer);
          this.flushTimer = undefined;
          const connection = this.connection;
          const lines = this.pendingOverflowed ? [RESYNC_LINE] : this.pending;
          const { payload, taken } = pack(this.nodeId, lines);
          try {
            await connection.notify(payload);
          } catch (error) {
            // The connection is failing: keep the messages for the reconnect (onLost follows).
            this.options.logger.warn({ err: errorSummary(error) }, 'cluster bus: NOTIFY failed');
            return;
          }
          if (this.pendingOverflowed) {
            this.pendingOverflowed = false;
            this.pending = [];
          } else {
            this.pending.splice(0, taken);
          }
        }
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const opened: { connection?: NotifyConnection } = {};
    try {
      // A loss reported before the connection is handed over makes connect() fail instead.
      const connection = await this.options.connect({
        onNotification: (payload) => this.receive(payload),
        onLost: (error) => {
          if (opened.connection) this.lost(opened.connection, error);
        },
      });
      opened.connection = connection;
      if (this.closed) {
        await connection.close();
        return;
      }
      this.connection = connection;
      const reconnected = this.failures > 0;
      this.failures = 0;
      if (reconnected) {
        this.options.logger.info({ channel: connection.channel }, 'cluster bus: LISTEN connection restored');
        // Whatever the other nodes said meanwhile was not heard: every stream re-reads its subject.
        this.local.publish(BUS_RESYNC_TOPIC, { type: 'resync', resourceSid: '' });
      }
      if (this.pending.length > 0 || this.pendingOverflowed) void this.flush();
    } catch (error) {
      this.failures++;
      this.options.logger.warn({ err: errorSummary(error), failures: this.failures }, 'cluster bus: cannot LISTEN, retrying');
      this.scheduleReconnect();
    }
  }

  private lost(connection: NotifyConnection, error: Error): void {
    if (this.closed || this.connection !== connection) return;
    this.connection = undefined;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.failures++;
    this.options.logger.warn({ err: errorSummary(error) }, 'cluster bus: LISTEN connection lost, reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const ceiling = Math.min(this.reconnectMs.max, this.reconnectMs.first * 2 ** Math.min(this.failures - 1, 16));
    // Full jitter: nodes that lost the database together do not come back in step.
    const wait = ceiling / 2 + Math.random() * (ceiling / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, wait);
    this.reconnectTimer.unref();
  }

  private receive(payload: string): void {
    const [sender, ...lines] = payload.split('\n');
    if (sender === this.nodeId) return;
    for (const line of lines) {
      if (line === RESYNC_LINE) {
        this.local.publish(BUS_RESYNC_TOPIC, { type: 'resync', resourceSid: '' });
        continue;
      }
      const [topic, type, resourceSid] = line.split('\t');
      if (topic === undefined || type === undefined || resourceSid === undefined || !isClusterTopic(topic)) continue;
      this.local.publish(topic, { type, resourceSid });
    }
  }
}

/** The longest prefix of `lines` that fits one payload after the node id (at least one line, each fits alone). */
function pack(nodeId: string, lines: string[]): { payload: string; taken: number } {
  let payload = nodeId;
  let bytes = Buffer.byteLength(payload);
  let taken = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (taken > 0 && bytes + size > NOTIFY_PAYLOAD_LIMIT) break;
    payload += `\n${line}`;
    bytes += size;
    taken++;
  }
  return { payload, taken };
}

const errorSummary = (error: unknown): { name: string; message: string } | undefined => (error instanceof Error ? { name: error.name, message: error.message } : undefined);

/** The bus of a node on PostgreSQL: its LISTEN connection opened from the database URL (same database and schema as the pool). */
export async function startPostgresBus(databaseUrl: string, logger: ClusterBusLogger): Promise<ClusterBus> {
  const bus: ClusterBus = new ClusterBus({ connect: (handlers) => openNotifyConnection(databaseUrl, handlers, { applicationName: `verity-bus-${bus.nodeId}` }), logger });
  await bus.start();
  return bus;
}
