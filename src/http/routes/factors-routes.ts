import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { VerityError, notFound } from '../../errors/verity-error.ts';
import { challengeResource, createChallenge, expireChallenges, fetchChallenge, respondToChallenge } from '../../factors/challenges.ts';
import { createEntity, ensureEntity, entityFailureKey, entityPath, entityResource, loadEntity } from '../../factors/entities.ts';
import { factorResource } from '../../factors/factor-resource.ts';
import { deleteFactor } from '../../factors/delete-factor.ts';
import { announceOutbox, recordFactorEvent } from '../../factors/record-factor-event.ts';
import { issueEnrollmentToken } from '../../factors/push/enrollment-tokens.ts';
import { createPushFactor, verifyPushFactor } from '../../factors/push/push-factor.ts';
import { notifyDevice } from '../../factors/push/push-notifications.ts';
import { createPasskeyFactor, verifyPasskeyFactor } from '../../factors/passkeys/passkey-factor.ts';
import { MAX_PASSKEY_PAYLOAD } from '../../factors/passkeys/passkey-protocol.ts';
import { createVoiceprintFactor } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { createTotpFactor, updateTotpFactor } from '../../factors/totp/totp-factor.ts';
import { ChallengesStore } from '../../store/challenges-store.ts';
import { CheckFailuresStore } from '../../store/check-failures-store.ts';
import { EntitiesStore } from '../../store/entities-store.ts';
import { FactorsStore } from '../../store/factors-store.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { pageResponse, readPage } from '../pagination.ts';
import { Params } from '../params.ts';
import { loadService } from './services-routes.ts';

type ServicePath = { Params: { serviceSid: string } };
type EntityPath = { Params: { serviceSid: string; identity: string } };
type FactorPath = { Params: { serviceSid: string; identity: string; factorSid: string } };
type ChallengePath = { Params: { serviceSid: string; identity: string; challengeSid: string } };

const ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;

async function loadFactor(ctx: AppContext, service: ServiceRow, entity: EntityRow, sid: string): Promise<FactorRow> {
  const row = /^YF[0-9a-f]{32}$/.test(sid) ? await new FactorsStore(ctx.db.kysely).find(entity.sid, sid) : undefined;
  if (!row) throw notFound(`${entityPath(service.sid, entity.identity)}/Factors/${sid}`);
  return row;
}

const totpConfigParams = (p: Params) => ({
  timeStep: p.integer('Config.TimeStep', 20, 60),
  skew: p.integer('Config.Skew', 0, 2),
  codeLength: p.integer('Config.CodeLength', 3, 8),
  alg: p.oneOf('Config.Alg', ALGORITHMS),
});

/** The longest push AuthPayload the hosted API accepts. */
export const MAX_AUTH_PAYLOAD = 5456;

export const pushConfigParams = (p: Params) => ({
  notificationPlatform: p.oneOf('Config.NotificationPlatform', ['apn', 'fcm', 'none'] as const),
  notificationToken: p.string('Config.NotificationToken', { min: 32, max: 255 }),
  appId: p.string('Config.AppId', { max: 128 }),
  sdkVersion: p.string('Config.SdkVersion', { max: 32 }),
});

