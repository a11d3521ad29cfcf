import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { BUS_RESYNC_TOPIC } from '../events/event-bus.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers with a long-lived event stream (not counted as in flight while draining). */
    eventStream?: boolean;
  }
}

export interface EventStream {
  /** Writes one server-sent event; `id` lets a reconnecting client resume (Last-Event-ID). */
  send(event: string, data: unknown, id?: number): void;
  /** Ends the stream (idempotent); the cleanups registered with onClose run once. */
  close(): void;
  onClose(cleanup: () => void): void;
  readonly closed: boolean;
}

/**
 * Turns the reply into a server-sent-events stream. A comment every 15 s keeps proxies from
 * closing an idle stream; on shutdown every open stream ends, so the server can close without
 * waiting for clients. The stream costs no timer of its own (see OpenStreams below).
 */
export function openEventStream(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(': connected\n\n');
  const cleanups: Array<() => void> = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
    res.end();
  };
  // One shared timer writes every stream's keep-alive, and one `shutdown` subscription ends them all
  // (10,000 streams: no timer and no shutdown listener each).
  const entry: OpenStream = { keepAlive: () => res.write(': keep-alive\n\n'), close, refresh: undefined, recheckAt: Infinity, queued: false };
  const registry = openStreamsOf(ctx);
  registry.add(entry);
  cleanups.push(() => registry.remove(entry));
  request.raw.on('close', close);
  const stream: EventStream = {
    send(event, data, id) {
      if (closed) return;
      res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close,
    onClose(cleanup) {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
    get closed() {
      return closed;
    },
  };
  entries.set(stream, entry);
  return stream;
}

/** The `Last-Event-ID` a reconnecting EventSource sends, or 0. */
export function lastEventId(request: FastifyRequest): number {
  const header = request.headers['last-event-id'];
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/**
 * Keeps a stream computed from the database up to date, by notification rather than polling: runs
 * `refresh` now, on every bus message of `topic` (published by this node or, through the cluster
 * bus, by any other), after the bus reconnected (BUS_RESYNC_TOPIC, through a limiter), and as a
 * safety net once every few minutes (jittered; catches a wake-up lost with a node that died between
 * its commit and its NOTIFY). Never two refreshes at once, and a message that arrives during one
 * runs another after it (so no change committed meanwhile is missed). An error is logged with
 * `logContext` and ends the stream. Resolves after the first refresh with `wake`, which asks for one
 * more (for deadlines the stream knows of, such as a challenge's expiry).
 */
export async function refreshWhileOpen(
  ctx: AppContext,
  stream: EventStream,
  options: { topic: string; logContext: Record<string, unknown>; onMessage?: (message: { type: string; resourceSid: string }) => void },
  refresh: () => Promise<void>,
): Promise<() => void> {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> => {
    if (stream.closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await refresh();
        } while (again && !stream.closed);
      } catch (error) {
        ctx.logger.error({ err: error, ...options.logContext }, 'event stream failed');
        stream.close();
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  stream.onClose(
    ctx.bus.subscribe(options.topic, (message) => {
      options.onMessage?.(message);
      void run();
    }),
  );
  const entry = entries.get(stream);
  if (entry) {
    entry.refresh = run;
    entry.recheckAt = Date.now() + jittered(SAFETY_RECHECK_MS);
  }
  await run();
  return () => void run();
}

/** The slow safety re-read of an idle stream (jittered ±50 %): with 10,000 streams, ~33 reads/s spread evenly. */
const SAFETY_RECHECK_MS = 300_000;
/** A comment this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;
/** The shared timer's period: keep-alives and due safety re-reads are looked for this often. */
const TICK_MS = 5_000;
/** Streams re-read at once after a resync or a safety re-check (10,000 streams must not burst 30,000 queries). */
const REFRESH_CONCURRENCY = 8;

const jittered = (ms: number): number => ms * (0.5 + Math.random());

interface OpenStream {
  keepAlive(): void;
  close(): void;
  refresh: (() => Promise<void>) | undefined;
  recheckAt: number;
  queued: boolean;
}

const entries = new WeakMap<EventStream, OpenStream>();
const registries = new WeakMap<object, OpenStreams>();

const openStreamsOf = (ctx: AppContext): OpenStreams => {
  let registry = registries.get(ctx.bus);
  if (!registry) {
    registry = new OpenStreams(ctx.bus);
    registries.set(ctx.bus, registry);
  }
  return registry;
};

/**
 * This process's open streams (per bus, i.e. per context): one timer for all their keep-alives and
 * safety re-reads, one `shutdown` subscription that ends them all, and one re-read of all of them,
 * a few at a time, when the bus says messages may have been lost.
 */
class OpenStreams {
  private readonly streams = new Set<OpenStream>();
  private timer: NodeJS.Timeout | undefined;
  private nextKeepAlive = 0;
  private readonly queue: OpenStream[] = [];
  private active = 0;

  constructor(bus: AppContext['bus']) {
    bus.subscribe('shutdown', () => {
      for (const stream of [...this.streams]) stream.close();
    });
    bus.subscribe(BUS_RESYNC_TOPIC, () => {
      for (const stream of this.streams) this.enqueue(stream);
    });
  }

  add(stream: OpenStream): void {
    this.streams.add(stream);
    if (!this.timer) {
      this.nextKeepAlive = Date.now() + KEEP_ALIVE_MS;
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref();
    }
  }

  remove(stream: OpenStream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    const now = Date.now();
    const keepAlive = now >= this.nextKeepAlive;
    if (keepAlive) this.nextKeepAlive = now + KEEP_ALIVE_MS;
    for (const stream of this.streams) {
      if (keepAlive) stream.keepAlive();
      if (stream.recheckAt <= now) {
        stream.recheckAt = now + jittered(SAFETY_RECHECK_MS);
        this.enqueue(stream);
      }
    }
  }

  private enqueue(stream: OpenStream): void {
    if (!stream.refresh || stream.queued) return;
    stream.queued = true;
    this.queue.push(stream);
    this.drain();
  }

  private drain(): void {
    while (this.active < REFRESH_CONCURRENCY && this.queue.length > 0) {
      const stream = this.queue.shift() as OpenStream;
      stream.queued = false;
      if (!this.streams.has(stream) || !stream.refresh) continue;
      this.active++;
      void stream.refresh().finally(() => {
        this.active--;
        this.drain();
      });
    }
  }
}
