import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { serviceResource } from '../../services/service-resource.ts';
import { newServiceRow, serviceUpdate } from '../../services/service-settings.ts';
import type { ServiceRow } from '../../store/schema.ts';
import { ServicesStore } from '../../store/services-store.ts';
import { pageResponse, readPage } from '../pagination.ts';
import { Params } from '../params.ts';

type WithSid = { Params: { serviceSid: string } };

/** Loads a service of the authenticated account; another account's service does not exist (20404). */
export async function loadService(ctx: AppContext, request: FastifyRequest<WithSid>): Promise<ServiceRow> {
  const sid = request.params.serviceSid;
  const row = /^VA[0-9a-f]{32}$/.test(sid) ? await new ServicesStore(ctx.db.kysely).find(request.account.sid, sid) : undefined;
  if (!row) throw notFound(`/Services/${sid}`);
  return row;
}

export function servicesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const store = () => new ServicesStore(ctx.db.kysely);

  app.post('/v2/Services', async (request, reply) => {
    const row = newServiceRow(request.account.sid, new Params(request.body), ctx.clock.now());
    await store().insert(row);
    return reply.status(201).send(serviceResource(row, ctx.config.publicUrl));
  });

  app.get('/v2/Services', async (request) => {
    const page = readPage(new Params(request.query));
    const rows = await store().list(request.account.sid, page.pageSize + 1, page.offset);
    const items = rows.slice(0, page.pageSize).map((r) => serviceResource(r, ctx.config.publicUrl));
    return pageResponse('services', items, page, rows.length > page.pageSize, `${ctx.config.publicUrl}/v2/Services`);
  });

  app.get<WithSid>('/v2/Services/:serviceSid', async (request) => serviceResource(await loadService(ctx, request), ctx.config.publicUrl));

  app.post<WithSid>('/v2/Services/:serviceSid', async (request) => {
    const row = await loadService(ctx, request);
    const patch = serviceUpdate(row, new Params(request.body), ctx.clock.now());
    await store().update(request.account.sid, row.sid, patch);
    return serviceResource({ ...row, ...patch }, ctx.config.publicUrl);
  });

  app.delete<WithSid>('/v2/Services/:serviceSid', async (request, reply) => {
    const row = await loadService(ctx, request);
    await store().delete(request.account.sid, row.sid);
    return reply.status(204).send();
  });
}
