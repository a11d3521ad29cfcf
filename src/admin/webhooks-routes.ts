import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { csrfToken, form, text } from './admin-form-schemas.ts';
import type { Viewer } from './admin-pages.ts';
import { redirect, sendPage } from './admin-reply.ts';
import { recordAdminAction } from './audit-log.ts';
import { DELIVERY_STATUSES, WEBHOOK_NOTICES, WEBHOOKS_PATH, webhooksPage } from './webhooks-pages.ts';

const pageSchema = {
  hide: true,
  querystring: form({
    webhook: text('Only this webhook\'s deliveries (its SID).'),
    status: text('Only deliveries of this status: pending, failed, delivered.'),
    page: text('The page of deliveries, from 0.'),
    done: text('The notice of the action just carried out (WEBHOOK_NOTICES).'),
  }),
};
const retrySchema = { hide: true, params: z.object({ deliverySid: z.string().meta({ description: 'The delivery to send now.' }) }), body: form({ csrf_token: csrfToken() }) };
const resetSchema = { hide: true, params: z.object({ webhookSid: z.string().meta({ description: 'The webhook whose tripped breaker closes.' }) }), body: form({ csrf_token: csrfToken() }) };

/**
 * The console's Webhooks section: every endpoint of the account with its breaker and queue, its
 * deliveries, and two actions — Retry now (a failed delivery, or one backing off) and Reset breaker.
 * Registered inside the console's signed-in scope (admin-routes.ts), whose hooks have refused
 * cross-origin posts and posts without the session's CSRF token before these handlers run.
 */
export function webhooksAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const queries = ctx.stores.adminQueries;
  const actions = ctx.stores.webhookConsole;
  // Wakes this node's dispatcher now rather than at its next poll (force: no new event was written).
  const wakeDispatcher = (sid: string) => ctx.bus.publish('outbox', { type: 'webhook.retry', resourceSid: sid });

  admin.get(WEBHOOKS_PATH, { schema: pageSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { query } = request;
    const now = ctx.clock.now();
    const endpoints = await queries.webhookEndpoints(viewer.account.sid, now);
    const filters = {
      webhookSid: endpoints.some((w) => w.sid === query.webhook) ? query.webhook : undefined,
      status: (DELIVERY_STATUSES as readonly string[]).includes(query.status ?? '') ? query.status : undefined,
    };
    const page = typeof query.page === 'string' && /^\d{1,4}$/.test(query.page) ? Math.min(Number(query.page), 1000) : 0;
    const { rows, more } = await queries.accountDeliveries(viewer.account.sid, filters, page);
    const done = query.done !== undefined && Object.hasOwn(WEBHOOK_NOTICES, query.done) ? query.done : undefined;
    return sendPage(reply, 200, webhooksPage({ viewer, now, endpoints, deliveries: rows, filters, page, more, done }));
  });

  admin.post(`${WEBHOOKS_PATH}/deliveries/:deliverySid/retry`, { schema: retrySchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { deliverySid } = request.params;
    const outcome = /^[A-Z]{2}[0-9a-f]{32}$/.test(deliverySid) ? await actions.retryNow(viewer.account.sid, deliverySid, ctx.clock.now()) : 'not-retried';
    ctx.logger.info({ account: viewer.account.sid, delivery: deliverySid, outcome }, 'admin: webhook delivery retry requested');
    if (outcome !== 'not-retried') {
      wakeDispatcher(deliverySid);
      await recordAdminAction(ctx, viewer, { action: 'webhook_delivery.retry', targetSid: deliverySid, detail: { outcome } });
    }
    return redirect(reply, `${WEBHOOKS_PATH}?done=${outcome}`);
  });

  admin.post(`${WEBHOOKS_PATH}/:webhookSid/breaker/reset`, { schema: resetSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { webhookSid } = request.params;
    const reset = /^[A-Z]{2}[0-9a-f]{32}$/.test(webhookSid) && (await actions.resetBreaker(viewer.account.sid, webhookSid));
    ctx.logger.info({ account: viewer.account.sid, webhook: webhookSid, reset }, 'admin: webhook breaker reset requested');
    if (reset) {
      wakeDispatcher(webhookSid);
      await recordAdminAction(ctx, viewer, { action: 'webhook.breaker_reset', targetSid: webhookSid });
    }
    return redirect(reply, `${WEBHOOKS_PATH}?done=${reset ? 'breaker-reset' : 'breaker-not-reset'}`);
  });

}
