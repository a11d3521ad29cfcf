import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors/verity-error.ts';
import { addToSafeList, safeListNumber } from '../../verify/attempts/safe-list.ts';
import { safeListResource } from '../resources/safe-list-resource.ts';
import { createSafeListNumberSchema, deleteSafeListNumberSchema, fetchSafeListNumberSchema } from './safe-list-schema.ts';

/** Verify's SafeList (account-level): numbers exempt from the SMS-pumping prefix cap. */
export function safeListRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const base = () => ctx.config.publicUrl;
  const path = (number: string) => `/SafeList/Numbers/${number}`;

  api.post('/v2/SafeList/Numbers', { schema: createSafeListNumberSchema }, async (request, reply) => {
    const row = await addToSafeList(ctx, request.account.sid, request.body.PhoneNumber);
    return reply.status(201).send(safeListResource(row, base()));
  });

  api.get('/v2/SafeList/Numbers/:phoneNumber', { schema: fetchSafeListNumberSchema }, async (request) => {
    const number = safeListNumber(request.params.phoneNumber);
    const row = number === undefined ? undefined : await ctx.stores.safeList.find(request.account.sid, number);
    if (!row) throw notFound(path(request.params.phoneNumber));
    return safeListResource(row, base());
  });

  api.delete('/v2/SafeList/Numbers/:phoneNumber', { schema: deleteSafeListNumberSchema }, async (request, reply) => {
    const number = safeListNumber(request.params.phoneNumber);
    const row = number === undefined ? undefined : await ctx.stores.safeList.remove(request.account.sid, number);
    if (!row) throw notFound(path(request.params.phoneNumber));
    return reply.status(204).send();
  });
}
