import { InProcessEventBus, type EventBus } from '../events/event-bus.ts';
import { isClusterMessage, type ClusterMessage } from './cluster-messages.ts';

/** The IPC channel of a node:cluster worker (`process` in a worker; a fake pair in tests). */
export interface WorkerChannel {
  send(message: ClusterMessage): void;
  on(event: 'message', listener: (message: unknown) => void): void;
}

/**
 * The event bus of a worker of `verity serve --workers N` on SQLite: publishes locally at once and
 * through the primary to the other workers, which publish it locally (so a stream on one worker
 * wakes up when another worker changed its subject, and the worker running the webhook dispatcher
 * hears every `outbox`). `shutdown` is this process's own and never forwarded.
 */
export class IpcEventBus<T> implements EventBus<T> {
  private readonly local = new InProcessEventBus<T>();

  constructor(private readonly channel: WorkerChannel) {
    channel.on('message', (message) => {
      if (isClusterMessage(message) && message.verity === 'bus') this.local.publish(message.topic, message.value as T);
    });
  }

  publish(topic: string, value: T): void {
    this.local.publish(topic, value);
    if (topic !== 'shutdown') this.channel.send({ verity: 'bus', topic, value });
  }

  subscribe(topic: string, listener: (value: T) => void): () => void {
    return this.local.subscribe(topic, listener);
  }
}
