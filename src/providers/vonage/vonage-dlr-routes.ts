import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../crypto/clock.ts';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import { takenAsSent } from '../../http/schema/validation.ts';
import type { DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { receiptPath } from '../receipt-url.ts';
import { authenticateDlr, readVonageDlr } from './vonage-dlr.ts';
import { vonageDlrGetSchema, vonageDlrPostSchema } from './vonage-dlr-schema.ts';
import type { VonageSignatureMethod } from './vonage-signature.ts';

export interface VonageDlrRoutesOptions {
  /** The provider instance (ProviderDeps.instance): the route is `/messaging/<instance>/dlr` and reports carry it. */
  instance: string;
  /** Every DLR must be signed with it; undefined only when unsigned DLRs are explicitly allowed. */
  signature: { secret: string; method: VonageSignatureMethod } | undefined;
  sink: DeliveryStatusSink;
  clock: Clock;
  logger: Logger;
}

/**
 * `GET` and `POST /messaging/<instance>/dlr`: Vonage's delivery receipts (the account chooses GET,
 * POST form or POST JSON). Parameters that are not flat strings are refused (400 / 20001); with a
 * signature secret, a missing, wrong or stale signature is refused (401 / 20003) before anything is
 * read; a DLR is reported to the sink and answered 204, except one for a message id the instance
 * does not know: 404 / 20404. Vonage retries a DLR that got no 2xx, which covers the one case where a
 * correctly signed DLR names an unknown id: it overtook the send's own answer (an `accepted` DLR can
 * come within milliseconds). A repeat is answered 204 (the sink says `unchanged`).
 *
 * @example
 * await vonageDlrRoutes(app, { instance: 'vonage', signature: { secret, method: 'sha256' }, sink, clock, logger });
 */
export async function vonageDlrRoutes(app: FastifyInstance, options: VonageDlrRoutesOptions): Promise<void> {
  const log = options.logger.child({ provider: options.instance });
  const path = receiptPath(options.instance, 'dlr');

  async function receive(input: unknown, reply: FastifyReply): Promise<FastifyReply> {
    const params = flatStrings(input);
    if (!params) {
      log.warn('refused a Vonage DLR whose parameters are not flat strings');
      return reply.code(400).send(errorBody(new VerityError(20001, 'Not a Vonage delivery receipt: the parameters are not name=value strings')));
    }
    if (options.signature) {
      const authentic = authenticateDlr(params, options.signature.secret, options.signature.method, options.clock.now());
      if (!authentic.ok) {
        // Neither the signature nor the parameters are logged: they name the recipient.
        log.warn({ signature: authentic.why }, 'refused a Vonage DLR with a missing, wrong or stale signature');
        return reply.code(401).send(errorBody(new VerityError(20003, 'The Vonage signature is missing, wrong or stale', { status: 401 })));
      }
    }
    const dlr = readVonageDlr(params);
    if (dlr.kind === 'malformed') {
      log.warn({ problem: dlr.problem }, 'refused a Vonage DLR that is not one');
      return reply.code(400).send(errorBody(new VerityError(20001, `Not a Vonage delivery receipt: ${dlr.problem}`)));
    }
    if (dlr.kind === 'ignored') return reply.code(204).send();
    const outcome = await options.sink.report({ provider: options.instance, ...dlr.report });
    if (outcome === 'unknown') {
      log.warn({ messageId: dlr.report.providerMessageId, status: dlr.report.status }, 'a Vonage DLR for a message this instance does not know (yet): answered 404 so that Vonage retries it');
      return reply.code(404).send(errorBody(new VerityError(20404, 'No message of this provider instance has that messageId')));
    }
    return reply.code(204).send();
  }

  await app.register(async (scope) => {
    // The signature covers the parameters as sent: no schema may change them first.
    scope.get(path, { schema: vonageDlrGetSchema, validatorCompiler: takenAsSent }, (request, reply) => receive(request.query, reply));
    scope.post(path, { schema: vonageDlrPostSchema, validatorCompiler: takenAsSent }, (request, reply) => receive(request.body, reply));
  });
}

/** The parameters as name → string, or undefined when they are not a flat object of strings (a repeated name, a JSON number). */
function flatStrings(input: unknown): Record<string, string> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || Buffer.isBuffer(input)) return undefined;
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length === 0 || entries.some(([, value]) => typeof value !== 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}
