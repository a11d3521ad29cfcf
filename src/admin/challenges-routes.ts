import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { CHALLENGE_STATUSES, FACTOR_TYPES } from '../store/schema.ts';
import { messagePage, type Viewer } from './admin-pages.ts';
import { sendPage } from './admin-reply.ts';
import { CHALLENGES_PATH, challengePage, challengesPage } from './challenges-pages.ts';
import { challengePageSchema, challengesPageSchema } from './identity-form-schemas.ts';
import { pageNumber } from './identity-page-parts.ts';

const CHALLENGE_SID = /^YC[0-9a-f]{32}$/;

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined => values.find((v) => v === value);

/** The console's challenges views (issue 17): read-only, inside the signed-in scope (admin-routes.ts). */
export function challengesAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const queries = ctx.stores.adminIdentity;

  admin.get(CHALLENGES_PATH, { schema: challengesPageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const services = await queries.services(viewer.account.sid);
    const service = services.find((s) => s.sid === request.query.service)?.sid;
    const status = oneOf(CHALLENGE_STATUSES, request.query.status);
    const factorType = oneOf(FACTOR_TYPES, request.query.factor_type);
    const page = pageNumber(request.query.page);
    const found = await queries.challenges(viewer.account.sid, { serviceSid: service, status, factorType }, page);
    return sendPage(reply, 200, challengesPage({ viewer, now: ctx.clock.now(), services, service, status, factorType, page, challenges: found.rows, more: found.more }));
  });

  admin.get(`${CHALLENGES_PATH}/:challengeSid`, { schema: challengePageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { challengeSid } = request.params;
    const challenge = CHALLENGE_SID.test(challengeSid) ? await queries.challenge(viewer.account.sid, challengeSid) : undefined;
    if (!challenge) return sendPage(reply, 404, messagePage(viewer, 'Challenge not found', `No challenge ${challengeSid} in this account.`, { href: CHALLENGES_PATH, label: 'Back to challenges' }));
    const services = await queries.services(viewer.account.sid);
    const serviceName = services.find((s) => s.sid === challenge.service_sid)?.friendly_name ?? challenge.service_sid;
    return sendPage(reply, 200, challengePage(viewer, ctx.clock.now(), challenge, serviceName));
  });
}
