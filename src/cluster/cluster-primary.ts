import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { isClusterMessage, sendQuietly, WORKER_INDEX_VARIABLE, type ClusterMessage } from './cluster-messages.ts';

const COLLECT_TIMEOUT_MS = 2_000;
/** A worker that dies this soon after it started is restarted after a growing pause, not in a tight loop. */
const EARLY_DEATH_MS = 5_000;

/**
 * The primary of `verity serve --workers N`: forks the workers (they share the listening port,
 * node:cluster hands connections round-robin), restarts one that dies, relays event-bus messages
 * between them, sums their metrics for /metrics, and on SIGTERM/SIGINT tells every worker to drain
 * and waits for them (each drains within VERITY_SHUTDOWN_GRACE_MS; a worker still alive well after
 * that is killed). Migrations have run before (cli serve), so workers find the schema current.
 * Resolves with the exit code once every worker has exited.
 */
export function runClusterPrimary(config: Config, workers: number, logger: Logger): Promise<number> {
  const byIndex = new Map<number, Worker>();
  const startedAt = new Map<number, number>();
  const pause = new Map<number, number>();
  let stopping = false;
  let collectId = 1;

  /** A worker that died a moment ago is dropped from `byIndex` by its 'exit'; until then a send to it just fails. */
  const send = (worker: Worker, message: ClusterMessage): void => {
    if (!worker.isConnected()) return;
    sendQuietly(worker, message, (error) => logger.debug({ pid: worker.process.pid, err: error.message }, 'a message to a worker that is going away was not delivered'));
  };

  const broadcast = (from: Worker | undefined, message: ClusterMessage): void => {
    for (const worker of byIndex.values()) if (worker !== from) send(worker, message);
  };

  const collectMetrics = async (): Promise<string> => {
    const id = collectId++;
    const live = [...byIndex.values()].filter((worker) => worker.isConnected());
    const parts: object[][] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, COLLECT_TIMEOUT_MS);
      const listeners = new Map<Worker, (message: unknown) => void>();
      function done(): void {
        clearTimeout(timer);
        for (const [worker, listener] of listeners) worker.off('message', listener);
        resolve();
      }
      for (const worker of live) {
        const listener = (message: unknown): void => {
          if (!isClusterMessage(message) || message.verity !== 'metrics-part' || message.id !== id) return;
          parts.push(message.metrics);
          if (parts.length === live.length) done();
        };
        listeners.set(worker, listener);
        worker.on('message', listener);
        send(worker, { verity: 'metrics-collect', id });
      }
      if (live.length === 0) done();
    });
    return AggregatorRegistry.aggregate(parts).metrics();
  };

  const fork = (index: number): void => {
    const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) });
    byIndex.set(index, worker);
    startedAt.set(index, Date.now());
    // The process's own errors (a failed kill or send); its death is the 'exit' below.
    worker.on('error', (error: Error) => logger.warn({ worker: index, err: error.message }, 'worker process error'));
    worker.on('message', (message: unknown) => {
      if (!isClusterMessage(message)) return;
      if (message.verity === 'bus') broadcast(worker, message);
      if (message.verity === 'metrics-request') {
        const id = message.id;
        void collectMetrics()
          .catch((error: unknown) => `# metrics aggregation failed: ${error instanceof Error ? error.message : String(error)}\n`)
          .then((text) => send(worker, { verity: 'metrics-result', id, text }));
      }
    });
  };

  return new Promise<number>((resolve) => {
    let exitCode = 0;
    cluster.on('exit', (worker, code, signal) => {
      const index = [...byIndex].find(([, w]) => w === worker)?.[0];
      if (index === undefined) return;
      byIndex.delete(index);
      if (stopping) {
        if (code !== 0) exitCode = 1;
        if (byIndex.size === 0) resolve(exitCode);
        return;
      }
      const lived = Date.now() - (startedAt.get(index) ?? 0);
      const wait = lived < EARLY_DEATH_MS ? Math.min(30_000, (pause.get(index) ?? 500) * 2) : 0;
      pause.set(index, wait || 500);
      logger.error({ worker: index, pid: worker.process.pid, code, signal, restartInMs: wait }, 'worker exited; restarting it');
      setTimeout(() => {
        if (!stopping) fork(index);
        else if (byIndex.size === 0) resolve(exitCode);
      }, wait);
    });
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, workers: byIndex.size }, 'shutting down the workers');
      if (byIndex.size === 0) return resolve(exitCode);
      for (const worker of byIndex.values()) worker.process.kill('SIGTERM');
      // Each worker drains within the grace period; one still alive well after it is stuck.
      setTimeout(() => {
        for (const worker of byIndex.values()) worker.process.kill('SIGKILL');
      }, config.shutdownGraceMs + 5_000).unref();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    for (let index = 0; index < workers; index++) fork(index);
    logger.info({ workers, pid: process.pid }, 'started the workers');
  });
}
