import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { messagePage, type Viewer } from './admin-pages.ts';
import { sendPage } from './admin-reply.ts';
import { HANDOFF_CLIENTS_PATH, handoffClientPage, handoffClientsPage } from './handoff-clients-pages.ts';

const listSchema = { hide: true };
const detailSchema = { hide: true, params: z.object({ clientSid: z.string().meta({ description: 'The hand-off client (`HC…`; a malformed SID is "not found").' }) }) };

/** Most services, and clients per service, the page lists (the API pages through any number). */
const SERVICES_LIMIT = 100;
const CLIENTS_LIMIT = 100;

/** The console's hand-off clients (read-only). Registered in the console's signed-in scope (admin-routes.ts). */
export function handoffClientsAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();

  admin.get(HANDOFF_CLIENTS_PATH, { schema: listSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const services = await ctx.stores.services.list(viewer.account.sid, SERVICES_LIMIT, 0);
    const groups = await Promise.all(services.map(async (service) => ({ service, clients: await ctx.stores.handoffClients.list(service.sid, { limit: CLIENTS_LIMIT, offset: 0 }) })));
    return sendPage(reply, 200, handoffClientsPage(viewer, groups));
  });

  admin.get(`${HANDOFF_CLIENTS_PATH}/:clientSid`, { schema: detailSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { clientSid } = request.params;
    const client = /^HC[0-9a-f]{32}$/.test(clientSid) ? await ctx.stores.handoffClients.get(clientSid) : undefined;
    const service = client && client.account_sid === viewer.account.sid ? await ctx.stores.services.find(viewer.account.sid, client.service_sid) : undefined;
    if (!client || !service) {
      return sendPage(reply, 404, messagePage(viewer, 'Hand-off client not found', `No hand-off client ${clientSid} in this account.`, { href: HANDOFF_CLIENTS_PATH, label: 'Back to hand-off clients' }));
    }
    return sendPage(reply, 200, handoffClientPage(viewer, service, client));
  });
}
