import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { deleteFactor } from '../factors/delete-factor.ts';
import { entityFailureKey } from '../factors/entities.ts';
import { revokeRecoveryCodes } from '../factors/recovery/recovery-codes.ts';
import { voiceprintFailureKey } from '../factors/voiceprint-factor/biometric-lockout.ts';
import type { EntitySummary } from '../store/admin-identity-queries.ts';
import { messagePage, type Viewer } from './admin-pages.ts';
import { redirect, sendPage } from './admin-reply.ts';
import { recordAdminAction } from './audit-log.ts';
import { ENTITIES_PATH, entitiesPage, entityPage, entityPath, factorActionPage, revokeCodesPage } from './entities-pages.ts';
import { entitiesPageSchema, entityPageSchema, factorActionPageSchema, factorActionSchema, recoveryCodesActionPageSchema, recoveryCodesActionSchema } from './identity-form-schemas.ts';
import { noticeOf, pageNumber } from './identity-page-parts.ts';

const ENTITY_SID = /^YE[0-9a-f]{32}$/;
const FACTOR_SID = /^YF[0-9a-f]{32}$/;
/** An identity as the API accepts it (src/factors/entities.ts); anything else finds nothing. */
const IDENTITY = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

/**
 * The console's entities views (issue 17): the list, one entity with its factors, and the actions
 * on them (delete a factor, reset a voiceprint, revoke recovery codes), each behind a confirmation
 * page. Registered inside the console's signed-in scope (admin-routes.ts), whose hooks have already
 * refused cross-origin posts and posts without the session's CSRF token. Every action uses the
 * domain function the API uses, answers 303, and is recorded in the audit log.
 */
