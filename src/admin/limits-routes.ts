import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import type { Lockout, LockoutOwner } from '../store/admin-identity-queries.ts';
import type { Viewer } from './admin-pages.ts';
import { redirect, sendPage } from './admin-reply.ts';
import { recordAdminAction } from './audit-log.ts';
import { entityPath } from './entities-pages.ts';
import { clearLockoutActionSchema, clearLockoutPageSchema, limitsPageSchema } from './identity-form-schemas.ts';
import { noticeOf, pageNumber } from './identity-page-parts.ts';
import { CLEAR_LOCKOUT_PATH, clearLockoutPage, LIMITS_PATH, limitsPage, throttlingBuckets } from './limits-pages.ts';

/** Lock-out keys are short (a SID, or a service SID and a destination and requester); anything longer is nobody's. */
const MAX_KEY_LENGTH = 512;

/** Below this many stored tokens a bucket may be throttling (a stored count only grows with time). */
const THROTTLING_BELOW = 1;

/**
 * The console's limits views (issue 17): the limits in force for a service, the buckets throttling
 * now, its lock-outs with a Clear action (behind a confirmation page), and the account's safe list.
 * Registered inside the console's signed-in scope (admin-routes.ts): its hooks have refused
 * cross-origin posts and posts without the session's CSRF token.
 */
export function limitsAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const queries = ctx.stores.adminIdentity;

  admin.get(LIMITS_PATH, { schema: limitsPageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const accountSid = viewer.account.sid;
    const services = await queries.services(accountSid);
    const service = services.find((s) => s.sid === request.query.service)?.sid ?? services[0]?.sid;
    const page = pageNumber(request.query.page);
    const now = ctx.clock.now();
    const definitions = service ? await queries.rateLimitDefinitions(service) : [];
    const bucketSids = definitions.flatMap((d) => d.buckets.map((b) => b.sid));
    const [low, lockouts, safeList] = await Promise.all([
      service ? queries.lowBuckets(accountSid, service, bucketSids, THROTTLING_BELOW) : Promise.resolve([]),
      service ? queries.lockouts(service) : Promise.resolve([]),
      queries.safeList(accountSid, page),
    ]);
    const rates = ctx.config.rateLimits;
    const done = noticeOf(request.query.done) ? request.query.done : undefined;
    return sendPage(
      reply,
      200,
      limitsPage({ viewer, now, services, service, rates, definitions, throttling: throttlingBuckets(low, rates, definitions, now), lockouts, safeList: safeList.rows, safeListMore: safeList.more, page, done }),
    );
  });

  /** The lock-out a form names, if it is one of this account's and still counts failures. */
  const lockoutOf = async (viewer: Viewer, key: string | undefined): Promise<{ owner: LockoutOwner | undefined; lockout: Lockout | undefined }> => {
    if (!key || key.length > MAX_KEY_LENGTH) return { owner: undefined, lockout: undefined };
    const owner = await queries.lockoutOwner(viewer.account.sid, key);
    if (!owner) return { owner, lockout: undefined };
    const [row] = await queries.checkFailuresByKey([key]);
    return { owner, lockout: row && row.consecutive > 0 ? { row, owner } : undefined };
  };

  const backTo = (owner: LockoutOwner | undefined, from: string | undefined, done: string): string => {
    if (from === 'entity' && owner && owner.kind !== 'destination') return `${entityPath(owner.entitySid)}?done=${done}`;
    return owner ? `${LIMITS_PATH}?service=${owner.serviceSid}&done=${done}` : `${LIMITS_PATH}?done=${done}`;
  };

  admin.get(CLEAR_LOCKOUT_PATH, { schema: clearLockoutPageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { owner, lockout } = await lockoutOf(viewer, request.query.key);
    if (!lockout) return redirect(reply, backTo(owner, request.query.from, 'not-cleared'));
    return sendPage(reply, 200, clearLockoutPage(viewer, ctx.clock.now(), lockout, request.query.from === 'entity' ? 'entity' : 'limits'));
  });

  admin.post(CLEAR_LOCKOUT_PATH, { schema: clearLockoutActionSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { owner, lockout } = await lockoutOf(viewer, request.body.key);
    if (!owner || !lockout) return redirect(reply, backTo(owner, request.body.from, 'not-cleared'));
    await ctx.stores.checkFailures.clear(lockout.row.key);
    // A destination is personal data: the log and the audit entry name its service only.
    ctx.logger.info({ account: viewer.account.sid, service: owner.serviceSid, kind: owner.kind }, 'admin: lock-out cleared');
    const targetSid = owner.kind === 'entity' ? owner.entitySid : owner.kind === 'voiceprint' ? owner.factorSid : owner.serviceSid;
    await recordAdminAction(ctx, viewer, { action: 'lockout.clear', targetSid, detail: { kind: owner.kind, service_sid: owner.serviceSid, failures: lockout.row.consecutive } });
    return redirect(reply, backTo(owner, request.body.from, 'cleared'));
  });
}
