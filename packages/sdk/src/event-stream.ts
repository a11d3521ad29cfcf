import { VerityApiError, errorFromResponse, parseRetryAfter } from './errors.ts';
import type { FetchLike } from './http.ts';
import { SequenceBuffer } from './sequence-buffer.ts';
import { ServerSentEventParser } from './sse-parser.ts';

/** One event of a Verity stream. */
export interface StreamEvent<T = unknown> {
  /** The sequence number (the SSE `id:`); null for an event that has none, delivered as it comes. */
  id: number | null;
  /** The SSE `event:` name, e.g. `ringing` or `approved`. */
  event: string;
  /** The JSON data, parsed (the raw text if it is not JSON). */
  data: T;
}

export interface FollowEventsOptions<T> {
  /** Called once per event, in sequence order; a returned promise is awaited before the next event. */
  onEvent: (event: StreamEvent<T>) => void | Promise<void>;
  /** Stops following; the returned promise then resolves with reason `aborted`. */
  signal?: AbortSignal;
  /** Resume after this sequence (sent as Last-Event-ID); 0 starts from the beginning. */
  lastEventId?: number;
  fetch?: FetchLike;
  /** First wait before reconnecting after a dropped connection (default 1000 ms); it doubles on each failure in a row. */
  reconnectDelayMs?: number;
  /** The longest wait between reconnects (default 30 000 ms). */
  maxReconnectDelayMs?: number;
  /** How long an event after a missing sequence waits for it before it is delivered anyway (default 2000 ms). */
  gapTimeoutMs?: number;
  /**
   * When given, a stream the server closes before an event for which this returns true is treated
   * like a dropped connection (the server may have been restarting) and followed again. Without it,
   * a clean close by the server ends following.
   */
  isFinal?: (event: StreamEvent<T>) => boolean;
}

export interface FollowEventsResult {
  /** `ended`: the server closed the stream (after the final event, when isFinal is given); `aborted`: the signal fired. */
  reason: 'ended' | 'aborted';
  /** The last sequence delivered: pass it as `lastEventId` to resume later. */
  lastEventId: number;
}

/** HTTP answers worth another try: the server is busy or restarting. Any other error status is final. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Follows one of Verity's server-sent-event streams (`links.events` of a call verification or a push
 * challenge) with fetch, so it works in Node and in browsers and can send Last-Event-ID itself.
 * Events reach `onEvent` once each, in sequence order. A dropped connection is reopened with
 * Last-Event-ID after a growing delay; a clean close by the server ends following (Verity closes a
 * verification's stream once it is decided and its call is over, a challenge's after its outcome).
 * A 4xx answer (an unknown or mistyped URL) rejects with VerityApiError, as does a failing onEvent
 * with its error.
 *
 * @example
 * const verification = await verity.verifications.create(serviceSid, { to, channel: 'call', voiceFlow: 'keypad_code' });
 * showOnScreen(verification.display_code);
 * await followEvents<VerificationProgressEvent>(verification.links!.events, {
 *   onEvent: ({ event }) => updateProgress(event), // 'ringing', 'answered', …, 'approved', 'completed'
 *   signal: AbortSignal.timeout(120_000),
 * });
 */
export async function followEvents<T = unknown>(url: string, options: FollowEventsOptions<T>): Promise<FollowEventsResult> {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  const gapTimeout = options.gapTimeoutMs ?? 2_000;
  let baseDelay = options.reconnectDelayMs ?? 1_000;
  let failuresInARow = 0;

  // One controller for everything: the caller's signal, or a failure of onEvent, stops it all.
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  const signal = controller.signal;

  const buffer = new SequenceBuffer<StreamEvent<T>>(options.lastEventId ?? 0);
  let sawFinal = false;
  let lastDelivered = options.lastEventId ?? 0;
  let handlerError: { error: unknown } | undefined;
  let deliveries: Promise<void> = Promise.resolve();
  const deliver = (events: Array<StreamEvent<T>>): void => {
    if (events.length === 0) return;
    for (const event of events) if (options.isFinal?.(event)) sawFinal = true;
    deliveries = deliveries.then(async () => {
      for (const event of events) {
        if (handlerError || signal.aborted) return;
        try {
          await options.onEvent(event);
          if (event.id !== null) lastDelivered = event.id;
        } catch (error) {
          handlerError = { error };
          stop();
        }
      }
    });
  };

  let gapTimer: ReturnType<typeof setTimeout> | undefined;
  const clearGapTimer = () => {
    clearTimeout(gapTimer);
    gapTimer = undefined;
  };
  const accept = (event: StreamEvent<T>): void => {
    if (event.id === null) return deliver([event]);
    deliver(buffer.accept(event.id, event));
    if (!buffer.waiting) clearGapTimer();
    else gapTimer ??= setTimeout(() => {
      gapTimer = undefined;
      deliver(buffer.flush());
    }, gapTimeout);
  };

  /** Reads one connection to its end: `closed` by the server, `dropped` by an error, or `aborted`. */
  const read = async (body: ReadableStream<Uint8Array>): Promise<'closed' | 'dropped' | 'aborted'> => {
    const parser = new ServerSentEventParser();
    const reader = body.getReader();
    const handle = (events: ReturnType<ServerSentEventParser['feed']>) => {
      for (const sse of events) {
        if (sse.retry !== undefined) baseDelay = sse.retry;
        const id = /^\d{1,15}$/.test(sse.id) ? Number(sse.id) : null;
        failuresInARow = 0;
        accept({ id, event: sse.event, data: parseData(sse.data) as T });
      }
    };
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        handle(parser.feed(value));
      }
      handle(parser.end());
      return 'closed';
    } catch {
      return signal.aborted ? 'aborted' : 'dropped';
    } finally {
      reader.releaseLock();
    }
  };

  const backOff = async (atLeastMs = 0): Promise<void> => {
    const delay = Math.min(maxDelay, baseDelay * 2 ** Math.min(failuresInARow, 16));
    failuresInARow += 1;
    await sleep(Math.max(delay, atLeastMs), signal);
  };

  try {
    while (!signal.aborted) {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (buffer.lastReleased > 0) headers['last-event-id'] = String(buffer.lastReleased);
      let response: Response;
      try {
        response = await doFetch(url, { headers, signal, cache: 'no-store' });
      } catch {
        if (signal.aborted) break;
        await backOff();
        continue;
      }
      if (!response.ok) {
        if (!RETRYABLE_STATUS.has(response.status)) throw await errorFromResponse(response);
        await response.body?.cancel().catch(() => undefined);
        await backOff((parseRetryAfter(response.headers.get('retry-after')) ?? 0) * 1000);
        continue;
      }
      const type = response.headers.get('content-type') ?? '';
      if (!type.toLowerCase().startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new VerityApiError({ code: null, status: response.status, message: `Expected an event stream from ${url}, got ${type || 'no content type'}` });
      }
      const outcome = await read(response.body);
      if (outcome === 'aborted') break;
      if (outcome === 'closed') {
        // The server is done: whatever still waits for a missing sequence will not get it.
        clearGapTimer();
        deliver(buffer.flush());
        if (!options.isFinal || sawFinal) break;
      }
      await backOff();
    }
  } finally {
    clearGapTimer();
    options.signal?.removeEventListener('abort', stop);
  }
  await deliveries;
  if (handlerError) throw handlerError.error;
  return { reason: signal.aborted ? 'aborted' : 'ended', lastEventId: lastDelivered };
}
