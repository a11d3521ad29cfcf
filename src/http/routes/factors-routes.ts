import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { VerityError, notFound } from '../../errors/verity-error.ts';
import { createChallenge, expireChallenges, fetchChallenge, respondToChallenge } from '../../factors/challenges.ts';
import { createEntity, ensureEntity, entityFailureKey, entityPath, loadEntity } from '../../factors/entities.ts';
import { factorResource } from '../resources/factor-resource.ts';
import { accessTokenResource } from '../resources/access-token-resource.ts';
import { challengeResource } from '../resources/challenge-resource.ts';
import { entityResource } from '../resources/entity-resource.ts';
import { notificationResource } from '../resources/notification-resource.ts';
import { deleteFactor } from '../../factors/delete-factor.ts';
import { announceOutbox, recordFactorEvent } from '../../factors/record-factor-event.ts';
import { issueEnrollmentToken } from '../../factors/push/enrollment-tokens.ts';
import { recordAccessToken } from '../../factors/push/access-token-records.ts';
import { createPushFactor, updatePushFactor } from '../../factors/push/push-factor.ts';
import { notifyDevice } from '../../factors/push/push-notifications.ts';
import { createPasskeyFactor, verifyPasskeyFactor } from '../../factors/passkeys/passkey-factor.ts';
import { createVoiceprintFactor } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { createTotpFactor, updateTotpFactor } from '../../factors/totp/totp-factor.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { pageOf, pageResponse } from '../pagination.ts';
import { invalidInput } from '../schema/validation.ts';
import {
  LateMetadata,
  createAccessTokenSchema,
  createChallengeSchema,
  createEntitySchema,
  createFactorSchema,
  createNotificationSchema,
  deleteEntitySchema,
  deleteFactorSchema,
  factorTypeOfBody,
  fetchChallengeSchema,
  fetchEntitySchema,
  fetchFactorSchema,
  listChallengesSchema,
  listEntitiesSchema,
  listFactorsSchema,
  updateChallengeSchema,
  updateFactorSchema,
} from './factors-schema.ts';
import { loadService, serviceFirst } from './services-routes.ts';

type EntityParams = { serviceSid: string; identity: string };
type FactorParams = EntityParams & { factorSid: string };
type ChallengeParams = EntityParams & { challengeSid: string };

/** Runs `load` once per request: in the preValidation hook, and again (cached) in the handler. */
function oncePerRequest<T>(load: (request: FastifyRequest) => Promise<T>): (request: FastifyRequest) => Promise<T> {
  const loaded = new WeakMap<FastifyRequest, Promise<T>>();
  return (request) => {
    let value = loaded.get(request);
    if (!value) loaded.set(request, (value = load(request)));
    return value;
  };
}

