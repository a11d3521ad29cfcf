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

/**
 * Services are read on every Verify request but change rarely: rows are kept for a second (never
 * "not found" answers), and this process forgets a row as soon as it updates or deletes it, so
 * only a change made by another Verity process can take up to SERVICE_CACHE_MS to be seen.
 */
const SERVICE_CACHE_MS = 1000;
const serviceCaches = new WeakMap<AppContext, Map<string, { row: ServiceRow; until: number }>>();

function serviceCache(ctx: AppContext): Map<string, { row: ServiceRow; until: number }> {
  let cache = serviceCaches.get(ctx);
  if (!cache) serviceCaches.set(ctx, (cache = new Map()));
  return cache;
}

export function forgetService(ctx: AppContext, accountSid: string, sid: string): void {
  serviceCache(ctx).delete(`${accountSid}:${sid}`);
}

/** Loads a service of the authenticated account; another account's service does not exist (20404). */
export async function loadService(ctx: AppContext, request: FastifyRequest<WithSid>): Promise<ServiceRow> {
  const sid = request.params.serviceSid;
  if (!/^VA[0-9a-f]{32}$/.test(sid)) throw notFound(`/Services/${sid}`);
  const key = `${request.account.sid}:${sid}`;
  const cache = serviceCache(ctx);
  const now = Date.now();
  const cached = cache.get(key);
  if (cached && cached.until >= now) return cached.row;
  const row = await new ServicesStore(ctx.db.kysely).find(request.account.sid, sid);
  if (!row) {
    cache.delete(key);
    throw notFound(`/Services/${sid}`);
  }
  if (cache.size >= 10_000) cache.clear();
  cache.set(key, { row, until: now + SERVICE_CACHE_MS });
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
    forgetService(ctx, request.account.sid, row.sid);
    return serviceResource({ ...row, ...patch }, ctx.config.publicUrl);
  });

  app.delete<WithSid>('/v2/Services/:serviceSid', async (request, reply) => {
    const row = await loadService(ctx, request);
    await store().delete(request.account.sid, row.sid);
    forgetService(ctx, request.account.sid, row.sid);
    return reply.status(204).send();
  });
}
