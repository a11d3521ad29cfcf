import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_KEY_SID, createApiKey } from '../accounts/api-keys.ts';
import type { AppContext } from '../context.ts';
import { csrfToken, form, text } from './admin-form-schemas.ts';
import { KEYS_PATH, type Viewer } from './admin-pages.ts';
import { redirect, sendPage } from './admin-reply.ts';
import { KEY_NOTICES, keysPage, newestKeyState } from './keys-pages.ts';
import { recordAdminAction } from './audit-log.ts';


const keysPageSchema = { hide: true, querystring: form({ done: text('The notice of the action just carried out (KEY_NOTICES).') }) };
const createKeySchema = {
  hide: true,
  body: form({ csrf_token: csrfToken(), friendly_name: text('A name for the key (at most 64 characters).'), newest_key: text('The newest key when the form was shown (`none`): a form sent again by Back or reload creates nothing.') }),
};
const revokeKeySchema = { hide: true, params: z.object({ keySid: z.string().meta({ description: 'The key to revoke (a malformed SID revokes nothing).' }) }), body: form({ csrf_token: csrfToken() }) };

/** Most keys an account lists on the page (the API pages through any number). */
const PAGE_LIMIT = 200;

/**
 * The console's API keys page. Registered inside the console's signed-in scope (admin-routes.ts),
 * whose hooks have already refused cross-origin posts and posts without the session's CSRF token.
 */
export function keysAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const list = (accountSid: string) => ctx.stores.apiKeys.list(accountSid, { limit: PAGE_LIMIT, offset: 0 });

  admin.get(KEYS_PATH, { schema: keysPageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const done = request.query.done !== undefined && Object.hasOwn(KEY_NOTICES, request.query.done) ? request.query.done : undefined;
    return sendPage(reply, 200, keysPage(viewer, await list(viewer.account.sid), { newest: await ctx.stores.apiKeys.newest(viewer.account.sid), done }));
  });

  // The answer is the page itself (not a redirect): the secret exists only in this response.
  admin.post(KEYS_PATH, { schema: createKeySchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    // The answer to a create is not cached (no-store), so Back or reload re-posts the form: the form
    // names the newest key it saw, and once a key has been created after it, it creates nothing more.
    const seen = request.body.newest_key;
    if (seen !== undefined && seen !== newestKeyState(await ctx.stores.apiKeys.newest(viewer.account.sid))) return redirect(reply, `${KEYS_PATH}?done=stale`);
    const name = (request.body.friendly_name ?? '').trim().slice(0, 64);
    const created = await createApiKey(ctx.stores.apiKeys, ctx.keyring, viewer.account.sid, name, ctx.clock.now());
    ctx.logger.info({ account: viewer.account.sid, apiKey: created.row.sid }, 'admin: API key created');
    await recordAdminAction(ctx, viewer, { action: 'api_key.create', targetSid: created.row.sid, detail: { friendly_name: name } });
    return sendPage(reply, 201, keysPage(viewer, await list(viewer.account.sid), { newest: created.row, created }));
  });

  admin.post(`${KEYS_PATH}/:keySid/revoke`, { schema: revokeKeySchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { keySid } = request.params;
    const revoked = API_KEY_SID.test(keySid) && (await ctx.stores.apiKeys.delete(viewer.account.sid, keySid));
    ctx.logger.info({ account: viewer.account.sid, apiKey: keySid, revoked }, 'admin: API key revoke requested');
    if (revoked) await recordAdminAction(ctx, viewer, { action: 'api_key.revoke', targetSid: keySid });
    return redirect(reply, `${KEYS_PATH}?done=${revoked ? 'revoked' : 'not-revoked'}`);
  });
}
