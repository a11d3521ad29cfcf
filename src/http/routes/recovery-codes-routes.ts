import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { ensureEntity, entityPath, loadEntity } from '../../factors/entities.ts';
import { recoveryCodeSummary, regenerateRecoveryCodes, useRecoveryCode } from '../../factors/recovery/recovery-codes.ts';
import type { EntityRow } from '../../store/schema.ts';
import { Params } from '../params.ts';
import { wireDate } from '../wire-format.ts';
import { loadService } from './services-routes.ts';

type EntityPath = { Params: { serviceSid: string; identity: string } };

/**
 * Recovery codes (a Verity extension: the hosted API has none). The codes are returned once, by
 * the POST that issues them; afterwards only counts are readable.
 */
export function recoveryCodesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const resource = (entity: EntityRow, summary: { total: number; remaining: number; dateCreated: number | null }) => ({
    entity_sid: entity.sid,
    identity: entity.identity,
    service_sid: entity.service_sid,
    account_sid: entity.account_sid,
    total: summary.total,
    remaining: summary.remaining,
    date_created: summary.dateCreated === null ? null : wireDate(summary.dateCreated),
    url: `${ctx.config.publicUrl}/v2${entityPath(entity.service_sid, entity.identity)}/RecoveryCodes`,
  });

  app.post<EntityPath>('/v2/Services/:serviceSid/Entities/:identity/RecoveryCodes', async (request, reply) => {
    const service = await loadService(ctx, request);
    const entity = await ensureEntity(ctx, service, request.params.identity);
    const { codes, dateCreated } = await regenerateRecoveryCodes(ctx, entity);
    return reply.status(201).send({ ...resource(entity, { total: codes.length, remaining: codes.length, dateCreated }), codes });
  });

  app.get<EntityPath>('/v2/Services/:serviceSid/Entities/:identity/RecoveryCodes', async (request) => {
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    return resource(entity, await recoveryCodeSummary(ctx, entity));
  });

  app.post<EntityPath>('/v2/Services/:serviceSid/Entities/:identity/RecoveryCodes/Check', async (request) => {
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    const result = await useRecoveryCode(ctx, entity, new Params(request.body).string('Code', { max: 64 }));
    return { entity_sid: entity.sid, identity: entity.identity, valid: result.valid, remaining: result.remaining, amr: result.amr };
  });
}
