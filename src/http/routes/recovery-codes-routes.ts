import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { ensureEntity, entityPath, loadEntity } from '../../factors/entities.ts';
import { recoveryCodeSummary, regenerateRecoveryCodes, useRecoveryCode } from '../../factors/recovery/recovery-codes.ts';
import type { EntityRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';
import { checkRecoveryCodeSchema, fetchRecoveryCodesSchema, issueRecoveryCodesSchema } from './recovery-codes-schema.ts';
import { loadService } from './services-routes.ts';

type EntityRequest = FastifyRequest<{ Params: { serviceSid: string; identity: string } }>;

/**
 * Recovery codes (a Verity extension: the hosted API has none). The codes are returned once, by
 * the POST that issues them; afterwards only counts are readable.
 */
export function recoveryCodesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const resource = (entity: EntityRow, summary: { total: number; remaining: number; dateCreated: number | null }) => ({
    entity_sid: entity.sid,
    identity: entity.identity,
    service_sid: entity.service_sid,
    account_sid: entity.account_sid,
    total: summary.total,
    remaining: summary.remaining,
    date_created: summary.dateCreated === null ? null : isoSeconds(summary.dateCreated),
    url: `${ctx.config.publicUrl}/v2${entityPath(entity.service_sid, entity.identity)}/RecoveryCodes`,
  });
  // One lookup per request: the preValidation hook's entity is the handler's.
  const entities = new WeakMap<FastifyRequest, EntityRow>();
  const entityOf = async (request: EntityRequest): Promise<EntityRow> => {
    const known = entities.get(request);
    if (known) return known;
    const entity = await loadEntity(ctx, await loadService(ctx, request), request.params.identity);
    entities.set(request, entity);
    return entity;
  };

  api.post('/v2/Services/:serviceSid/Entities/:identity/RecoveryCodes', { schema: issueRecoveryCodesSchema }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const entity = await ensureEntity(ctx, service, request.params.identity);
    const { codes, dateCreated } = await regenerateRecoveryCodes(ctx, entity);
    return reply.status(201).send({ ...resource(entity, { total: codes.length, remaining: codes.length, dateCreated }), codes });
  });

  api.get('/v2/Services/:serviceSid/Entities/:identity/RecoveryCodes', { schema: fetchRecoveryCodesSchema }, async (request) => {
    const entity = await entityOf(request);
    return resource(entity, await recoveryCodeSummary(ctx, entity));
  });

  // The service and the entity are looked up before the body is validated: 20404 before 60200, as always.
  api.post('/v2/Services/:serviceSid/Entities/:identity/RecoveryCodes/Check', { schema: checkRecoveryCodeSchema, preValidation: async (request) => void (await entityOf(request as EntityRequest)) }, async (request) => {
    const entity = await entityOf(request);
    const result = await useRecoveryCode(ctx, entity, request.body.Code);
    return { entity_sid: entity.sid, identity: entity.identity, valid: result.valid, remaining: result.remaining, amr: result.amr };
  });
}
