import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import type { SimulatorInbox } from '../../providers/simulator/simulator-inbox.ts';
import { parseDestination } from '../../verify/destination.ts';

type AddressPath = { Params: { address: string } };

function normalise(address: string): string {
  try {
    return parseDestination(address, 'address').address;
  } catch {
    throw invalidParameter('address', 'expected an E.164 number or an email address');
  }
}

/**
 * The simulated carrier's inboxes (development only; registered only when the simulator provider
 * is enabled, which production refuses). No authentication: they expose only simulated messages.
 */
export function simulatorRoutes(app: FastifyInstance, ctx: AppContext, inbox: SimulatorInbox): void {
  app.get<AddressPath>('/sim/v1/inbox/:address', async (request) => {
    const messages = await inbox.list(normalise(request.params.address));
    return { messages };
  });

  app.get<AddressPath>('/sim/v1/inbox/:address/stream', async (request, reply) => {
    const address = normalise(request.params.address);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    const unsubscribe = inbox.subscribe(address, (message) => {
      res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    });
    // A comment every 15 s keeps proxies from closing an idle stream.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    keepAlive.unref();
    let unsubscribeShutdown = (): void => {};
    const close = () => {
      clearInterval(keepAlive);
      unsubscribe();
      unsubscribeShutdown();
    };
    request.raw.on('close', close);
    // On shutdown, end open streams so the server can close without waiting for clients.
    unsubscribeShutdown = ctx.bus.subscribe('shutdown', () => {
      close();
      res.end();
    });
  });
}
