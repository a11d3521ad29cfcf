import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { issueAuthyKey, revokeAuthyKey } from '../authy/authy-keys.ts';
import type { AppContext } from '../context.ts';
import { AUTHY_BASE_PATH } from '../http/routes/authy-routes.ts';
import { csrfToken, form, serviceSid, text } from './admin-form-schemas.ts';
import { messagePage, type Viewer } from './admin-pages.ts';
import { redirect, sendPage } from './admin-reply.ts';
import { AUTHY_NOTICES, authyKeyPage, authyKeyPath, authyKeyState } from './authy-key-page.ts';
import { recordAdminAction } from './audit-log.ts';

const pageSchema = { hide: true, params: serviceSid, querystring: form({ done: text('The notice of the action just carried out (AUTHY_NOTICES).') }) };
const postSchema = { hide: true, params: serviceSid, body: form({ csrf_token: csrfToken() }) };
const keySchema = {
  hide: true,
  params: serviceSid,
  body: form({ csrf_token: csrfToken(), key_state: text('The key\'s last change when the form was shown (`none`): a form sent again by Back or reload rotates nothing.') }),
};

/**
 * The console's Authy page of a service. Registered inside the console's signed-in scope
 * (admin-routes.ts), whose hooks have already refused cross-origin posts and posts without the
 * session's CSRF token.
 */
export function authyKeyAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const basePath = () => `${ctx.config.publicUrl}${AUTHY_BASE_PATH}`;
  const serviceOf = async (viewer: Viewer, sid: string) => (/^VA[0-9a-f]{32}$/.test(sid) ? ctx.stores.services.find(viewer.account.sid, sid) : undefined);
  const notFound = (viewer: Viewer, sid: string) => messagePage(viewer, 'Service not found', `No service ${sid} in this account.`);

  admin.get('/admin/services/:serviceSid/authy', { schema: pageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const service = await serviceOf(viewer, request.params.serviceSid);
    if (!service) return sendPage(reply, 404, notFound(viewer, request.params.serviceSid));
    const done = request.query.done !== undefined && Object.hasOwn(AUTHY_NOTICES, request.query.done) ? request.query.done : undefined;
    return sendPage(reply, 200, authyKeyPage(viewer, service, await ctx.stores.authyApps.findByService(service.sid), { basePath: basePath(), done }));
  });

  // The answer is the page itself (not a redirect): the key exists only in this response.
  admin.post('/admin/services/:serviceSid/authy/key', { schema: keySchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const service = await serviceOf(viewer, request.params.serviceSid);
    if (!service) return sendPage(reply, 404, notFound(viewer, request.params.serviceSid));
    // The answer is not cached (no-store), so Back or reload re-posts the form: a form shown before
    // the key's last change rotates nothing (else a reload would silently replace the key just shown).
    const seen = request.body.key_state;
    if (seen !== undefined && seen !== authyKeyState(await ctx.stores.authyApps.findByService(service.sid))) return redirect(reply, `${authyKeyPath(service.sid)}?done=stale`);
    const { app, apiKey, created } = await issueAuthyKey(ctx, service);
    ctx.logger.info({ account: viewer.account.sid, service: service.sid, created }, 'admin: Authy API key issued');
    await recordAdminAction(ctx, viewer, { action: 'authy_key.issue', targetSid: service.sid, detail: { rotated: !created } });
    return sendPage(reply, 201, authyKeyPage(viewer, service, app, { basePath: basePath(), apiKey }));
  });

  admin.post('/admin/services/:serviceSid/authy/revoke', { schema: postSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const service = await serviceOf(viewer, request.params.serviceSid);
    if (!service) return sendPage(reply, 404, notFound(viewer, request.params.serviceSid));
    const revoked = await revokeAuthyKey(ctx, service);
    ctx.logger.info({ account: viewer.account.sid, service: service.sid, revoked: revoked !== undefined }, 'admin: Authy API key revoked');
    if (revoked) await recordAdminAction(ctx, viewer, { action: 'authy_key.revoke', targetSid: service.sid });
    return redirect(reply, `${authyKeyPath(service.sid)}?done=${revoked ? 'revoked' : 'not-revoked'}`);
  });
}