export function entitiesAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const queries = ctx.stores.adminIdentity;

  const notFound = (reply: FastifyReply, viewer: Viewer, sid: string) =>
    sendPage(reply, 404, messagePage(viewer, 'Entity not found', `No entity ${sid} in this account.`, { href: ENTITIES_PATH, label: 'Back to entities' }));

  const findEntity = async (viewer: Viewer, entitySid: string): Promise<EntitySummary | undefined> =>
    ENTITY_SID.test(entitySid) ? queries.entity(viewer.account.sid, entitySid) : undefined;

  admin.get(ENTITIES_PATH, { schema: entitiesPageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const services = await queries.services(viewer.account.sid);
    const service = services.find((s) => s.sid === request.query.service)?.sid;
    const typed = request.query.identity?.trim() || undefined;
    const identity = typed?.slice(0, 64);
    const page = pageNumber(request.query.page);
    const found = identity !== undefined && !IDENTITY.test(identity) ? { rows: [], more: false } : await queries.entities(viewer.account.sid, { serviceSid: service, identity }, page);
    const sids = found.rows.map((e) => e.sid);
    const [factorCounts, recoveryCounts] = await Promise.all([queries.factorCounts(sids), queries.recoveryCodeCounts(sids)]);
    return sendPage(reply, 200, entitiesPage({ viewer, now: ctx.clock.now(), services, service, identity, page, entities: found.rows, more: found.more, factorCounts, recoveryCounts }));
  });

  admin.get(`${ENTITIES_PATH}/:entitySid`, { schema: entityPageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const entity = await findEntity(viewer, request.params.entitySid);
    if (!entity) return notFound(reply, viewer, request.params.entitySid);
    const factors = await queries.factors(entity.sid);
    const voiceprintKeys = factors.filter((f) => f.factor.factor_type === 'voiceprint').map((f) => voiceprintFailureKey(f.factor.sid));
    const [passkeys, pushMarks, activity, recoveryCodes, counters, challenges] = await Promise.all([
      queries.passkeyCredentials(entity.sid),
      queries.pushDeviceMarks(factors.filter((f) => f.factor.factor_type === 'push').map((f) => f.factor.sid)),
      queries.challengeActivity(entity.sid),
      queries.recoveryCodes(entity.sid),
      queries.checkFailuresByKey([entityFailureKey(entity.sid), ...voiceprintKeys]),
      queries.entityChallenges(entity.sid),
    ]);
    const entityLockout = counters.find((c) => c.key === entityFailureKey(entity.sid));
    const voiceprintLockouts = new Map(counters.filter((c) => c.key.startsWith('voiceprint:')).map((c) => [c.key.slice('voiceprint:'.length), c]));
    const done = noticeOf(request.query.done) ? request.query.done : undefined;
    return sendPage(
      reply,
      200,
      entityPage({ viewer, now: ctx.clock.now(), entity, factors, passkeys, pushMarks, activity, recoveryCodes, entityLockout, voiceprintLockouts, challenges, done }),
    );
  });

  /** The entity and its factor of a factor route, or the page that says which is missing. */
  const factorOf = async (request: { adminViewer: Viewer | null; params: { entitySid: string; factorSid: string } }, reply: FastifyReply) => {
    const viewer = request.adminViewer as Viewer;
    const entity = await findEntity(viewer, request.params.entitySid);
    if (!entity) return { reply: notFound(reply, viewer, request.params.entitySid) };
    const factor = FACTOR_SID.test(request.params.factorSid) ? await queries.factor(viewer.account.sid, entity.sid, request.params.factorSid) : undefined;
    return { entity, factor };
  };

  for (const action of ['delete', 'reset'] as const) {
    const path = `${ENTITIES_PATH}/:entitySid/factors/:factorSid/${action}`;

    admin.get(path, { schema: factorActionPageSchema }, async (request, reply) => {
      const viewer = request.adminViewer as Viewer;
      const found = await factorOf(request, reply);
      if ('reply' in found) return found.reply;
      const { entity, factor } = found;
      if (!factor || (action === 'reset' && factor.factor_type !== 'voiceprint')) {
        return sendPage(reply, 404, messagePage(viewer, 'Factor not found', `No ${action === 'reset' ? 'voiceprint' : 'factor'} ${request.params.factorSid} for this entity.`, { href: entityPath(entity.sid), label: 'Back to the entity' }));
      }
      return sendPage(reply, 200, factorActionPage(viewer, ctx.clock.now(), entity, factor, action));
    });

    admin.post(path, { schema: factorActionSchema }, async (request, reply) => {
      const viewer = request.adminViewer as Viewer;
      const found = await factorOf(request, reply);
      if ('reply' in found) return found.reply;
      const { entity, factor } = found;
      if (!factor || (action === 'reset' && factor.factor_type !== 'voiceprint')) return redirect(reply, `${entityPath(entity.sid)}?done=factor-not-deleted`);
      // A voiceprint is enrolled once; enrolling again means a new factor (voiceprint-factor.ts), so
      // resetting deletes it the API's way, and its biometric lock-out goes with it.
      const deleted = await deleteFactor(ctx, factor);
      if (deleted && factor.factor_type === 'voiceprint') await ctx.stores.checkFailures.clear(voiceprintFailureKey(factor.sid));
      ctx.logger.info({ account: viewer.account.sid, entity: entity.sid, factor: factor.sid, action, deleted }, 'admin: factor action');
      if (!deleted) return redirect(reply, `${entityPath(entity.sid)}?done=factor-not-deleted`);
      await recordAdminAction(ctx, viewer, {
        action: action === 'reset' ? 'voiceprint.reset' : 'factor.delete',
        targetSid: factor.sid,
        detail: { entity_sid: entity.sid, service_sid: entity.service_sid, factor_type: factor.factor_type },
      });
      return redirect(reply, `${entityPath(entity.sid)}?done=${action === 'reset' ? 'voiceprint-reset' : 'factor-deleted'}`);
    });
  }

  const revokePath = `${ENTITIES_PATH}/:entitySid/recovery-codes/revoke`;

  admin.get(revokePath, { schema: recoveryCodesActionPageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const entity = await findEntity(viewer, request.params.entitySid);
    if (!entity) return notFound(reply, viewer, request.params.entitySid);
    const codes = await queries.recoveryCodes(entity.sid);
    if (codes.total === 0) return redirect(reply, `${entityPath(entity.sid)}?done=codes-not-revoked`);
    return sendPage(reply, 200, revokeCodesPage(viewer, ctx.clock.now(), entity, codes));
  });

  admin.post(revokePath, { schema: recoveryCodesActionSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const entity = await findEntity(viewer, request.params.entitySid);
    if (!entity) return notFound(reply, viewer, request.params.entitySid);
    const revoked = await revokeRecoveryCodes(ctx, entity);
    ctx.logger.info({ account: viewer.account.sid, entity: entity.sid, revoked }, 'admin: recovery codes revoked');
    if (revoked === 0) return redirect(reply, `${entityPath(entity.sid)}?done=codes-not-revoked`);
    await recordAdminAction(ctx, viewer, { action: 'recovery_codes.revoke', targetSid: entity.sid, detail: { service_sid: entity.service_sid, revoked } });
    return redirect(reply, `${entityPath(entity.sid)}?done=codes-revoked`);
  });
}
