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
  /** Tests shorten the waits. */
  timing?: Partial<typeof TIMING>;
}

const TIMING = {
  /** The first retry waits this long, each next one twice as long … */
  firstBackoffMs: 1_000,
  /** … up to this. */
  maxBackoffMs: 30_000,
  /** A stream that ends sooner than this was refused or cut, not ended by its token's expiry. */
  shortStreamMs: 2_000,
};

/**
 * Follows one factor's challenge stream until `signal` aborts. Verity ends the stream when the
 * device token expires, so the watch reconnects with a fresh token; network failures and server
 * errors are retried with exponential backoff. A refusal a retry cannot fix (the factor was
 * deleted, the key is no longer accepted) is thrown.
 * The stream resends every pending challenge on each connection: the caller removes duplicates.
 */
export async function watchChallenges(client: Pick<DeviceClient, 'factorSid' | 'openChallengeStream'>, { signal, onChallenge, onConnected, onNotice, timing }: WatchOptions): Promise<void> {
  const { firstBackoffMs, maxBackoffMs, shortStreamMs } = { ...TIMING, ...timing };
  let failures = 0;
  while (!signal.aborted) {
    const openedAt = Date.now();
    let problem: string;
    try {
      const body = await client.openChallengeStream(signal);
      onConnected?.();
      for await (const event of readServerSentEvents(body)) {
        if (event.event !== 'challenge') continue;
        let challenge: DeviceChallenge;
        try {
          challenge = JSON.parse(event.data) as DeviceChallenge;
        } catch {
          onNotice(`skipped a challenge event of ${client.factorSid} whose data is not JSON`);
          continue;
        }
        onChallenge(challenge);
      }
      if (Date.now() - openedAt >= shortStreamMs) {
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
    const delay = Math.min(maxBackoffMs, firstBackoffMs * 2 ** (failures - 1));
    onNotice(`challenge stream of ${client.factorSid} interrupted (${problem}); reconnecting in ${(delay / 1000).toFixed(delay < 1000 ? 2 : 0)} s`);
    await sleep(delay, undefined, { signal }).catch(() => undefined);
  }
}

/** Worth retrying: server trouble, rate limiting, timeouts. */
const isTransient = (status: number) => status >= 500 || status === 429 || status === 408;
