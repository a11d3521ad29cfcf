import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { VerityError, invalidParameter, notFound } from '../../errors/verity-error.ts';
import { openEventStream } from '../../http/event-stream.ts';
import { parseDestination } from '../../verify/destination.ts';
import type { SimulatedDelivery } from './simulated-delivery.ts';
import type { SimulatorInbox } from './simulator-inbox.ts';
import { listSimulatorInboxSchema, setSimulatorMessageStatusSchema, streamSimulatorInboxSchema } from './simulator-schema.ts';

function normalise(address: string): string {
  try {
    return parseDestination(address, 'address').address;
  } catch {
    throw invalidParameter('address', 'expected an E.164 number or an email address');
  }
}

/** The carrier error a hand-set final status carries when none is given. */
const DEFAULT_ERRORS = { undelivered: '30003', failed: '30008' } as const;

/**
 * The simulated carrier's inboxes and its messages' statuses (development only; registered only
 * when the simulator provider is enabled, which production refuses). No authentication: they
 * expose only simulated messages. `delivery` reports a status set by hand as a receipt, under the
 * provider instance that accepted the message.
 */
export function simulatorInboxRoutes(fastify: FastifyInstance, ctx: AppContext, inbox: SimulatorInbox, delivery: SimulatedDelivery): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/sim/v1/inbox/:address', { schema: listSimulatorInboxSchema }, async (request) => {
    const messages = await inbox.list(normalise(request.params.address));
    return { messages };
  });

  app.get('/sim/v1/inbox/:address/stream', { schema: streamSimulatorInboxSchema }, async (request, reply) => {
    const address = normalise(request.params.address);
    const stream = openEventStream(ctx, request, reply);
    stream.onClose(
      inbox.subscribe(
        address,
        (message) => stream.send('message', message),
        (message) => stream.send('status', message),
      ),
    );
  });

  app.post('/sim/v1/messages/:id/status', { schema: setSimulatorMessageStatusSchema }, async (request) => {
    const { id } = request.params;
    const path = request.url.split('?')[0] ?? request.url;
    const known = /^SIM[0-9a-f]{32}$/.test(id) ? await inbox.find(id) : undefined;
    if (!known) throw notFound(path);
    const { status } = request.body;
    const errorCode = status === 'undelivered' || status === 'failed' ? (request.body.error_code ?? DEFAULT_ERRORS[status]) : undefined;
    // The status it already has: the carrier repeats its receipt (as carriers retry webhooks); Verity says `unchanged`.
    const repeated = known.message.status === status ? known : undefined;
    const changed = repeated ?? (await inbox.advance(id, { to: status, errorCode: errorCode ?? null }));
    if (!changed) throw new VerityError(60306, `Invalid Request: The message is already ${known.message.status}`);
    const report = await delivery.report(changed, repeated ? (known.message.error_code ?? undefined) : errorCode);
    return { message: changed.message, report };
  });
}
