import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Knows every open connection of the HTTP server and which of them has a request being handled, so a
 * graceful shutdown can close at once the connections nobody is being served on (idle keep-alive
 * sockets, pre-connected sockets that never sent anything, half-sent headers or bodies) and wait only
 * for running handlers. Node's `server.close()` alone waits for any connection with an incomplete
 * request, and stops the timer that would have timed it out: one silent socket kept shutdown open forever.
 *
 * A request counts from its `preHandler` (its body has been read and a handler is about to run), not
 * from its arrival: a client that stalls mid-upload is not "in flight". A request that has fully
 * arrived but is still in its `onRequest` hooks (authentication, limits) when the drain starts is
 * waited for too: its client sent everything and would otherwise see a reset it cannot safely retry. It stops counting when its
 * response is produced (`onSend`), or at `onResponse` as a safety net, or (a hijacked reply) when its
 * response closes. Its socket stays busy until the
 * response is written (the response's `close` event), so a finished answer is not cut off mid-write.
 */
export class ConnectionDrain {
  /** Handlers running (also those whose client already went away: they still use the database). */
  inFlight = 0;
  private readonly sockets = new Set<Socket>();
  private readonly busy = new Map<Socket, number>();
  private readonly counted = new WeakSet<FastifyRequest>();
  private readonly marked = new WeakSet<FastifyRequest>();
  /** The request each socket is on now, from its arrival (`onRequest`) until its response closes. */
  private readonly arrived = new Map<Socket, { request: FastifyRequest; response: ServerResponse }>();
  private draining = false;
  private onChange: (() => void) | undefined;

  /** Tracks the server's connections and counts its requests; call before any route is registered. */
  install(app: FastifyInstance): void {
    app.server.on('connection', (socket: Socket) => {
      // Accepted after the drain started (in the instant before the listener closed): nobody waits for it.
      if (this.draining) return void socket.destroy();
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.busy.delete(socket);
        this.arrived.delete(socket);
        this.changed();
      });
    });
    app.addHook('onRequest', async (request, reply) => {
      const socket = request.raw.socket as Socket | null;
      if (!socket) return;
      this.arrived.set(socket, { request, response: reply.raw });
      reply.raw.once('close', () => {
        if (this.arrived.get(socket)?.request === request) this.arrived.delete(socket);
      });
    });
    app.addHook('preHandler', async (request, reply) => {
      // Event streams stay open until the client leaves; shutdown ends them itself (event-stream.ts).
      if (request.routeOptions.config.eventStream === true) return;
      this.counted.add(request);
      this.inFlight++;
      this.markBusy(request, reply.raw);
      // A hijacked reply (a stream written by hand) never reaches onSend: it counts until its response closes.
      reply.raw.once('close', () => {
        if (reply.sent) this.done(request);
      });
    });
    app.addHook('onSend', async (request, reply) => {
      this.done(request);
      // A response written without a handler (a 400 from validation, a 404): do not cut it off mid-write.
      if (request.routeOptions.config.eventStream !== true) this.markBusy(request, reply.raw);
    });
    app.addHook('onResponse', async (request) => this.done(request));
  }

  /**
   * Closes every connection with no request being handled now, waits until the running handlers have
   * answered (their responses carry `Connection: close`) or `deadline` (epoch ms) passes, then closes
   * the rest. Returns how many handlers were still running at the deadline.
   */
  async drain(deadline: number): Promise<{ cutOff: number }> {
    this.draining = true;
    for (const socket of this.sockets) {
      if (this.busy.has(socket)) continue;
      const whole = this.receivedInFull(socket);
      if (whole) this.markBusy(whole.request, whole.response);
      else socket.destroy();
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, Math.max(0, deadline - Date.now()));
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.onChange = () => {
        if (this.inFlight === 0 && this.busy.size === 0) finish();
      };
      this.onChange();
    });
    this.onChange = undefined;
    const cutOff = this.inFlight;
    // A socket whose last response is still being flushed ends gracefully; any other is closed now.
    for (const socket of this.sockets) {
      if (socket.writableLength > 0 && !this.busy.has(socket)) socket.end();
      else socket.destroy();
    }
    await new Promise<void>((resolve) => {
      if (this.sockets.size === 0) return resolve();
      const timer = setTimeout(resolve, 200);
      this.onChange = () => {
        if (this.sockets.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    this.onChange = undefined;
    for (const socket of this.sockets) socket.destroy();
    return { cutOff };
  }

  /** The socket's current request if it arrived whole (headers and body) and is not an event stream. */
  private receivedInFull(socket: Socket): { request: FastifyRequest; response: ServerResponse } | undefined {
    const current = this.arrived.get(socket);
    if (!current || current.response.writableEnded) return undefined;
    if (current.request.routeOptions.config?.eventStream === true) return undefined;
    return current.request.raw.complete ? current : undefined;
  }

  private markBusy(request: FastifyRequest, response: ServerResponse): void {
    if (this.marked.has(request)) return;
    this.marked.add(request);
    const socket = request.raw.socket as Socket | null;
    if (!socket || socket.destroyed) return;
    this.busy.set(socket, (this.busy.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const left = (this.busy.get(socket) ?? 1) - 1;
      if (left > 0) this.busy.set(socket, left);
      else {
        this.busy.delete(socket);
        // Draining: the response carried `Connection: close`; do not wait for the client to hang up.
        if (this.draining && !socket.destroyed) socket.end();
      }
      this.changed();
    });
  }

  private done(request: FastifyRequest): void {
    if (!this.counted.delete(request)) return;
    this.inFlight--;
    this.changed();
  }

  private changed(): void {
    this.onChange?.();
  }
}
