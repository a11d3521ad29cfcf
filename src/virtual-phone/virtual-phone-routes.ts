import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { pageHeaders, type CspDirectives } from '../http/security-headers.ts';
import { serveStaticFile, serveStaticRoot } from '../http/static-assets.ts';

/** The page's files, served as they are: plain HTML, CSS and ES modules, no build step. */
const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/**
 * eventsource-parser's ES module (self-contained), for push.js: the challenge stream needs an
 * Authorization header, which EventSource cannot send, so the page reads it with fetch and parses it
 * with the same library as the command-line authenticator (src/authenticator/sse-reader.ts).
 */
const EVENTSOURCE_PARSER = fileURLToPath(import.meta.resolve('eventsource-parser'));

/**
 * Same-origin everything, no inline script or style, no plugins, no framing: the page only talks to
 * the simulator APIs (fetch, EventSource) and plays their prompt audio.
 */
const VIRTUAL_PHONE_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'media-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The virtual phone (`GET /phone`): a page that plays the user's phone, inbox and authenticator app
 * against the simulated carrier. Development only: register it only with the simulator, which
 * production refuses. Like the simulator APIs it uses, it needs no authentication. Its files
 * (static/, listed once at start) are served at `/phone/<name>`; `/phone` and `/phone/` are index.html.
 */
export function virtualPhoneRoutes(app: FastifyInstance): void {
  const index = join(STATIC_DIR, 'index.html');
  if (!existsSync(index)) throw new Error(`virtual phone: index.html is missing from ${STATIC_DIR}`);
  const options = { cacheControl: 'no-store', securityHeaders: pageHeaders(VIRTUAL_PHONE_CSP) };
  serveStaticRoot(app, STATIC_DIR, '/phone/', { ...options, index: 'index.html' });
  serveStaticFile(app, '/phone', index, options);
  serveStaticFile(app, '/phone/vendor/eventsource-parser.js', EVENTSOURCE_PARSER, options);
}
