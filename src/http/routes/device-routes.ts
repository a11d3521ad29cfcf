import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { VerityError, notFound } from '../../errors/verity-error.ts';
import { respondToChallenge } from '../../factors/challenges.ts';
import { ensureEntity } from '../../factors/entities.ts';
import { factorResource } from '../../factors/factor-resource.ts';
import { authenticateDevice } from '../../factors/push/device-statements.ts';
import { redeemEnrollmentToken } from '../../factors/push/enrollment-tokens.ts';
import { checkPushFactorInput, createPushFactor, verifyPushFactor } from '../../factors/push/push-factor.ts';
import { deviceChallenge } from '../../factors/push/push-challenges.ts';
import { ChallengesStore } from '../../store/challenges-store.ts';
import { EntitiesStore } from '../../store/entities-store.ts';
import { FactorsStore } from '../../store/factors-store.ts';
import type { ChallengeRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { ServicesStore } from '../../store/services-store.ts';
import { openEventStream, refreshWhileOpen } from '../event-stream.ts';
import { Params } from '../params.ts';
import { MAX_AUTH_PAYLOAD, pushConfigParams } from './factors-routes.ts';

type FactorPath = { Params: { factorSid: string } };
type ChallengePath = { Params: { factorSid: string; challengeSid: string } };

/** Pending challenges a device is shown at most (newest first). */
const MAX_PENDING_LISTED = 50;
/** How often a device stream looks for challenges created on other Verity nodes. */
const STREAM_POLL_MS = 1_000;

/**
 * The push device API (docs/push.md). Devices hold no account credentials: they enroll with a
 * single-use enrollment token, then authenticate every call with a short JWT signed by their own
 * key. Calls are limited per client IP, per factor and by failed authentications per IP
 * (src/http/hosted-rate-limits.ts).
 */
export function deviceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = () => ctx.config.publicUrl;

  /** The device's own factor: the token's `kid` must be the factor in the path. */
  const deviceFactor = async (request: FastifyRequest<FactorPath>, options: { verified: boolean }): Promise<{ factor: FactorRow; expiresAt: number }> => {
    const device = await authenticateDevice(ctx, request.headers.authorization);
    if (device.factor.sid !== request.params.factorSid) throw new VerityError(20003, 'Authenticate: the device token is for another factor');
    if (options.verified && device.factor.status !== 'verified') throw new VerityError(60300, 'Invalid Param: the factor is not verified yet');
    return device;
  };

  const serviceOf = async (factor: FactorRow): Promise<ServiceRow> => {
    const service = await new ServicesStore(ctx.db.kysely).find(factor.account_sid, factor.service_sid);
    if (!service) throw notFound(`/Services/${factor.service_sid}`);
    return service;
  };

  /** The factor's pending, unexpired challenges; being read by the device marks them delivered. */
  const pendingFor = async (factor: FactorRow): Promise<ChallengeRow[]> => {
    const now = ctx.clock.now();
    const rows = (await new ChallengesStore(ctx.db.kysely).listForFactor(factor.sid, 'pending', MAX_PENDING_LISTED)).filter((r) => r.expiration_date > now);
    const undelivered = rows.filter((r) => r.date_delivered === null);
    await new ChallengesStore(ctx.db.kysely).markDelivered(undelivered.map((r) => r.sid), now);
    for (const row of undelivered) ctx.bus.publish(`challenge:${row.sid}`, { type: 'delivered', resourceSid: row.sid });
    return rows.map((r) => (r.date_delivered === null ? { ...r, date_delivered: now } : r));
  };

  app.post('/device/v1/Factors', async (request, reply) => {
    const p = new Params(request.body);
    const input = {
      alg: p.string('Binding.Alg', { max: 16 }),
      publicKey: p.string('Binding.PublicKey', { max: 1024 }),
      friendlyName: p.string('FriendlyName', { min: 1, max: 64 }),
      metadata: p.json('Metadata', 1024),
      ...pushConfigParams(p),
    };
    // Bad input is refused before the single-use token is spent.
    checkPushFactorInput(input);
    const claims = await redeemEnrollmentToken(ctx, request.headers.authorization);
    const service = await new ServicesStore(ctx.db.kysely).find(claims.account_sid, claims.service_sid);
    if (!service) throw notFound(`/Services/${claims.service_sid}`);
    const entity = await ensureEntity(ctx, service, claims.sub);
    const { row, binding } = await createPushFactor(ctx, service, entity, { ...input, friendlyName: input.friendlyName ?? claims.factor_friendly_name });
    return reply.status(201).send(factorResource(row, base(), binding));
  });

  app.get<FactorPath>('/device/v1/Factors/:factorSid', async (request) => {
    const { factor } = await deviceFactor(request, { verified: false });
    return { ...factorResource(factor, base()), service_name: (await serviceOf(factor)).friendly_name };
  });

  app.post<FactorPath>('/device/v1/Factors/:factorSid', async (request) => {
    const { factor } = await deviceFactor(request, { verified: false });
    const verified = await verifyPushFactor(ctx, factor, new Params(request.body).string('AuthPayload', { max: MAX_AUTH_PAYLOAD }));
    return factorResource(verified, base());
  });

  app.get<FactorPath>('/device/v1/Factors/:factorSid/Challenges', async (request) => {
    const { factor } = await deviceFactor(request, { verified: true });
    const status = new Params(request.query).oneOf('Status', ['pending', 'approved', 'denied', 'expired']);
    const service = await serviceOf(factor);
    if (status === 'pending' || status === undefined) {
      await new ChallengesStore(ctx.db.kysely).expireDue(factor.entity_sid, ctx.clock.now());
    }
    const rows = status === 'pending' ? await pendingFor(factor) : await new ChallengesStore(ctx.db.kysely).listForFactor(factor.sid, status, MAX_PENDING_LISTED);
    return { challenges: rows.map((r) => deviceChallenge(r, service, base())) };
  });

  app.get<FactorPath>('/device/v1/Factors/:factorSid/Challenges/Stream', { config: { eventStream: true } }, async (request, reply) => {
    const { factor, expiresAt } = await deviceFactor(request, { verified: true });
    const service = await serviceOf(factor);
    const stream = openEventStream(ctx, request, reply);
    const sent = new Set<string>();
    // The stream lives no longer than the token that opened it.
    const expiry = setTimeout(() => stream.close(), Math.max(0, expiresAt - ctx.clock.now()));
    expiry.unref();
    stream.onClose(() => clearTimeout(expiry));
    // Woken at once by challenges created on this node; the poll finds those of other nodes.
    await refreshWhileOpen(
      ctx,
      stream,
      {
        topic: `factor:${factor.sid}`,
        pollMs: STREAM_POLL_MS,
        logContext: { factorSid: factor.sid },
        // A notification (POST …/Notifications) asks for the challenge to be shown again.
        onMessage: (change) => {
          if (change.type === 'notify') sent.delete(change.resourceSid);
        },
      },
      async () => {
        if (!(await new FactorsStore(ctx.db.kysely).findBySid(factor.sid))) return stream.close();
        for (const row of await pendingFor(factor)) {
          if (sent.has(row.sid)) continue;
          sent.add(row.sid);
          stream.send('challenge', deviceChallenge(row, service, base()));
        }
      },
    );
  });

  app.post<ChallengePath>('/device/v1/Factors/:factorSid/Challenges/:challengeSid', async (request) => {
    const { factor } = await deviceFactor(request, { verified: true });
    const sid = request.params.challengeSid;
    const challenge = /^YC[0-9a-f]{32}$/.test(sid) ? await new ChallengesStore(ctx.db.kysely).findBySid(sid) : undefined;
    if (!challenge || challenge.factor_sid !== factor.sid) throw notFound(`/device/v1/Factors/${factor.sid}/Challenges/${sid}`);
    const entity = await new EntitiesStore(ctx.db.kysely).find(factor.service_sid, factor.identity);
    if (!entity) throw notFound(`/device/v1/Factors/${factor.sid}/Challenges/${sid}`);
    const p = new Params(request.body);
    const row = await respondToChallenge(ctx, entity, sid, { authPayload: p.string('AuthPayload', { max: MAX_AUTH_PAYLOAD }), metadata: p.json('Metadata', 1024) });
    return deviceChallenge(row, await serviceOf(factor), base());
  });
}
