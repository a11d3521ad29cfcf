import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { VerityError, invalidParameter, notFound } from '../../errors/verity-error.ts';
import { entityPath, loadEntity } from '../../factors/entities.ts';
import { factorResource } from '../resources/factor-resource.ts';
import { challengeResource } from '../resources/challenge-resource.ts';
import { voiceprintCallResource } from '../resources/voiceprint-call-resource.ts';
import { respondWithRecording } from '../../factors/voiceprint-factor/voiceprint-challenge.ts';
import { startVoiceprintCall } from '../../factors/voiceprint-factor/voiceprint-calls.ts';
import { addEnrollmentRecording } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import type { ChallengeRow, EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { loadService } from './services-routes.ts';
import { createVoiceprintChallengeCallSchema, createVoiceprintChallengeRecordingSchema, createVoiceprintEnrollmentCallSchema, createVoiceprintRecordingSchema } from './voiceprint-schema.ts';

type FactorRequest = FastifyRequest<{ Params: { serviceSid: string; identity: string; factorSid: string } }>;
type ChallengeRequest = FastifyRequest<{ Params: { serviceSid: string; identity: string; challengeSid: string } }>;

const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave'];
/** Five minutes of 16 kHz 16-bit audio, with room for the header. */
const MAX_RECORDING_BYTES = 10 * 1024 * 1024;

/**
 * Voice biometrics (Verity extensions): enrolment recordings of a voiceprint factor, a recording that
 * answers a voiceprint challenge, and the same two over a phone call placed by Verity (voiceprint-schema.ts).
 */
export function voiceprintRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const base = () => ctx.config.publicUrl;
  app.addContentTypeParser(WAV_TYPES, { parseAs: 'buffer', bodyLimit: MAX_RECORDING_BYTES }, (_request, body, done) => done(null, body));
  const wavBody = (body: unknown): Buffer => {
    if (!Buffer.isBuffer(body) || body.length === 0) throw invalidParameter('Recording', 'expected a WAV body with Content-Type: audio/wav');
    return body;
  };

  // The factor or challenge a request names, found once: before its body is validated (20404 and
  // 60300 before 60200, as always), then again by the handler from here.
  const factors = new WeakMap<FastifyRequest, { service: ServiceRow; entity: EntityRow; factor: FactorRow }>();
  const factorOf = async (request: FactorRequest) => {
    const known = factors.get(request);
    if (known) return known;
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    const sid = request.params.factorSid;
    const factor = /^YF[0-9a-f]{32}$/.test(sid) ? await ctx.stores.factors.find(entity.sid, sid) : undefined;
    if (!factor) throw notFound(`${entityPath(service.sid, entity.identity)}/Factors/${sid}`);
    if (factor.factor_type !== 'voiceprint') throw new VerityError(60300, 'Invalid Param: not a voiceprint factor');
    const found = { service, entity, factor };
    factors.set(request, found);
    return found;
  };
  const challenges = new WeakMap<FastifyRequest, { service: ServiceRow; factor: FactorRow; challenge: ChallengeRow }>();
  const voiceprintChallengeOf = async (request: ChallengeRequest) => {
    const known = challenges.get(request);
    if (known) return known;
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    const sid = request.params.challengeSid;
    const challenge = /^YC[0-9a-f]{32}$/.test(sid) ? await ctx.stores.challenges.find(entity.sid, sid) : undefined;
    if (!challenge) throw notFound(`${entityPath(service.sid, entity.identity)}/Challenges/${sid}`);
    const factor = await ctx.stores.factors.find(entity.sid, challenge.factor_sid);
    if (!factor || factor.factor_type !== 'voiceprint') throw new VerityError(60300, 'Invalid Param: only voiceprint challenges can be answered on a call');
    const found = { service, factor, challenge };
    challenges.set(request, found);
    return found;
  };

  api.post('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid/Recordings', { schema: createVoiceprintRecordingSchema }, async (request, reply) => {
    const { service, factor } = await factorOf(request);
    const progress = await addEnrollmentRecording(ctx, service, factor, wavBody(request.body));
    return reply.status(progress.problem ? 200 : 201).send({ ...factorResource(progress.factor, base()), enrollment_problem: progress.problem ?? null });
  });

  api.post(
    '/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid/Calls',
    { schema: createVoiceprintEnrollmentCallSchema, preValidation: async (request) => void (await factorOf(request as FactorRequest)) },
    async (request, reply) => {
      const { service, factor } = await factorOf(request);
      const call = await startVoiceprintCall(ctx, service, { to: request.body.To, factor, challenge: undefined });
      return reply.status(201).send(voiceprintCallResource(ctx, call));
    },
  );

  api.post('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid/Recording', { schema: createVoiceprintChallengeRecordingSchema }, async (request) => {
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    const { row, outcome } = await respondWithRecording(ctx, service, entity, request.params.challengeSid, wavBody(request.body));
    return { ...challengeResource(ctx, row), voiceprint: outcome };
  });

  api.post(
    '/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid/Calls',
    { schema: createVoiceprintChallengeCallSchema, preValidation: async (request) => void (await voiceprintChallengeOf(request as ChallengeRequest)) },
    async (request, reply) => {
      const { service, factor, challenge } = await voiceprintChallengeOf(request);
      return reply.status(201).send(voiceprintCallResource(ctx, await startVoiceprintCall(ctx, service, { to: request.body.To, factor, challenge })));
    },
  );
}
