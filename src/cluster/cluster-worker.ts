import type { Registry } from 'prom-client';
import type { BusMessage } from '../events/event-bus.ts';
import { isClusterMessage, sendQuietly, WORKER_INDEX_VARIABLE, type ClusterMessage, type IpcSender } from './cluster-messages.ts';
import { IpcEventBus, type WorkerChannel } from './ipc-event-bus.ts';

/** This process's part in `verity serve --workers N` (a node:cluster worker). */
export interface ClusterWorker {
  /** 0 runs the background jobs (webhooks, sweeps); the primary gives a restarted worker its old index. */
  readonly index: number;
  readonly bus: IpcEventBus<BusMessage>;
  /** /metrics in a worker: the primary collects every worker's registry and sums them (prom-client's AggregatorRegistry). */
  aggregateMetrics(own: Registry): Promise<string>;
  /** Answers the primary's collection requests from this registry (call once the context is built). */
  serveMetrics(registry: Registry): void;
}

const METRICS_TIMEOUT_MS = 5_000;

/** The worker side of the cluster, over node:cluster's IPC channel (`process.send`). */
export function clusterWorker(): ClusterWorker {
  const channel: WorkerChannel = {
    // After the primary is gone (it stopped, or died) there is nobody to relay to.
    send: (message) => {
      if (process.connected) sendQuietly(process as IpcSender, message);
    },
    on: (event, listener) => void process.on(event, listener),
  };
  const pending = new Map<number, (text: string | Error) => void>();
  let nextId = 1;
  let registry: Registry | undefined;
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.verity === 'metrics-result') pending.get(message.id)?.(message.text);
    if (message.verity === 'metrics-collect' && registry) {
      const id = message.id;
      void registry.getMetricsAsJSON().then((metrics) => channel.send({ verity: 'metrics-part', id, metrics } satisfies ClusterMessage));
    }
  });
  return {
    index: Number(process.env[WORKER_INDEX_VARIABLE] ?? 0),
    bus: new IpcEventBus<BusMessage>(channel),
    serveMetrics(own) {
      registry = own;
    },
    aggregateMetrics(own) {
      if (!process.connected) return own.metrics();
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => settle(new Error('the cluster primary did not answer the metrics request')), METRICS_TIMEOUT_MS);
        function settle(result: string | Error): void {
          clearTimeout(timer);
          pending.delete(id);
          if (result instanceof Error) reject(result);
          else resolve(result);
        }
        pending.set(id, settle);
        channel.send({ verity: 'metrics-request', id });
      });
    },
  };
}
