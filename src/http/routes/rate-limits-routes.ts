import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import { createBucket, createRateLimit, deleteBucket, deleteRateLimit, findBucket, findRateLimit, updateBucket, updateRateLimit } from '../../verify/rate-limits/rate-limit-definitions.ts';
import { pageOf, pageResponse } from '../pagination.ts';
import { bucketResource, rateLimitResource } from '../resources/rate-limit-resource.ts';
import {
  createBucketSchema,
  createRateLimitSchema,
  deleteBucketSchema,
  deleteRateLimitSchema,
  fetchBucketSchema,
  fetchRateLimitSchema,
  listBucketsSchema,
  listRateLimitsSchema,
  updateBucketSchema,
  updateRateLimitSchema,
} from './rate-limits-schema.ts';
import { loadService, serviceFirst } from './services-routes.ts';

type RateLimitParams = { Params: { serviceSid: string; rateLimitSid: string } };
type BucketParams = { Params: { serviceSid: string; rateLimitSid: string; bucketSid: string } };

/** Verify's Service Rate Limits and their Buckets; a verification's `RateLimits` is charged by src/verify/rate-limits/charge-rate-limits.ts. */
export function rateLimitsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const deps = { stores: ctx.stores, clock: ctx.clock };
  const base = () => ctx.config.publicUrl;
  const required = <T>(name: string, value: T | undefined): T => {
    if (value === undefined) throw invalidParameter(name, 'required');
    return value;
  };
  /** An unknown service or rate limit answers 20404 whatever the body holds (before validation). */
  const rateLimitFirst = async (request: FastifyRequest): Promise<void> => {
    const { params } = request as FastifyRequest<RateLimitParams>;
    await findRateLimit(deps, await loadService(ctx, request as FastifyRequest<RateLimitParams>), params.rateLimitSid);
  };
  const bucketFirst = async (request: FastifyRequest): Promise<void> => {
    const { params } = request as FastifyRequest<BucketParams>;
    await findBucket(deps, await loadService(ctx, request as FastifyRequest<BucketParams>), params.rateLimitSid, params.bucketSid);
  };

  api.post('/v2/Services/:serviceSid/RateLimits', { schema: createRateLimitSchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const row = await createRateLimit(deps, service, { uniqueName: request.body.UniqueName, description: request.body.Description });
    return reply.status(201).send(rateLimitResource(row, base()));
  });

  api.get('/v2/Services/:serviceSid/RateLimits', { schema: listRateLimitsSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const page = pageOf(request.query);
    const rows = await ctx.stores.rateLimitDefinitions.listRateLimits(service.sid, { limit: page.pageSize + 1, offset: page.offset });
    const items = rows.slice(0, page.pageSize).map((row) => rateLimitResource(row, base()));
    return pageResponse('rate_limits', items, page, rows.length > page.pageSize, `${base()}/v2/Services/${service.sid}/RateLimits`);
  });

  api.get('/v2/Services/:serviceSid/RateLimits/:rateLimitSid', { schema: fetchRateLimitSchema }, async (request) => {
    const service = await loadService(ctx, request);
    return rateLimitResource(await findRateLimit(deps, service, request.params.rateLimitSid), base());
  });

  api.post('/v2/Services/:serviceSid/RateLimits/:rateLimitSid', { schema: updateRateLimitSchema, preValidation: rateLimitFirst }, async (request) => {
    const service = await loadService(ctx, request);
    return rateLimitResource(await updateRateLimit(deps, service, request.params.rateLimitSid, request.body.Description), base());
  });

  api.delete('/v2/Services/:serviceSid/RateLimits/:rateLimitSid', { schema: deleteRateLimitSchema }, async (request, reply) => {
    const service = await loadService(ctx, request);
    await deleteRateLimit(deps, service, request.params.rateLimitSid);
    return reply.status(204).send();
  });

  api.post('/v2/Services/:serviceSid/RateLimits/:rateLimitSid/Buckets', { schema: createBucketSchema, preValidation: rateLimitFirst }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const max = required('Max', request.body.Max);
    const interval = required('Interval', request.body.Interval);
    const row = await createBucket(deps, service, request.params.rateLimitSid, { max, interval });
    return reply.status(201).send(bucketResource(row, base()));
  });

  api.get('/v2/Services/:serviceSid/RateLimits/:rateLimitSid/Buckets', { schema: listBucketsSchema, preValidation: rateLimitFirst }, async (request) => {
    const service = await loadService(ctx, request);
    const rateLimit = await findRateLimit(deps, service, request.params.rateLimitSid);
    const page = pageOf(request.query);
    const rows = await ctx.stores.rateLimitDefinitions.listBuckets(rateLimit.sid, { limit: page.pageSize + 1, offset: page.offset });
    const items = rows.slice(0, page.pageSize).map((row) => bucketResource(row, base()));
    return pageResponse('buckets', items, page, rows.length > page.pageSize, `${base()}/v2/Services/${service.sid}/RateLimits/${rateLimit.sid}/Buckets`);
  });

  api.get('/v2/Services/:serviceSid/RateLimits/:rateLimitSid/Buckets/:bucketSid', { schema: fetchBucketSchema }, async (request) => {
    const service = await loadService(ctx, request);
    return bucketResource(await findBucket(deps, service, request.params.rateLimitSid, request.params.bucketSid), base());
  });

  api.post('/v2/Services/:serviceSid/RateLimits/:rateLimitSid/Buckets/:bucketSid', { schema: updateBucketSchema, preValidation: bucketFirst }, async (request) => {
    const service = await loadService(ctx, request);
    const { Max: max, Interval: interval } = request.body;
    return bucketResource(await updateBucket(deps, service, request.params.rateLimitSid, request.params.bucketSid, { max, interval }), base());
  });

  api.delete('/v2/Services/:serviceSid/RateLimits/:rateLimitSid/Buckets/:bucketSid', { schema: deleteBucketSchema }, async (request, reply) => {
    const service = await loadService(ctx, request);
    await deleteBucket(deps, service, request.params.rateLimitSid, request.params.bucketSid);
    return reply.status(204).send();
  });
}
