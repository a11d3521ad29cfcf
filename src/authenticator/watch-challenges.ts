import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceChallenge } from '../factors/push/push-protocol.ts';
import { VerityApiError } from './authenticator-error.ts';
import type { DeviceClient } from './device-client.ts';
import { readServerSentEvents } from './sse-reader.ts';

export interface WatchOptions {
  /** Stops the watch (count reached, timeout, Ctrl-C). */
  signal: AbortSignal;
  onChallenge: (challenge: DeviceChallenge) => void;
  /** Each time the stream is open (the first time, and after every reconnection). */
  onConnected?: () => void;
  /** Reconnections and skipped events, for stderr. */
  onNotice: (text: string) => void;
}

const MAX_BACKOFF_MS = 30_000;
/** A stream that ends sooner than this was refused or cut, not ended by its token's expiry. */
const SHORT_STREAM_MS = 2_000;

/**
 * Follows one factor's challenge stream until `signal` aborts. Verity ends the stream when the
 * device token expires, so the watch reconnects with a fresh token; network failures and server
 * errors are retried with exponential backoff. A refusal a retry cannot fix (the factor was
 * deleted, the key is no longer accepted) is thrown.
 * The stream resends every pending challenge on each connection: the caller removes duplicates.
 */
export async function watchChallenges(client: DeviceClient, { signal, onChallenge, onConnected, onNotice }: WatchOptions): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    const openedAt = Date.now();
    let problem: string;
    try {
      const body = await client.openChallengeStream(signal);
      onConnected?.();
      for await (const event of readServerSentEvents(body)) {
        if (event.event !== 'challenge') continue;
        try {
          onChallenge(JSON.parse(event.data) as DeviceChallenge);
        } catch {
          onNotice(`skipped a challenge event of ${client.factorSid} whose data is not JSON`);
        }
      }
      if (Date.now() - openedAt >= SHORT_STREAM_MS) {
        failures = 0;
        continue;
      }
      problem = 'the stream ended at once';
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof VerityApiError && !isTransient(error.httpStatus)) throw error;
      problem = error instanceof Error ? error.message : String(error);
    }
    failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
    onNotice(`challenge stream of ${client.factorSid} interrupted (${problem}); reconnecting in ${delay / 1000} s`);
    await sleep(delay, undefined, { signal }).catch(() => undefined);
  }
}

/** Worth retrying: server trouble, rate limiting, timeouts. */
const isTransient = (status: number) => status >= 500 || status === 429 || status === 408;
