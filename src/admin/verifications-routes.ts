import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { VERIFICATION_STATUSES } from '../store/schema.ts';
import { destinationSearch } from '../verify/destination-search.ts';
import { form, text } from './admin-form-schemas.ts';
import { messagePage, type Viewer } from './admin-pages.ts';
import { sendPage } from './admin-reply.ts';
import { verificationPage } from './delivery-pages.ts';
import { VERIFICATIONS_PATH, verificationsPage } from './verifications-pages.ts';

const listSchema = {
  hide: true,
  querystring: form({
    service: text('Only this service\'s verifications (its SID).'),
    channel: text('Only this channel (sms, call, whatsapp, email, flashcall…).'),
    status: text('Only this status (pending, approved, canceled, max_attempts_reached, expired, failed, denied).'),
    to: text('A destination or its start; a phone number is normalised as the API normalises To.'),
    page: text('The page, from 0.'),
  }),
};
const detailSchema = { hide: true, params: z.object({ verificationSid: z.string().meta({ description: 'The verification\'s SID (a malformed one is "not found").' }) }) };

/** A page number from the query: 0–1000. */
function pageOf(value: string | undefined): number {
  return typeof value === 'string' && /^\d{1,4}$/.test(value) ? Math.min(Number(value), 1000) : 0;
}

/**
 * The console's Verifications section: the account's verifications of every service and channel
 * (filters: service, channel, status, number), and one verification with its events and the delivery
 * status of each attempt. Registered inside the console's signed-in scope (admin-routes.ts).
 */
export function verificationsAdminRoutes(instance: FastifyInstance, ctx: AppContext): void {
  const admin = instance.withTypeProvider<ZodTypeProvider>();
  const queries = ctx.stores.adminQueries;

  admin.get(VERIFICATIONS_PATH, { schema: listSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { query } = request;
    const [services, channels] = await Promise.all([queries.serviceNames(viewer.account.sid), queries.verificationChannels(viewer.account.sid)]);
    // Unknown choices are dropped (a stale link, a hand-edited URL): the list is then just wider.
    const typedTo = query.to?.trim() ? query.to.trim().slice(0, 320) : undefined;
    const filters = {
      serviceSid: services.some((s) => s.sid === query.service) ? query.service : undefined,
      channel: query.channel && /^[a-z]{2,16}$/.test(query.channel) ? query.channel : undefined,
      status: (VERIFICATION_STATUSES as readonly string[]).includes(query.status ?? '') ? query.status : undefined,
      to: typedTo === undefined ? undefined : destinationSearch(typedTo),
    };
    const page = pageOf(query.page);
    const { rows, more } = await queries.accountVerifications(viewer.account.sid, filters, page);
    return sendPage(reply, 200, verificationsPage({ viewer, filters, typedTo, services, channels: [...new Set([...channels, ...(filters.channel ? [filters.channel] : [])])].sort(), rows, page, more }));
  });

  admin.get(`${VERIFICATIONS_PATH}/:verificationSid`, { schema: detailSchema }, async (request, reply) => {
    const viewer = request.adminViewer as Viewer;
    const { verificationSid } = request.params;
    const verification = /^VE[0-9a-f]{32}$/.test(verificationSid) ? await queries.accountVerification(viewer.account.sid, verificationSid) : undefined;
    const service = verification && (await queries.service(viewer.account.sid, verification.service_sid));
    if (!verification || !service) {
      return sendPage(reply, 404, messagePage(viewer, 'Verification not found', `No verification ${verificationSid} in this account.`, { href: VERIFICATIONS_PATH, label: 'Back to verifications' }));
    }
    const [attempts, events] = await Promise.all([queries.verificationAttempts(viewer.account.sid, verification.sid), queries.resourceEvents(viewer.account.sid, verification.sid)]);
    return sendPage(reply, 200, verificationPage({ viewer, service, verification, attempts, events, from: 'verifications' }));
  });
}
