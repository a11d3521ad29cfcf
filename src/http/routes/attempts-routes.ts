import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getCountries } from 'libphonenumber-js/max';
import type { AppContext } from '../../context.ts';
import { invalidParameter, notFound } from '../../errors/verity-error.ts';
import { attemptWindow } from '../../verify/attempts/attempt-window.ts';
import { summarizeAttempts } from '../../verify/attempts/attempts-summary.ts';
import { parseDestination } from '../../verify/destination.ts';
import type { ConversionStatus, DeliveryAttemptRow } from '../../store/schema.ts';
import type { AttemptFilter } from '../../store/verification-attempts-store.ts';
import { pageOf, pageResponse } from '../pagination.ts';
import { verificationAttemptResource } from '../resources/verification-attempt-resource.ts';
import { attemptsSummarySchema, fetchAttemptSchema, listAttemptsSchema } from './attempts-schema.ts';

const COUNTRIES: ReadonlySet<string> = new Set(getCountries());

/** The filters both the list and the summary take, as the query gives them. */
interface CommonQuery {
  DateCreatedAfter?: string | undefined;
  DateCreatedBefore?: string | undefined;
  Country?: string | undefined;
  Channel?: string | undefined;
  VerifyServiceSid?: string | undefined;
}

/** `rbm` is a channel of the hosted API that Verity never sends: filtering on it selects nothing, as it would select nothing on an account that never used it. */
function commonFilter(query: CommonQuery, now: number): AttemptFilter {
  const { from, to } = attemptWindow(query.DateCreatedAfter, query.DateCreatedBefore, now);
  const country = query.Country?.toUpperCase();
  if (country !== undefined && !COUNTRIES.has(country)) throw invalidParameter('Country', 'expected an ISO 3166-1 alpha-2 country code');
  return { createdFrom: from, createdTo: to, serviceSid: query.VerifyServiceSid, country, channel: query.Channel?.toLowerCase() };
}

/** The filter parameters of a list request, carried on its page URLs. */
const FILTER_KEYS = ['DateCreatedAfter', 'DateCreatedBefore', 'ChannelData.To', 'Country', 'Channel', 'VerifyServiceSid', 'VerificationSid', 'Status'] as const;

function filtersOf(query: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, typeof query[key] === 'string' ? query[key] : undefined]));
}

/** Groups a page's delivery attempts by the send (`VL…`) they deliver. */
function bySend(deliveries: readonly DeliveryAttemptRow[]): Map<string, DeliveryAttemptRow[]> {
  const groups = new Map<string, DeliveryAttemptRow[]>();
  for (const d of deliveries) groups.set(d.send_attempt_sid, [...(groups.get(d.send_attempt_sid) ?? []), d]);
  return groups;
}

/** VerificationAttempts (list, fetch) and VerificationAttemptsSummary: the account's own attempts only. */
export function attemptsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const base = () => ctx.config.publicUrl;

  api.get('/v2/Attempts', { schema: listAttemptsSchema }, async (request) => {
    const query = request.query;
    const filter: AttemptFilter = {
      ...commonFilter(query, ctx.clock.now()),
      verificationSid: query.VerificationSid,
      conversionStatus: query.Status?.toLowerCase() as ConversionStatus | undefined,
      destination: query['ChannelData.To'] === undefined ? undefined : parseDestination(query['ChannelData.To'], 'ChannelData.To').address,
    };
    const page = pageOf(query);
    const rows = await ctx.stores.verificationAttempts.list(request.account.sid, filter, { limit: page.pageSize + 1, offset: page.offset });
    const shown = rows.slice(0, page.pageSize);
    const deliveries = bySend(await ctx.stores.deliveryAttempts.listForVerifications([...new Set(shown.map((r) => r.verification_sid))]));
    const items = shown.map((row) => verificationAttemptResource(row, deliveries.get(row.sid) ?? [], base()));
    return pageResponse('attempts', items, page, rows.length > page.pageSize, `${base()}/v2/Attempts`, filtersOf(request.query as Record<string, unknown>));
  });

  // A static path: the router prefers it to `/v2/Attempts/:sid`, whatever the registration order.
  api.get('/v2/Attempts/Summary', { schema: attemptsSummarySchema }, async (request) => {
    const query = request.query;
    const prefix = query.DestinationPrefix === undefined ? undefined : query.DestinationPrefix.startsWith('+') ? query.DestinationPrefix : `+${query.DestinationPrefix}`;
    const summary = await summarizeAttempts(ctx.stores, request.account.sid, { ...commonFilter(query, ctx.clock.now()), destinationPrefix: prefix });
    return {
      total_attempts: summary.total,
      total_converted: summary.converted,
      total_unconverted: summary.unconverted,
      conversion_rate_percentage: summary.conversionRatePercentage,
      url: `${base()}/v2/Attempts/Summary`,
    };
  });

  api.get('/v2/Attempts/:sid', { schema: fetchAttemptSchema }, async (request) => {
    const { sid } = request.params;
    const row = /^VL[0-9a-f]{32}$/.test(sid) ? await ctx.stores.verificationAttempts.find(request.account.sid, sid) : undefined;
    if (!row) throw notFound(`/Attempts/${sid}`);
    return verificationAttemptResource(row, await ctx.stores.deliveryAttempts.listForSend(row.sid), base());
  });
}
