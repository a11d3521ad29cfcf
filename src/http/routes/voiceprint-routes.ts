import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { VerityError, invalidParameter, notFound } from '../../errors/verity-error.ts';
import { challengeResource } from '../../factors/challenges.ts';
import { entityPath, loadEntity } from '../../factors/entities.ts';
import { factorResource } from '../../factors/factor-resource.ts';
import { respondWithRecording } from '../../factors/voiceprint-factor/voiceprint-challenge.ts';
import { startVoiceprintCall } from '../../factors/voiceprint-factor/voiceprint-calls.ts';
import { addEnrollmentRecording } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { ChallengesStore } from '../../store/challenges-store.ts';
import { FactorsStore } from '../../store/factors-store.ts';
import { Params } from '../params.ts';
import { loadService } from './services-routes.ts';

type FactorPath = { Params: { serviceSid: string; identity: string; factorSid: string } };
type ChallengePath = { Params: { serviceSid: string; identity: string; challengeSid: string } };

const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave'];
/** Five minutes of 16 kHz 16-bit audio, with room for the header. */
const MAX_RECORDING_BYTES = 10 * 1024 * 1024;

/**
 * Voice biometrics (Verity extensions): enrolment recordings of a voiceprint factor, a recording that
 * answers a voiceprint challenge, and the same two over a phone call placed by Verity.
 */
export function voiceprintRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = () => ctx.config.publicUrl;
  app.addContentTypeParser(WAV_TYPES, { parseAs: 'buffer', bodyLimit: MAX_RECORDING_BYTES }, (_request, body, done) => done(null, body));
  const wavBody = (body: unknown): Buffer => {
    if (!Buffer.isBuffer(body) || body.length === 0) throw invalidParameter('Recording', 'expected a WAV body with Content-Type: audio/wav');
    return body;
  };

  const factorOf = async (request: { params: FactorPath['Params'] } & Parameters<typeof loadService>[1]) => {
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    const sid = request.params.factorSid;
    const factor = /^YF[0-9a-f]{32}$/.test(sid) ? await new FactorsStore(ctx.db.kysely).find(entity.sid, sid) : undefined;
    if (!factor) throw notFound(`${entityPath(service.sid, entity.identity)}/Factors/${sid}`);
    if (factor.factor_type !== 'voiceprint') throw new VerityError(60300, 'Invalid Param: not a voiceprint factor');
    return { service, entity, factor };
  };

  app.post<FactorPath>('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid/Recordings', async (request, reply) => {
    const { service, factor } = await factorOf(request);
    const progress = await addEnrollmentRecording(ctx, service, factor, wavBody(request.body));
    return reply.status(progress.problem ? 200 : 201).send({ ...factorResource(progress.factor, base()), enrollment_problem: progress.problem ?? null });
  });

  app.post<FactorPath>('/v2/Services/:serviceSid/Entities/:identity/Factors/:factorSid/Calls', async (request, reply) => {
    const { service, factor } = await factorOf(request);
    const to = new Params(request.body).required('To', { max: 32 });
    const call = await startVoiceprintCall(ctx, service, { to, factor, challenge: undefined });
    return reply.status(201).send(call);
  });

  app.post<ChallengePath>('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid/Recording', async (request) => {
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    const { row, outcome } = await respondWithRecording(ctx, service, entity, request.params.challengeSid, wavBody(request.body));
    return { ...challengeResource(ctx, row), voiceprint: outcome };
  });

  app.post<ChallengePath>('/v2/Services/:serviceSid/Entities/:identity/Challenges/:challengeSid/Calls', async (request, reply) => {
    const service = await loadService(ctx, request);
    const entity = await loadEntity(ctx, service, request.params.identity);
    const sid = request.params.challengeSid;
    const challenge = /^YC[0-9a-f]{32}$/.test(sid) ? await new ChallengesStore(ctx.db.kysely).find(entity.sid, sid) : undefined;
    if (!challenge) throw notFound(`${entityPath(service.sid, entity.identity)}/Challenges/${sid}`);
    const factor = await new FactorsStore(ctx.db.kysely).find(entity.sid, challenge.factor_sid);
    if (!factor || factor.factor_type !== 'voiceprint') throw new VerityError(60300, 'Invalid Param: only voiceprint challenges can be answered on a call');
    const to = new Params(request.body).required('To', { max: 32 });
    return reply.status(201).send(await startVoiceprintCall(ctx, service, { to, factor, challenge }));
  });
}
