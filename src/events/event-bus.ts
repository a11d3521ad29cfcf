import { EventEmitter } from 'node:events';

/**
 * In-process fan-out for live streams (server-sent events). Durable delivery goes through the
 * outbox in the database; this bus only wakes up listeners in this process.
 */
export class EventBus<T> {
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