/** Verify's Entities, Factors, Challenges and AccessTokens (TOTP, push, passkey and voiceprint factors). */
export function factorsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = () => ctx.config.publicUrl;
  const entityOf = async (request: FastifyRequest<EntityPath>) => {
    const service = await loadService(ctx, request);
    return { service, entity: await loadEntity(ctx, service, request.params.identity) };
  };

  // Entities -----------------------------------------------------------------------------------

  app.post<ServicePath>('/v2/Services/:serviceSid/Entities', async (request, reply) => {
    const service = await loadService(ctx, request);
    const row = await createEntity(ctx, service, new Params(request.body).string('Identity', { max: 64 }));
    return reply.status(201).send(entityResource(row, base()));
  });

  app.get<ServicePath>('/v2/Services/:serviceSid/Entities', async (request) => {
    const service = await loadService(ctx, request);
    const page = readPage(new Params(request.query));
    const rows = await new EntitiesStore(ctx.db.kysely).list(service.sid, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => entityResource(r, base()));
    return pageResponse('entities', items, page, rows.length > page.pageSize, `${base()}/v2/Services/${service.sid}/Entities`);
  });

  app.get<EntityPath>('/v2/Services/:serviceSid/Entities/:identity', async (request) => entityResource((await entityOf(request)).entity, base()));

  app.delete<EntityPath>('/v2/Services/:serviceSid/Entities/:identity', async (request, reply) => {
    const { entity } = await entityOf(request);
    await ctx.db.kysely.transaction().execute(async (trx) => {
      // Its factors go with it (cascade): each one's deletion is an event too.
      for (const factor of await new FactorsStore(trx).list(entity.sid, 10_000, 0)) await recordFactorEvent(ctx, trx, 'factor.deleted', factor);
      await new EntitiesStore(trx).delete(entity.sid);
    });
    announceOutbox(ctx, 'factor.deleted', entity.sid);
    // The SID is never reused: its failure counter would only linger.
    await new CheckFailuresStore(ctx.db.kysely).clear(entityFailureKey(entity.sid));
    return reply.status(204).send();
  });

  // AccessTokens: enrollment tokens for push devices (docs/push.md) ------------------------------

  app.post<ServicePath>('/v2/Services/:serviceSid/AccessTokens', async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = new Params(request.body);
    const token = await issueEnrollmentToken(ctx, service, {
      identity: p.string('Identity', { max: 64 }),
      factorType: p.string('FactorType', { max: 16 }),
      friendlyName: p.string('FactorFriendlyName', { min: 1, max: 64 }),
      ttlSeconds: p.integer('Ttl', 60, 300),
    });
    return reply.status(201).send(token);
  });

  // Factors ------------------------------------------------------------------------------------

  app.post<EntityPath>('/v2/Services/:serviceSid/Entities/:identity/Factors', async (request, reply) => {
    const service = await loadService(ctx, request);
    const p = new Params(request.body);
    const friendlyName = p.required('FriendlyName', { max: 64 });
    const factorType = p.oneOf('FactorType', ['push', 'totp', 'passkeys', 'voiceprint']);
    if (factorType === undefined) p.required('FactorType');
    if (factorType === 'passkeys') {
      const entity = await ensureEntity(ctx, service, request.params.identity);
      const { row, binding } = await createPasskeyFactor(ctx, service, entity, { friendlyName, metadata: p.json('Metadata', 1024) });
      return reply.status(201).send({ ...factorResource(row, base()), binding });
    }
    if (factorType === 'voiceprint') {
      const entity = await ensureEntity(ctx, service, request.params.identity);
      const row = await createVoiceprintFactor(ctx, service, entity, { friendlyName, metadata: p.json('Metadata', 1024) });
      return reply.status(201).send(factorResource(row, base()));
    }
    if (factorType === 'push') {
      const input = { friendlyName, alg: p.string('Binding.Alg', { max: 16 }), publicKey: p.string('Binding.PublicKey', { max: 1024 }), metadata: p.json('Metadata', 1024), ...pushConfigParams(p) };
      const entity = await ensureEntity(ctx, service, request.params.identity);
      const { row, binding } = await createPushFactor(ctx, service, entity, input);
      return reply.status(201).send(factorResource(row, base(), binding));
    }
    const input = { friendlyName, secret: p.string('Binding.Secret', { max: 256 }), metadata: p.json('Metadata', 1024), ...totpConfigParams(p) };
    const entity = await ensureEntity(ctx, service, request.params.identity);
    const { row, binding } = await createTotpFactor(ctx, service, entity, input);
    return reply.status(201).send(factorResource(row, base(), binding));
  });

  app.get<EntityPath>('/v2/Services/:serviceSid/Entities/:identity/Factors', async (request) => {
    const { service, entity } = await entityOf(request);
    const page = readPage(new Params(request.query));
    const rows = await new FactorsStore(ctx.db.kysely).list(entity.sid, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => factorResource(r, base()));
    return pageResponse('factors', items, page, rows.length > page.pageSize, `${base()}/v2${entityPath(service.sid, entity.identity)}/Factors`);
  });

  app.get<FactorPath>('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid', async (request) => {
    const { service, entity } = await entityOf(request);
    return factorResource(await loadFactor(ctx, service, entity, request.params.factorSid), base());
  });

  app.post<FactorPath>('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid', async (request) => {
    const { service, entity } = await entityOf(request);
    const factor = await loadFactor(ctx, service, entity, request.params.factorSid);
    const p = new Params(request.body);
    if (factor.factor_type === 'push') return factorResource(await verifyPushFactor(ctx, factor, p.string('AuthPayload', { max: MAX_AUTH_PAYLOAD })), base());
    if (factor.factor_type === 'passkeys') return factorResource(await verifyPasskeyFactor(ctx, service, factor, p.string('AuthPayload', { max: MAX_PASSKEY_PAYLOAD })), base());
    if (factor.factor_type === 'voiceprint') throw new VerityError(60300, 'Invalid Param: a voiceprint factor is verified by its enrolment recordings (POST …/Factors/{Sid}/Recordings)');
    const row = await updateTotpFactor(ctx, factor, {
      authPayload: p.string('AuthPayload', { min: 3, max: 8 }),
      friendlyName: p.string('FriendlyName', { min: 1, max: 64 }),
      ...totpConfigParams(p),
    });
    return factorResource(row, base());
  });

  app.delete<FactorPath>('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid', async (request, reply) => {
    const { service, entity } = await entityOf(request);
    await deleteFactor(ctx, await loadFactor(ctx, service, entity, request.params.factorSid));
    return reply.status(204).send();
  });

  // Challenges ---------------------------------------------------------------------------------

  app.post<EntityPath>('/v2/Services/:serviceSid/Entities/:identity/Challenges', async (request, reply) => {
    const { service, entity } = await entityOf(request);
    const p = new Params(request.body);
    const row = await createChallenge(ctx, service, entity, {
      factorSid: p.string('FactorSid', { max: 34 }),
      expirationDate: p.string('ExpirationDate', { max: 40 }),
      message: p.string('Details.Message', { max: 256 }),
      fields: p.list('Details.Fields'),
      hiddenDetails: p.json('HiddenDetails', 1024),
      authPayload: p.string('AuthPayload', { min: 3, max: 8 }),
    });
    const created = challengeResource(ctx, row);
    return reply.status(201).send(row.passkeyOptions ? { ...created, passkey_options: row.passkeyOptions } : created);
  });

  app.get<EntityPath>('/v2/Services/:serviceSid/Entities/:identity/Challenges', async (request) => {
    const { service, entity } = await entityOf(request);
    const p = new Params(request.query);
    const page = readPage(p);
    const filter = {
      factorSid: p.string('FactorSid', { pattern: /^YF[0-9a-f]{32}$/, why: 'expected YF followed by 32 hex characters' }),
      status: p.oneOf('Status', ['pending', 'expired', 'approved', 'denied']),
      order: p.oneOf('Order', ['asc', 'desc']) ?? 'asc',
    };
    await expireChallenges(ctx, entity);
    const rows = await new ChallengesStore(ctx.db.kysely).list(entity.sid, filter, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => challengeResource(ctx, r));
    return pageResponse('challenges', items, page, rows.length > page.pageSize, `${base()}/v2${entityPath(service.sid, entity.identity)}/Challenges`);
  });

  app.get<ChallengePath>('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid', async (request) => {
    const { entity } = await entityOf(request);
    return challengeResource(ctx, await fetchChallenge(ctx, entity, request.params.challengeSid));
  });

  app.post<ChallengePath>('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid/Notifications', async (request, reply) => {
    const { entity } = await entityOf(request);
    const challenge = await fetchChallenge(ctx, entity, request.params.challengeSid);
    return reply.status(201).send(notifyDevice(ctx, challenge, new Params(request.body).integer('Ttl', 0, 300)));
  });

  app.post<ChallengePath>('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid', async (request) => {
    const { service, entity } = await entityOf(request);
    const sid = request.params.challengeSid;
    if (!/^YC[0-9a-f]{32}$/.test(sid)) throw notFound(`${entityPath(service.sid, entity.identity)}/Challenges/${sid}`);
    const p = new Params(request.body);
    const row = await respondToChallenge(ctx, entity, sid, { authPayload: p.string('AuthPayload', { max: MAX_AUTH_PAYLOAD }), metadata: p.json('Metadata', 1024) });
    return challengeResource(ctx, row);
  });
}
