import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../errors/verity-error.ts';

/** The page's files, served as they are: plain HTML, CSS and ES modules, no build step. */
const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Same-origin everything, no inline script or style, no plugins, no framing: the page only talks to
 * the simulator APIs (fetch, EventSource) and plays their prompt audio.
 */
export const VIRTUAL_PHONE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  contentType: string;
}

/** Reads every servable file once; only these names are ever served (no path from the request touches the disk). */
function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(STATIC_DIR)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType) assets.set(name, { body: readFileSync(join(STATIC_DIR, name)), contentType });
  }
  return assets;
}

function send(reply: FastifyReply, asset: Asset): FastifyReply {
  return reply
    .header('Content-Type', asset.contentType)
    .header('Content-Security-Policy', VIRTUAL_PHONE_CSP)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .send(asset.body);
}

/**
 * The virtual phone (`GET /phone`): a page that plays the user's phone, inbox and authenticator app
 * against the simulated carrier. Development only: register it only with the simulator, which
 * production refuses. Like the simulator APIs it uses, it needs no authentication.
 */
export function virtualPhoneRoutes(app: FastifyInstance): void {
  const assets = loadAssets();
  const index = assets.get('index.html');
  if (!index) throw new Error(`virtual phone: index.html is missing from ${STATIC_DIR}`);

  app.get('/phone', async (_request, reply) => send(reply, index));
  app.get<{ Params: { file: string } }>('/phone/:file', async (request, reply) => {
    const { file } = request.params;
    const asset = file === '' ? index : assets.get(file);
    if (!asset) throw notFound(request.url.split('?')[0] ?? request.url);
    return send(reply, asset);
  });
}
