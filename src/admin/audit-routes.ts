import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { form, text } from './admin-form-schemas.ts';
import type { Viewer } from './admin-pages.ts';
import { sendPage } from './admin-reply.ts';
import { AUDIT_PATH, auditPage } from './audit-pages.ts';

const auditSchema = { hide: true, querystring: form({ action: text('Only entries of this action (`service.update`…).'), page: text('The page, from 0.') }) };

const ACTION = /^[a-z0-9_.-]{1,64}$/;

/** The console's audit log page (read-only). Registered in the console's signed-in scope (admin-routes.ts). */
export function auditAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  admin.get(AUDIT_PATH, { schema: auditSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const action = request.query.action && ACTION.test(request.query.action) ? request.query.action : undefined;
    const page = request.query.page && /^\d{1,4}$/.test(request.query.page) ? Math.min(Number(request.query.page), 1000) : 0;
    const [{ rows, more }, actions] = await Promise.all([ctx.stores.adminAudit.list(viewer.account.sid, { action, page }), ctx.stores.adminAudit.actions(viewer.account.sid)]);
    return sendPage(reply, 200, auditPage({ viewer, rows, actions, action, page, more }));
  });
}
