import { EventEmitter } from 'node:events';

/**
 * Wake-ups for live streams (server-sent events) and background jobs: `publish` tells every
 * subscriber of `topic` that something changed. A message is a hint, never the data: subscribers
 * re-read the database (the source of truth), so a lost message delays a stream, it never
 * corrupts one. Durable delivery (webhooks) goes through the outbox, not through this bus.
 *
 * Implementations: {@link InProcessEventBus} (one process), the PostgreSQL LISTEN/NOTIFY bus
 * (src/events/cluster-bus.ts, several nodes on one database) and the workers' IPC relay
 * (`verity serve --workers N` on SQLite). The two topics that signal the bus itself:
 * - {@link BUS_RESYNC_TOPIC}: messages from other nodes may have been missed (the connection to
 *   them dropped and came back); every stream re-reads its subject.
 * - `shutdown`: this process is stopping (published by the server, never forwarded).
 */
export interface EventBus<T> {
  /** Delivers `value` to this process's subscribers of `topic` at once, and to the other nodes' (if any) soon after. */
  publish(topic: string, value: T): void;
  /** Returns the unsubscribe function. */
  subscribe(topic: string, listener: (value: T) => void): () => void;
  /** Stops talking to other nodes (idempotent); local fan-out keeps working. */
  close?(): Promise<void>;
}

/** Published locally (value `{ type: 'resync' }`) when messages from other nodes may have been lost. */
export const BUS_RESYNC_TOPIC = 'bus:resync';

/** The message every Verity topic carries: what happened, to which resource. */
export interface BusMessage {
  type: string;
  resourceSid: string;
}

/** Fan-out inside this process only: one node on SQLite, tests, and the local half of the other buses. */
export class InProcessEventBus<T> implements EventBus<T> {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(topic: string, value: T): void {
    this.emitter.emit(topic, value);
  }
  subscribe(topic: string, listener: (value: T) => void): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }
}
