/**
 * The messages between the primary of `verity serve --workers N` and its workers, over node:cluster's
 * IPC channel. Every message carries `verity` so messages of other libraries on the channel are ignored.
 */
export type ClusterMessage =
  /** A worker published on its event bus: the primary re-sends it to every other worker. */
  | { verity: 'bus'; topic: string; value: unknown }
  /** A worker answering /metrics asks the primary for every worker's metrics, summed. */
  | { verity: 'metrics-request'; id: number }
  /** The primary asks a worker for its registry (prom-client's `getMetricsAsJSON`). */
  | { verity: 'metrics-collect'; id: number }
  | { verity: 'metrics-part'; id: number; metrics: object[] }
  | { verity: 'metrics-result'; id: number; text: string };

export function isClusterMessage(message: unknown): message is ClusterMessage {
  return typeof message === 'object' && message !== null && typeof (message as { verity?: unknown }).verity === 'string';
}

/** The environment variable telling a worker its index (0 runs the background jobs). */
export const WORKER_INDEX_VARIABLE = 'VERITY_WORKER_INDEX';

/** What both ends of the channel can send on: a cluster `Worker` in the primary, `process` in a worker. */
export interface IpcSender {
  send?(message: ClusterMessage, callback: (error: Error | null) => void): boolean;
}

/**
 * Sends without letting a dead peer crash this process. A peer that was just killed still looks
 * connected until its 'disconnect' arrives, and a send without a callback reports the failed write
 * (EPIPE) as an 'error' event — unhandled, it would take the primary down with every other worker.
 * With a callback the failure is only returned; the peer's exit is handled where it belongs.
 */
export function sendQuietly(peer: IpcSender, message: ClusterMessage, onError?: (error: Error) => void): void {
  try {
    peer.send?.(message, (error) => {
      if (error) onError?.(error);
    });
  } catch (error) {
    // A channel already closed throws ERR_IPC_CHANNEL_CLOSED synchronously.
    onError?.(error as Error);
  }
}
