import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import { openEventStream } from '../../http/event-stream.ts';
import { parseDestination } from '../../verify/destination.ts';
import type { SimulatorInbox } from './simulator-inbox.ts';
import { listSimulatorInboxSchema, streamSimulatorInboxSchema } from './simulator-schema.ts';

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
export function simulatorInboxRoutes(fastify: FastifyInstance, ctx: AppContext, inbox: SimulatorInbox): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/sim/v1/inbox/:address', { schema: listSimulatorInboxSchema }, async (request) => {
    const messages = await inbox.list(normalise(request.params.address));
    return { messages };
  });

  app.get('/sim/v1/inbox/:address/stream', { schema: streamSimulatorInboxSchema }, async (request, reply) => {
    const address = normalise(request.params.address);
    const stream = openEventStream(ctx, request, reply);
    stream.onClose(inbox.subscribe(address, (message) => stream.send('message', message)));
  });
}
