import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { checkVerification } from '../../verify/check-verification.ts';
import { startVerificationAnswered } from '../../verify/start-verification.ts';
import { fetchVerification, updateVerification } from '../../verify/update-verification.ts';
import { verificationCheckResource, verificationResource } from '../resources/verification-resource.ts';
import type { DeliveryAttemptRow, ServiceRow, VerificationRow } from '../../store/schema.ts';
import { voiceFields } from '../resources/verification-voice-fields.ts';
import { verificationLookup } from '../../verify/line-type.ts';
import { friendlyName } from '../../services/friendly-name.ts';
import { loadService, serviceFirst } from './services-routes.ts';
import { checkVerificationSchema, createVerificationSchema, fetchVerificationSchema, updateVerificationSchema } from './verifications-schema.ts';

/** A malformed verification SID is an unknown one (20404), found before the body is read. */
function verificationSidOf(service: ServiceRow, sid: string): string {
  if (!/^VE[0-9a-f]{32}$/.test(sid)) throw notFound(`/Services/${service.sid}/Verifications/${sid}`);
  return sid;
}

export function verificationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // LookupEnabled: the offline numbering plan's line type of a phone number (src/verify/line-type.ts), in the hosted `lookup` field.
  const lookup = (service: ServiceRow, row: VerificationRow) => (service.lookup_enabled && row.destination.startsWith('+') ? { lookup: verificationLookup(row.destination) } : {});
  // `attempts`: the delivery attempts when the caller has them all in hand (a new verification), else they are read.
  const resource = async (row: VerificationRow, service: ServiceRow, attempts?: DeliveryAttemptRow[]) => ({ ...verificationResource(row, ctx.config.publicUrl, attempts ?? (await ctx.stores.deliveryAttempts.listForVerification(row.sid))), ...lookup(service, row), ...voiceFields(ctx, row) });

  api.post('/v2/Services/:serviceSid/Verifications', { schema: createVerificationSchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = request.body;
    const { row, deliveryAttempts } = await startVerificationAnswered(ctx, {
      service,
      to: p.To,
      channel: p.Channel,
      locale: p.Locale,
      customFriendlyName: friendlyName('CustomFriendlyName', p.CustomFriendlyName),
      customCode: p.CustomCode,
      amount: p.Amount,
      payee: p.Payee,
      voiceFlow: p.VoiceFlow,
      numberMatch: p.NumberMatch,
      rateLimits: p.RateLimits,
      appHash: p.AppHash,
      customMessage: p.CustomMessage,
      channelConfiguration: p.ChannelConfiguration,
      templateSid: p.TemplateSid,
      templateCustomSubstitutions: p.TemplateCustomSubstitutions,
      templates: p.Templates,
    });
    return reply.status(201).send(await resource(row, service, deliveryAttempts));
  });

  api.get('/v2/Services/:serviceSid/Verifications/:verificationSid', { schema: fetchVerificationSchema }, async (request) => {
    const service = await loadService(ctx, request);
    return resource(await fetchVerification(ctx, service, verificationSidOf(service, request.params.verificationSid)), service);
  });

  const verificationFirst = async (request: FastifyRequest): Promise<void> => {
    const { verificationSid } = request.params as { verificationSid: string };
    verificationSidOf(await loadService(ctx, request as FastifyRequest<{ Params: { serviceSid: string } }>), verificationSid);
  };

  api.post('/v2/Services/:serviceSid/Verifications/:verificationSid', { schema: updateVerificationSchema, preValidation: verificationFirst }, async (request) => {
    const service = await loadService(ctx, request);
    const sid = verificationSidOf(service, request.params.verificationSid);
    return resource(await updateVerification(ctx, service, sid, request.body.Status), service);
  });

  api.post('/v2/Services/:serviceSid/VerificationCheck', { schema: checkVerificationSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const p = request.body;
    const row = await checkVerification(ctx, { service, code: p.Code, to: p.To, verificationSid: p.VerificationSid, amount: p.Amount, payee: p.Payee });
    return verificationCheckResource(row);
  });
}
