import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';

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
 * waiting for clients.
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
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  cleanups.push(() => clearInterval(keepAlive));
  cleanups.push(ctx.bus.subscribe('shutdown', close));
  request.raw.on('close', close);
  return {
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
}

/** The `Last-Event-ID` a reconnecting EventSource sends, or 0. */
export function lastEventId(request: FastifyRequest): number {
  const header = request.headers['last-event-id'];
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/**
 * Keeps a stream computed from the database up to date: runs `refresh` now, whenever this node
 * announces a change on `topic` (at once), and every `pollMs` (changes made on other nodes), never
 * two at a time, until the stream closes. An error is logged with `logContext` and ends the stream.
 */
export async function refreshWhileOpen(
  ctx: AppContext,
  stream: EventStream,
  options: { topic: string; pollMs: number; logContext: Record<string, unknown>; onMessage?: (message: { type: string; resourceSid: string }) => void },
  refresh: () => Promise<void>,
): Promise<void> {
  let busy = false;
  const run = async (): Promise<void> => {
    if (busy || stream.closed) return;
    busy = true;
    try {
      await refresh();
    } catch (error) {
      ctx.logger.error({ err: error, ...options.logContext }, 'event stream failed');
      stream.close();
    } finally {
      busy = false;
    }
  };
  stream.onClose(
    ctx.bus.subscribe(options.topic, (message) => {
      options.onMessage?.(message);
      void run();
    }),
  );
  const poll = setInterval(() => void run(), options.pollMs);
  poll.unref();
  stream.onClose(() => clearInterval(poll));
  await run();
}
