import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { checkVerification } from '../../verify/check-verification.ts';
import { startVerification } from '../../verify/start-verification.ts';
import { fetchVerification, updateVerification } from '../../verify/update-verification.ts';
import { verificationCheckResource, verificationResource } from '../../verify/verification-resource.ts';
import type { VerificationRow } from '../../store/schema.ts';
import { voiceFields } from '../../voice/verification-voice-fields.ts';
import { FRIENDLY_NAME_MAX_LENGTH, friendlyName } from '../../services/friendly-name.ts';
import { Params } from '../params.ts';
import { loadService } from './services-routes.ts';

type ServicePath = { Params: { serviceSid: string } };
type VerificationPath = { Params: { serviceSid: string; verificationSid: string } };

export function verificationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const resource = (row: VerificationRow) => ({ ...verificationResource(row, ctx.config.publicUrl), ...voiceFields(ctx, row) });

  app.post<ServicePath>('/v2/Services/:serviceSid/Verifications', async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = new Params(request.body);
    const row = await startVerification(ctx, {
      service,
      to: p.string('To', { max: 320 }),
      channel: p.string('Channel', { max: 16 }),
      locale: p.string('Locale', { max: 35 }),
      customFriendlyName: friendlyName('CustomFriendlyName', p.string('CustomFriendlyName', { max: FRIENDLY_NAME_MAX_LENGTH })),
      customCode: p.string('CustomCode', { max: 10 }),
      amount: p.string('Amount', { max: 64 }),
      payee: p.string('Payee', { max: 128 }),
      voiceFlow: p.string('VoiceFlow', { max: 32 }),
      numberMatch: p.boolean('NumberMatch'),
    });
    return reply.status(201).send(resource(row));
  });

  app.get<VerificationPath>('/v2/Services/:serviceSid/Verifications/:verificationSid', async (request) => {
    const service = await loadService(ctx, request);
    const sid = request.params.verificationSid;
    if (!/^VE[0-9a-f]{32}$/.test(sid)) throw notFound(`/Services/${service.sid}/Verifications/${sid}`);
    return resource(await fetchVerification(ctx, service, sid));
  });

  app.post<VerificationPath>('/v2/Services/:serviceSid/Verifications/:verificationSid', async (request) => {
    const service = await loadService(ctx, request);
    const sid = request.params.verificationSid;
    if (!/^VE[0-9a-f]{32}$/.test(sid)) throw notFound(`/Services/${service.sid}/Verifications/${sid}`);
    const status = new Params(request.body).string('Status', { max: 32 });
    return resource(await updateVerification(ctx, service, sid, status));
  });

  app.post<ServicePath>('/v2/Services/:serviceSid/VerificationCheck', async (request) => {
    const service = await loadService(ctx, request);
    const p = new Params(request.body);
    const row = await checkVerification(ctx, {
      service,
      code: p.string('Code', { max: 16 }),
      to: p.string('To', { max: 320 }),
      verificationSid: p.string('VerificationSid', { max: 34 }),
      amount: p.string('Amount', { max: 64 }),
      payee: p.string('Payee', { max: 128 }),
    });
    return verificationCheckResource(row);
  });
}
