import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { approveServicePasskeyChallenge, createServicePasskeyChallenge, createServicePasskeyFactor, verifyServicePasskeyFactor } from '../../factors/passkeys/passkey-service-actions.ts';
import { challengeResource } from '../resources/challenge-resource.ts';
import { factorResource } from '../resources/factor-resource.ts';
import { approvePasskeyChallengeSchema, createPasskeyChallengeSchema, createPasskeyFactorSchema, verifyPasskeyFactorSchema } from './passkeys-service-schema.ts';
import { loadService, serviceFirst } from './services-routes.ts';

/**
 * The Verify API's service-level Passkeys actions (JSON bodies; passkeys-service-schema.ts): register
 * a passkey factor, verify it, challenge it, approve the challenge. Adapters over the entity-level
 * passkey factor and challenges (src/factors/passkeys/passkey-service-actions.ts).
 */
export function passkeysServiceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const base = () => ctx.config.publicUrl;

  api.post('/v2/Services/:serviceSid/Passkeys/Factors', { schema: createPasskeyFactorSchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const { row, options } = await createServicePasskeyFactor(ctx, service, request.body);
    return reply.status(201).send({ ...factorResource(row, base()), options: { publicKey: options } });
  });

  api.post('/v2/Services/:serviceSid/Passkeys/VerifyFactor', { schema: verifyPasskeyFactorSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    return factorResource(await verifyServicePasskeyFactor(ctx, service, request.body), base());
  });

  api.post('/v2/Services/:serviceSid/Passkeys/Challenges', { schema: createPasskeyChallengeSchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const row = await createServicePasskeyChallenge(ctx, service, request.body);
    return reply.status(201).send({ ...challengeResource(ctx, row), options: { publicKey: row.passkeyOptions ?? {} } });
  });

  api.post('/v2/Services/:serviceSid/Passkeys/ApproveChallenge', { schema: approvePasskeyChallengeSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    return { ...challengeResource(ctx, await approveServicePasskeyChallenge(ctx, service, request.body)), options: null };
  });
}
