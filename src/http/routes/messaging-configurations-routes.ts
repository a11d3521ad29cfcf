import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getCountries } from 'libphonenumber-js/max';
import type { AppContext } from '../../context.ts';
import { notFound, VerityError } from '../../errors/verity-error.ts';
import { createRouteChoice, deleteRouteChoice, messagingServiceSidOf, smsRouteNamed, updateRouteChoice } from '../../messaging/routing/service-route-configurations.ts';
import type { Route } from '../../messaging/routing/route-table.ts';
import type { MessagingConfigurationRow } from '../../store/schema.ts';
import { isoSeconds } from '../../time/format.ts';
import { pageOf, pageResponse } from '../pagination.ts';
import {
  createMessagingConfigurationSchema,
  deleteMessagingConfigurationSchema,
  fetchMessagingConfigurationSchema,
  listMessagingConfigurationsSchema,
  updateMessagingConfigurationSchema,
} from './messaging-configurations-schema.ts';
import { loadService, serviceFirst } from './services-routes.ts';

const COUNTRIES: ReadonlySet<string> = new Set(getCountries());

/** `all`, or an ISO 3166-1 alpha-2 code libphonenumber knows (any letter case, stored upper-case as Twilio shows it). */
function countryOf(value: string): string | undefined {
  if (value.toLowerCase() === 'all') return 'all';
  const upper = value.toUpperCase();
  return COUNTRIES.has(upper) ? upper : undefined;
}

/** The resource's `url` and fields, in Twilio's names. */
function messagingConfigurationResource(ctx: AppContext, row: MessagingConfigurationRow): Record<string, unknown> {
  return {
    account_sid: row.account_sid,
    service_sid: row.service_sid,
    country: row.country,
    messaging_service_sid: messagingServiceSidOf(ctx.routing, row.route_id),
    date_created: isoSeconds(row.date_created),
    date_updated: isoSeconds(row.date_updated),
    url: `${ctx.config.publicUrl}/v2/Services/${row.service_sid}/MessagingConfigurations/${row.country}`,
  };
}

/** Verify's MessagingConfigurations: which messaging route a service's SMS to a country go through. */
export function messagingConfigurationsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const deps = { stores: ctx.stores, clock: ctx.clock, routing: ctx.routing };
  const routeOf = (value: string, serviceSid: string): Route => {
    const route = smsRouteNamed(ctx.routing, value, serviceSid);
    if (!route) throw new VerityError(60200, 'Invalid parameter: MessagingServiceSid (no sms route of this Verity has it)');
    return route;
  };
  const path = (serviceSid: string, country: string) => `/Services/${serviceSid}/MessagingConfigurations/${country}`;

  api.post('/v2/Services/:serviceSid/MessagingConfigurations', { schema: createMessagingConfigurationSchema, preValidation: serviceFirst(ctx) }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const country = countryOf(request.body.Country);
    if (!country) throw new VerityError(60200, 'Invalid parameter: Country (expected an ISO 3166-1 alpha-2 code or all)');
    const route = routeOf(request.body.MessagingServiceSid, service.sid);
    const row = await createRouteChoice(deps, { accountSid: service.account_sid, serviceSid: service.sid, country, route });
    if (row === 'exists') throw new VerityError(60200, `Invalid parameter: Country (the service has a messaging configuration for ${country}; update it instead)`);
    return reply.status(201).send(messagingConfigurationResource(ctx, row));
  });

  api.get('/v2/Services/:serviceSid/MessagingConfigurations', { schema: listMessagingConfigurationsSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const page = pageOf(request.query);
    const rows = await ctx.stores.messagingConfigurations.list(service.sid, { limit: page.pageSize + 1, offset: page.offset });
    const items = rows.slice(0, page.pageSize).map((row) => messagingConfigurationResource(ctx, row));
    return pageResponse('messaging_configurations', items, page, rows.length > page.pageSize, `${ctx.config.publicUrl}/v2/Services/${service.sid}/MessagingConfigurations`);
  });

  api.get('/v2/Services/:serviceSid/MessagingConfigurations/:country', { schema: fetchMessagingConfigurationSchema }, async (request) => {
    const service = await loadService(ctx, request);
    const country = countryOf(request.params.country);
    const row = country === undefined ? undefined : await ctx.stores.messagingConfigurations.find(service.sid, country);
    if (!row) throw notFound(path(service.sid, request.params.country));
    return messagingConfigurationResource(ctx, row);
  });

  api.post('/v2/Services/:serviceSid/MessagingConfigurations/:country', { schema: updateMessagingConfigurationSchema, preValidation: serviceFirst(ctx) }, async (request) => {
    const service = await loadService(ctx, request);
    const country = countryOf(request.params.country);
    const existing = country === undefined ? undefined : await ctx.stores.messagingConfigurations.find(service.sid, country);
    if (!existing || country === undefined) throw notFound(path(service.sid, request.params.country));
    const row = await updateRouteChoice(deps, service.sid, country, routeOf(request.body.MessagingServiceSid, service.sid));
    if (!row) throw notFound(path(service.sid, request.params.country));
    return messagingConfigurationResource(ctx, row);
  });

  api.delete('/v2/Services/:serviceSid/MessagingConfigurations/:country', { schema: deleteMessagingConfigurationSchema }, async (request, reply) => {
    const service = await loadService(ctx, request);
    const country = countryOf(request.params.country);
    if (country === undefined || !(await deleteRouteChoice(deps, service.sid, country))) throw notFound(path(service.sid, request.params.country));
    return reply.status(204).send();
  });
}
