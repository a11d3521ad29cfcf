import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { brandStylesheet, brandTokens, contentVersion } from '../../handoff/client-branding.ts';
import { HANDOFF_CLIENT_SID } from '../../handoff/handoff-clients.ts';
import { pathSid } from '../schema/resource-fields.ts';
import { hostedOperation, hostedPage, refusalPages } from './hosted-page-schema.ts';

/*
 * Each hand-off client's brand assets, served by this server because the hosted pages' CSP allows
 * images and styles from 'self' only (issue 17; docs/handoff.md, "Branding"). Their URLs carry a
 * content version, so they cache for a year; a request naming an older version gets the current
 * content, not cached.
 */

const VERSION = /^[0-9a-f]{16}$/;
const LONG_CACHE = 'public, max-age=31536000, immutable';
const SHORT_CACHE = 'no-cache';

const handoffClientSid = pathSid('HC', 'The hand-off client SID (`HC` + 32 hex).');
const version = z.string().meta({ description: 'The content version in the URL the pages link (16 hex); another version answers the current content, not cached.' });
const StylesheetPath = z.object({ handoffClientSid, Version: version });
const LogoPath = z.object({ handoffClientSid, version });

const notFoundText = 'No such client, or it has no such brand asset.';

const brandStylesheetSchema = hostedOperation({
  operationId: 'handoffBrandStylesheet',
  summary: 'A hand-off client\'s brand stylesheet',
  description:
    'The CSS custom properties a client\'s branding sets on the hosted pages, linked after their own stylesheet: `--accent` (PrimaryColor), `--accent-text` (white or near-black, whichever reaches 4.5:1 on it), `--accent-link` (PrimaryColor, darkened or lightened to reach 4.5:1 on the page; its own value on dark pages) and, when the client has a BackgroundColor, `--page-bg` on light pages. Every value is a validated `#rrggbb`; nothing else reaches the sheet.',
  params: StylesheetPath,
  answers: { 200: { description: 'The stylesheet (`Cache-Control: public, max-age=31536000, immutable` for the current version).', schema: z.string(), contentType: 'text/css' } },
  refusals: refusalPages({ 404: notFoundText }),
});

const brandLogoSchema = hostedOperation({
  operationId: 'handoffBrandLogo',
  summary: 'A hand-off client\'s logo',
  description:
    'The logo the client registered (PNG, JPEG or WebP, checked by its bytes), as stored, with its exact `Content-Type`, `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src \'none\'` (an image never runs anything, even opened on its own).',
  params: LogoPath,
  answers: {
    200: { description: 'The image (`Cache-Control: public, max-age=31536000, immutable` for the current version).', schema: z.string().meta({ format: 'binary' }), contentType: 'image/png' },
  },
  refusals: refusalPages({ 404: notFoundText }),
});

function asset(reply: FastifyReply, type: string, current: boolean, body: string | Buffer): FastifyReply {
  return reply
    .header('Content-Type', type)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'")
    .header('Cross-Origin-Resource-Policy', 'same-origin')
    .header('Cache-Control', current ? LONG_CACHE : SHORT_CACHE)
    .send(body);
}

const missing = (reply: FastifyReply): FastifyReply => reply.status(404).header('Content-Type', 'text/plain; charset=utf-8').header('Cache-Control', 'no-store').send('Not found');

export function handoffBrandRoutes(app: FastifyInstance, ctx: AppContext): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const store = ctx.stores.handoffClients;

  routes.get('/handoff/brand/:handoffClientSid/:Version.css', hostedPage(brandStylesheetSchema), async (request, reply) => {
    const { handoffClientSid: clientSid, Version: version } = request.params;
    if (!HANDOFF_CLIENT_SID.test(clientSid) || !VERSION.test(version)) return missing(reply);
    const client = await store.get(clientSid);
    if (!client || client.primary_color === null) return missing(reply);
    const css = brandStylesheet(brandTokens(client.primary_color, client.background_color ?? undefined));
    const current = contentVersion(client.primary_color, client.background_color ?? '') === version;
    return asset(reply, 'text/css; charset=utf-8', current, css);
  });

  routes.get('/handoff/brand/:handoffClientSid/logo/:version', hostedPage(brandLogoSchema), async (request, reply) => {
    const { handoffClientSid: clientSid, version } = request.params;
    if (!HANDOFF_CLIENT_SID.test(clientSid) || !VERSION.test(version)) return missing(reply);
    const logo = await store.getLogo(clientSid);
    if (!logo) return missing(reply);
    return asset(reply, logo.content_type, logo.version === version, Buffer.from(logo.data, 'base64'));
  });
}
