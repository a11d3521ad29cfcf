import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { VerityError, notFound } from '../../errors/verity-error.ts';
import { respondToChallenge } from '../../factors/challenges.ts';
import { ensureEntity } from '../../factors/entities.ts';
import { deviceChallengeResource } from '../resources/device-challenge-resource.ts';
import { factorResource } from '../resources/factor-resource.ts';
import { authenticateDevice } from '../../factors/push/device-statements.ts';
import { redeemEnrollmentToken } from '../../factors/push/enrollment-tokens.ts';
import { enrollmentCodeRoutes } from './enrollment-code-routes.ts';
import { checkPushFactorInput, createPushFactor, updatePushFactor } from '../../factors/push/push-factor.ts';
import type { ChallengeRow, EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { openEventStream, refreshWhileOpen } from '../event-stream.ts';
import {
  deviceEnrollSchema,
  deviceFetchFactorSchema,
  deviceListChallengesSchema,
  deviceRespondChallengeSchema,
  deviceStreamChallengesSchema,
  deviceVerifyFactorSchema,
} from './device-schema.ts';

type FactorParams = { factorSid: string };
type ChallengeParams = FactorParams & { challengeSid: string };
type Device = { factor: FactorRow; expiresAt: number };

/** Pending challenges a device is shown at most (newest first). */
const MAX_PENDING_LISTED = 50;

/**
 * The push device API (docs/push.md). Devices hold no account credentials: they enroll with a
 * single-use enrollment token, then authenticate every call with a short JWT signed by their own
 * key. Calls are limited per client IP, per factor and by failed authentications per IP
 * (src/http/hosted-rate-limits.ts), before their input is validated.
 */
export function deviceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // Short enrolment codes (the enrollment hub's QR code): traded for an enrolment token, no authentication.
  enrollmentCodeRoutes(app, ctx);
  const base = () => ctx.config.publicUrl;

  /** The device's own factor: the token's `kid` must be the factor in the path. */
  const deviceFactor = async (request: FastifyRequest, options: { verified: boolean }): Promise<Device> => {
    const device = await authenticateDevice(ctx, request.headers.authorization);
    if (device.factor.sid !== (request.params as FactorParams).factorSid) throw new VerityError(20003, 'Authenticate: the device token is for another factor');
    if (options.verified && device.factor.status !== 'verified') throw new VerityError(60300, 'Invalid Param: the factor is not verified yet');
    return device;
  };

  // The device is authenticated (and the path's challenge found) before its input is validated, as
  // it always was: the hooks remember what they found for the handler.
  const devices = new WeakMap<FastifyRequest, Device>();
  const challenges = new WeakMap<FastifyRequest, { challenge: ChallengeRow; entity: EntityRow }>();
  const deviceFirst = (options: { verified: boolean }) => async (request: FastifyRequest) => {
    devices.set(request, await deviceFactor(request, options));
  };
  const deviceOf = (request: FastifyRequest): Device => devices.get(request) as Device;
  const challengeFirst = async (request: FastifyRequest): Promise<void> => {
    const { factor } = await deviceFactor(request, { verified: true });
    devices.set(request, { factor, expiresAt: 0 });
    const sid = (request.params as ChallengeParams).challengeSid;
    const challenge = /^YC[0-9a-f]{32}$/.test(sid) ? await ctx.stores.challenges.findBySid(sid) : undefined;
    if (!challenge || challenge.factor_sid !== factor.sid) throw notFound(`/device/v1/Factors/${factor.sid}/Challenges/${sid}`);
    const entity = await ctx.stores.entities.find(factor.service_sid, factor.identity);
    if (!entity) throw notFound(`/device/v1/Factors/${factor.sid}/Challenges/${sid}`);
    challenges.set(request, { challenge, entity });
  };

  const serviceOf = async (factor: FactorRow): Promise<ServiceRow> => {
    const service = await ctx.stores.services.find(factor.account_sid, factor.service_sid);
    if (!service) throw notFound(`/Services/${factor.service_sid}`);
    return service;
  };

  /** The factor's pending, unexpired challenges; being read by the device marks them delivered. */
  const pendingFor = async (factor: FactorRow): Promise<ChallengeRow[]> => {
    const now = ctx.clock.now();
    const rows = (await ctx.stores.challenges.listForFactor(factor.sid, 'pending', MAX_PENDING_LISTED)).filter((r) => r.expiration_date > now);
    const undelivered = rows.filter((r) => r.date_delivered === null);
    await ctx.stores.challenges.markDelivered(undelivered.map((r) => r.sid), now);
    for (const row of undelivered) ctx.bus.publish(`challenge:${row.sid}`, { type: 'delivered', resourceSid: row.sid });
    return rows.map((r) => (r.date_delivered === null ? { ...r, date_delivered: now } : r));
  };

  api.post('/device/v1/Factors', { schema: deviceEnrollSchema }, async (request, reply) => {
    const p = request.body;
    const input = {
      alg: p['Binding.Alg'],
      publicKey: p['Binding.PublicKey'],
      friendlyName: p.FriendlyName,
      metadata: p.Metadata,
      notificationPlatform: p['Config.NotificationPlatform'],
      notificationToken: p['Config.NotificationToken'],
      appId: p['Config.AppId'],
      sdkVersion: p['Config.SdkVersion'],
    };
    // Bad input is refused before the single-use token is spent.
    checkPushFactorInput(input);
    const claims = await redeemEnrollmentToken(ctx, request.headers.authorization);
    const service = await ctx.stores.services.find(claims.account_sid, claims.service_sid);
    if (!service) throw notFound(`/Services/${claims.service_sid}`);
    const entity = await ensureEntity(ctx, service, claims.sub);
    const { row, binding } = await createPushFactor(ctx, service, entity, { ...input, friendlyName: input.friendlyName ?? claims.factor_friendly_name });
    return reply.status(201).send(factorResource(row, base(), binding));
  });

  api.get('/device/v1/Factors/:factorSid', { schema: deviceFetchFactorSchema }, async (request) => {
    const { factor } = await deviceFactor(request, { verified: false });
    return { ...factorResource(factor, base()), service_name: (await serviceOf(factor)).friendly_name };
  });

  api.post('/device/v1/Factors/:factorSid', { schema: deviceVerifyFactorSchema, preValidation: deviceFirst({ verified: false }) }, async (request) => {
    const p = request.body;
    const updated = await updatePushFactor(ctx, deviceOf(request).factor, { authPayload: p.AuthPayload, notificationPlatform: p['Config.NotificationPlatform'], notificationToken: p['Config.NotificationToken'], sdkVersion: p['Config.SdkVersion'] });
    return factorResource(updated, base());
  });

  api.get('/device/v1/Factors/:factorSid/Challenges', { schema: deviceListChallengesSchema, preValidation: deviceFirst({ verified: true }) }, async (request) => {
    const { factor } = deviceOf(request);
    const status = request.query.Status;
    const service = await serviceOf(factor);
    if (status === 'pending' || status === undefined) {
      await ctx.stores.challenges.expireDue(factor.entity_sid, ctx.clock.now());
    }
    const rows = status === 'pending' ? await pendingFor(factor) : await ctx.stores.challenges.listForFactor(factor.sid, status, MAX_PENDING_LISTED);
    return { challenges: rows.map((r) => deviceChallengeResource(r, service, base())) };
  });

  api.get('/device/v1/Factors/:factorSid/Challenges/Stream', { schema: deviceStreamChallengesSchema, config: { eventStream: true } }, async (request, reply) => {
    const { factor, expiresAt } = await deviceFactor(request, { verified: true });
    const service = await serviceOf(factor);
    const stream = openEventStream(ctx, request, reply);
    // Per challenge shown: its re-send count then (`notification_seq`). A re-send asked on any node
    // raises the row's count, so the challenge is shown again whichever node this device is on.
    const shown = new Map<string, number>();
    // The stream lives no longer than the token that opened it.
    const expiry = setTimeout(() => stream.close(), Math.max(0, expiresAt - ctx.clock.now()));
    expiry.unref();
    stream.onClose(() => clearTimeout(expiry));
    // Re-read on every change to the factor's challenges, announced by whichever node made it.
    await refreshWhileOpen(ctx, stream, { topic: `factor:${factor.sid}`, logContext: { factorSid: factor.sid } }, async () => {
      if (!(await ctx.stores.factors.findBySid(factor.sid))) return stream.close();
      for (const row of await pendingFor(factor)) {
        const seen = shown.get(row.sid);
        if (seen !== undefined && seen >= row.notification_seq) continue;
        shown.set(row.sid, row.notification_seq);
        stream.send('challenge', deviceChallengeResource(row, service, base()));
      }
    });
  });

  api.post('/device/v1/Factors/:factorSid/Challenges/:challengeSid', { schema: deviceRespondChallengeSchema, preValidation: challengeFirst }, async (request) => {
    const { factor } = deviceOf(request);
    const { entity } = challenges.get(request) as { entity: EntityRow };
    const p = request.body;
    const row = await respondToChallenge(ctx, entity, request.params.challengeSid, { authPayload: p.AuthPayload, metadata: p.Metadata });
    return deviceChallengeResource(row, await serviceOf(factor), base());
  });
}
