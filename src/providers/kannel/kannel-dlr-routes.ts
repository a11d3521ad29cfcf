import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { VerityError, errorBody } from '../../errors/verity-error.ts';
import type { DeliveryStatusSink } from '../../messaging/delivery-status.ts';
import { isKannelDlrToken, kannelDlrPath, kannelDlrReport } from './kannel-dlr.ts';
import { kannelDlrSchema } from './kannel-dlr-schema.ts';

export interface KannelDlrRoutesOptions {
  /** The provider instance: the route is `/messaging/<instance>/dlr` and its reports carry it. */
  instance: string;
  /** The instance's callback key (ProviderDeps.callbackKey), which made the dlr-url tokens. */
  key: Buffer;
  deliveryStatus: DeliveryStatusSink;
  logger: Logger;
}

/**
 * `GET /messaging/<instance>/dlr?attempt&token&type&answer&ts&smsc`: Kannel's call of the dlr-url
 * Verity gave with a message (kannelDlrUrl). A token that is not the attempt's → 403, a malformed
 * query → 400 (60200), both before anything is reported. Recorded or repeated → 204. An attempt the
 * sink does not know → 404: smsbox never answers a report with an SMS, and retries a failed call
 * only when `http-request-retry` is set, which then also covers a report that raced the attempt's
 * record. Validated by the app's zod validator compiler (buildApp sets it).
 *
 * @example
 * await kannelDlrRoutes(app, { instance: 'kannel', key: deps.callbackKey('kannel-dlr/kannel'), deliveryStatus, logger });
 */
export async function kannelDlrRoutes(fastify: FastifyInstance, options: KannelDlrRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const log = options.logger.child({ provider: options.instance });
  app.get(kannelDlrPath(options.instance), { schema: kannelDlrSchema }, async (request, reply) => {
    const query = request.query;
    if (!isKannelDlrToken(options.key, query.attempt, query.token)) {
      // Neither the token nor the answer is logged: the one authenticates, the other may quote the message.
      log.warn({ attempt: query.attempt, type: query.type }, 'refused a Kannel delivery report with a wrong dlr-url token');
      return reply.code(403).send(errorBody(new VerityError(20003, 'The dlr-url token does not match the attempt', { status: 403 })));
    }
    const report = kannelDlrReport(options.instance, query);
    if (!report) throw new VerityError(60200, 'Invalid parameter: type (expected a report type Verity asks for: 1, 2, 4, 8 or 16)');
    const outcome = await options.deliveryStatus.report(report);
    log.info({ attempt: query.attempt, type: query.type, status: report.status, errorCode: report.errorCode, smsc: query.smsc, outcome }, 'Kannel delivery report');
    if (outcome === 'unknown') throw new VerityError(20404, `No send attempt ${query.attempt} of ${options.instance}`);
    return reply.code(204).send();
  });
}