/** Verify's Entities, Factors, Challenges and AccessTokens (TOTP, push, passkey and voiceprint factors). */
export function factorsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const base = () => ctx.config.publicUrl;

  // The path's resources are looked up before the body or query is validated, so an unknown one
  // answers 20404 whatever the input holds, as it always has.
  const entityOf = oncePerRequest(async (request): Promise<{ service: ServiceRow; entity: EntityRow }> => {
    const params = request.params as EntityParams;
    const service = await loadService(ctx, request as FastifyRequest<{ Params: EntityParams }>);
    return { service, entity: await loadEntity(ctx, service, params.identity) };
  });
  const factorOf = oncePerRequest(async (request): Promise<{ service: ServiceRow; entity: EntityRow; factor: FactorRow }> => {
    const { service, entity } = await entityOf(request);
    const sid = (request.params as FactorParams).factorSid;
    const factor = /^YF[0-9a-f]{32}$/.test(sid) ? await ctx.stores.factors.find(entity.sid, sid) : undefined;
    if (!factor) throw notFound(`${entityPath(service.sid, entity.identity)}/Factors/${sid}`);
    return { service, entity, factor };
  });
  const entityFirst = async (request: FastifyRequest): Promise<void> => {
    await entityOf(request);
  };
  /** A factor update's fields depend on the factor's type (factors-schema.ts reads it from here). */
  const factorFirst = async (request: FastifyRequest): Promise<void> => {
    const { factor } = await factorOf(request);
    if (request.body && typeof request.body === 'object') factorTypeOfBody.set(request.body, factor.factor_type);
  };
  const challengeFirst = async (request: FastifyRequest): Promise<void> => {
    const { service, entity } = await entityOf(request);
    const sid = (request.params as ChallengeParams).challengeSid;
    if (!/^YC[0-9a-f]{32}$/.test(sid)) throw notFound(`${entityPath(service.sid, entity.identity)}/Challenges/${sid}`);
  };
  const challengeOf = oncePerRequest(async (request) => fetchChallenge(ctx, (await entityOf(request)).entity, (request.params as ChallengeParams).challengeSid));
  const notificationFirst = async (request: FastifyRequest): Promise<void> => {
    await challengeOf(request);
  };
  /** The body as sent, for the checks that run after the entity exists (a passkey's Metadata). */
  const rawBodies = new WeakMap<FastifyRequest, unknown>();
  const serviceFirstKeepingBody = async (request: FastifyRequest): Promise<void> => {
    rawBodies.set(request, request.body);
    await serviceFirst(ctx)(request);
  };

  // Entities -----------------------------------------------------------------------------------

  api.post('/v2/Services/:serviceSid/Entities', { schema: createEntitySchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const row = await createEntity(ctx, service, request.body.Identity);
    return reply.status(201).send(entityResource(row, base()));
  });

  api.get('/v2/Services/:serviceSid/Entities', { schema: listEntitiesSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const page = pageOf(request.query);
    const rows = await ctx.stores.entities.list(service.sid, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => entityResource(r, base()));
    return pageResponse('entities', items, page, rows.length > page.pageSize, `${base()}/v2/Services/${service.sid}/Entities`);
  });

  api.get('/v2/Services/:serviceSid/Entities/:identity', { schema: fetchEntitySchema }, async (request) => entityResource((await entityOf(request)).entity, base()));

  api.delete('/v2/Services/:serviceSid/Entities/:identity', { schema: deleteEntitySchema }, async (request, reply) => {
    const { entity } = await entityOf(request);
    await ctx.stores.transaction(async (tx) => {
      // Its factors go with it (cascade): each one's deletion is an event too.
      for (const factor of await tx.factors.list(entity.sid, 10_000, 0)) await recordFactorEvent(ctx, tx, 'factor.deleted', factor);
      await tx.entities.delete(entity.sid);
    });
    announceOutbox(ctx, 'factor.deleted', entity.sid);
    // The SID is never reused: its failure counter would only linger.
    await ctx.stores.checkFailures.clear(entityFailureKey(entity.sid));
    return reply.status(204).send();
  });

  // AccessTokens: enrollment tokens for push devices (docs/push.md) ------------------------------

  api.post('/v2/Services/:serviceSid/AccessTokens', { schema: createAccessTokenSchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = request.body;
    const token = await issueEnrollmentToken(ctx, service, { identity: p.Identity, factorType: p.FactorType, friendlyName: p.FactorFriendlyName, ttlSeconds: p.Ttl });
    await recordAccessToken(ctx, token);
    return reply.status(201).send(accessTokenResource(token, base()));
  });

  // Factors ------------------------------------------------------------------------------------

  api.post('/v2/Services/:serviceSid/Entities/:identity/Factors', { schema: createFactorSchema, preValidation: serviceFirstKeepingBody }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = request.body;
    const friendlyName = p.FriendlyName;
    if (p.FactorType === 'passkeys' || p.FactorType === 'voiceprint') {
      const entity = await ensureEntity(ctx, service, request.params.identity);
      // Metadata has always been read once the entity exists (factors-schema.ts leaves it to here).
      const late = LateMetadata.safeParse(rawBodies.get(request));
      if (!late.success) throw invalidInput(late.error);
      if (p.FactorType === 'voiceprint') {
        const row = await createVoiceprintFactor(ctx, service, entity, { friendlyName, metadata: late.data.Metadata });
        return reply.status(201).send(factorResource(row, base()));
      }
      const { row, binding } = await createPasskeyFactor(ctx, service, entity, { friendlyName, metadata: late.data.Metadata });
      return reply.status(201).send({ ...factorResource(row, base()), binding });
    }
    if (p.FactorType === 'push') {
      const input = {
        friendlyName,
        alg: p['Binding.Alg'],
        publicKey: p['Binding.PublicKey'],
        metadata: p.Metadata,
        notificationPlatform: p['Config.NotificationPlatform'],
        notificationToken: p['Config.NotificationToken'],
        appId: p['Config.AppId'],
        sdkVersion: p['Config.SdkVersion'],
      };
      const entity = await ensureEntity(ctx, service, request.params.identity);
      const { row, binding } = await createPushFactor(ctx, service, entity, input);
      return reply.status(201).send(factorResource(row, base(), binding));
    }
    const input = { friendlyName, secret: p['Binding.Secret'], metadata: p.Metadata, timeStep: p['Config.TimeStep'], skew: p['Config.Skew'], codeLength: p['Config.CodeLength'], alg: p['Config.Alg'] };
    const entity = await ensureEntity(ctx, service, request.params.identity);
    const { row, binding } = await createTotpFactor(ctx, service, entity, input);
    return reply.status(201).send(factorResource(row, base(), binding));
  });

  api.get('/v2/Services/:serviceSid/Entities/:identity/Factors', { schema: listFactorsSchema, preValidation: entityFirst }, async (request) => {
    const { service, entity } = await entityOf(request);
    const page = pageOf(request.query);
    const rows = await ctx.stores.factors.list(entity.sid, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => factorResource(r, base()));
    return pageResponse('factors', items, page, rows.length > page.pageSize, `${base()}/v2${entityPath(service.sid, entity.identity)}/Factors`);
  });

  api.get('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid', { schema: fetchFactorSchema }, async (request) => factorResource((await factorOf(request)).factor, base()));

  api.post('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid', { schema: updateFactorSchema, preValidation: factorFirst }, async (request) => {
    const { service, factor } = await factorOf(request);
    const p = request.body;
    if (factor.factor_type === 'push') {
      const input = { authPayload: p.AuthPayload, friendlyName: p.FriendlyName, notificationPlatform: p['Config.NotificationPlatform'], notificationToken: p['Config.NotificationToken'], sdkVersion: p['Config.SdkVersion'] };
      return factorResource(await updatePushFactor(ctx, factor, input), base());
    }
    if (factor.factor_type === 'passkeys') return factorResource(await verifyPasskeyFactor(ctx, service, factor, p.AuthPayload), base());
    if (factor.factor_type === 'voiceprint') throw new VerityError(60300, 'Invalid Param: a voiceprint factor is verified by its enrolment recordings (POST …/Factors/{Sid}/Recordings)');
    const row = await updateTotpFactor(ctx, factor, {
      authPayload: p.AuthPayload,
      friendlyName: p.FriendlyName,
      timeStep: p['Config.TimeStep'],
      skew: p['Config.Skew'],
      codeLength: p['Config.CodeLength'],
      alg: p['Config.Alg'],
    });
    return factorResource(row, base());
  });

  api.delete('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid', { schema: deleteFactorSchema }, async (request, reply) => {
    await deleteFactor(ctx, (await factorOf(request)).factor);
    return reply.status(204).send();
  });

  // Challenges ---------------------------------------------------------------------------------

  api.post('/v2/Services/:serviceSid/Entities/:identity/Challenges', { schema: createChallengeSchema, preValidation: entityFirst }, async (request, reply) => {
    const { service, entity } = await entityOf(request);
    const p = request.body;
    const row = await createChallenge(ctx, service, entity, {
      factorSid: p.FactorSid,
      expirationDate: p.ExpirationDate,
      message: p['Details.Message'],
      fields: p['Details.Fields'] ?? [],
      hiddenDetails: p.HiddenDetails,
      authPayload: p.AuthPayload,
    });
    const created = challengeResource(ctx, row);
    return reply.status(201).send(row.passkeyOptions ? { ...created, passkey_options: row.passkeyOptions } : created);
  });

  api.get('/v2/Services/:serviceSid/Entities/:identity/Challenges', { schema: listChallengesSchema, preValidation: entityFirst }, async (request) => {
    const { service, entity } = await entityOf(request);
    const q = request.query;
    const page = pageOf(q);
    const filter = { factorSid: q.FactorSid, status: q.Status, order: q.Order ?? 'asc' };
    await expireChallenges(ctx, entity);
    const rows = await ctx.stores.challenges.list(entity.sid, filter, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => challengeResource(ctx, r));
    return pageResponse('challenges', items, page, rows.length > page.pageSize, `${base()}/v2${entityPath(service.sid, entity.identity)}/Challenges`, {
      FactorSid: q.FactorSid,
      Status: q.Status,
      Order: q.Order,
    });
  });

  api.get('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid', { schema: fetchChallengeSchema }, async (request) => challengeResource(ctx, await challengeOf(request)));

  api.post('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid/Notifications', { schema: createNotificationSchema, preValidation: notificationFirst }, async (request, reply) => {
    const challenge = await challengeOf(request);
    return reply.status(201).send(notificationResource(challenge, await notifyDevice(ctx, challenge, request.body.Ttl)));
  });

  api.post('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid', { schema: updateChallengeSchema, preValidation: challengeFirst }, async (request) => {
    const { entity } = await entityOf(request);
    const p = request.body;
    const row = await respondToChallenge(ctx, entity, request.params.challengeSid, { authPayload: p.AuthPayload, metadata: p.Metadata });
    return challengeResource(ctx, row);
  });
}
