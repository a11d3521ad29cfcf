import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { DemoConfig } from './config.ts';
import { createDemoContext, type DemoContext } from './demo-context.ts';
import { currentUser, html } from './reply-helpers.ts';
import { accountRoutes } from './routes/account-routes.ts';
import { signinRoutes } from './routes/signin-routes.ts';
import { signupRoutes } from './routes/signup-routes.ts';
import { transferRoutes } from './routes/transfer-routes.ts';
import { safeEqual, type SessionData } from './sessions.ts';
import { errorPage, homePage } from './views/auth-pages.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The browser's session, loaded before the handler and stored after it. */
    demoSession: { id: string; data: SessionData; loaded: string; destroyed?: boolean };
  }
}

const STATIC_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

/**
 * demo/static through @fastify/static, answering as the hand-written route did: only these types,
 * each with its Content-Type, cached five minutes, no ETag, Last-Modified or ranges. The files are
 * listed once at start (no wildcard route); another name falls to the not-found handler.
 */
async function serveStaticFiles(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./static/', import.meta.url)),
    prefix: '/static/',
    wildcard: false,
    index: false,
    etag: false,
    lastModified: false,
    acceptRanges: false,
    cacheControl: false,
    serveDotFiles: false,
    decorateReply: false,
    allowedPath: (pathname) => STATIC_TYPES[extname(pathname)] !== undefined,
    setHeaders: (reply, path) => {
      void reply.header('content-type', STATIC_TYPES[extname(path)]);
      void reply.header('cache-control', 'public, max-age=300');
    },
  });
}

/** Strict CSP: scripts and styles from this origin only; forms may post here and to Verity (the hand-off redirects). */
function securityHeaders(reply: FastifyReply, verityUrl: string): void {
  reply.header('content-security-policy', `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self' ${verityUrl}; frame-ancestors 'none'; base-uri 'none'`);
  reply.header('x-content-type-options', 'nosniff');
  // The return URL carries the result token: never send it on to another site.
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
}

/** Builds the Demo Bank app (not listening). */
export async function buildDemoApp(ctx: DemoContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 16_384, trustProxy: false });
  await app.register(cookie, { secret: ctx.config.cookieSecret });
  await app.register(formbody);
  await serveStaticFiles(app);

  app.decorateRequest('demoSession', undefined as unknown as FastifyRequest['demoSession']);
  app.addHook('onRequest', async (request, reply) => {
    securityHeaders(reply, ctx.config.verityUrl);
    if (request.url.startsWith('/static/')) return;
    const loaded = ctx.sessions.load(request);
    const id = loaded.id ?? ctx.sessions.save(reply, undefined, loaded.data);
    request.demoSession = { id, data: loaded.data, loaded: JSON.stringify(loaded.data) };
  });
  // Every POST carries the session's CSRF token in a hidden field (checked in constant time).
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent !== 'string' || !safeEqual(sent, request.demoSession.data.csrf)) {
      return html(reply, errorPage('Form expired', 'This form was not sent from this browser\'s current Demo Bank page (its security token is missing or out of date). Nothing was changed. Go back, reload the page and try again.'), 403);
    }
  });
  // Stored before the answer leaves, so the next request (e.g. after a redirect) sees it; only when
  // changed, so a page's polling does not overwrite what another request just stored.
  app.addHook('onSend', async (request, reply, payload) => {
    const session = request.demoSession;
    if (session && !session.destroyed && JSON.stringify(session.data) !== session.loaded) ctx.sessions.save(reply, session.id, session.data);
    return payload;
  });

  app.get('/', async (request, reply) => {
    if (currentUser(ctx, request)) return reply.redirect('/account', 303);
    const data = request.demoSession.data;
    const message = data.notice;
    delete data.notice;
    return html(reply, homePage(data.csrf, message));
  });
  signupRoutes(app, ctx);
  signinRoutes(app, ctx);
  accountRoutes(app, ctx);
  transferRoutes(app, ctx);

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/static/')) return reply.status(404).type('text/plain').send('Not found');
    return html(reply, errorPage('Page not found', 'There is no such page at Demo Bank.'), 404);
  });
  app.setErrorHandler(async (error, request, reply) => {
    request.log.error({ err: error }, 'demo request failed');
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return html(reply, errorPage('Something went wrong', status < 500 ? 'The request could not be read. Go back and try again.' : 'Demo Bank could not finish this request (Verity may be unreachable). Try again in a moment.'), status < 500 ? status : 502);
  });
  const sweeper = setInterval(() => ctx.sessions.sweep(), 10 * 60_000);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    ctx.calls.stop();
    ctx.db.close();
  });
  return app;
}

export interface RunningDemo {
  url: string;
  app: FastifyInstance;
  ctx: DemoContext;
  close: () => Promise<void>;
}

/** Starts Demo Bank on config.host:config.port (0 = any free port; the public URL then follows the port). */
export async function startDemo(config: DemoConfig, options: Parameters<typeof createDemoContext>[1] = {}): Promise<RunningDemo> {
  const ctx = createDemoContext(config, options);
  const app = await buildDemoApp(ctx);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { url: config.port === 0 ? config.publicUrl.replace(/:\d+$/, `:${port}`) : config.publicUrl, app, ctx, close: () => app.close() };
}
