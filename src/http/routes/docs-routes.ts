import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { installOpenApi } from '../openapi/openapi-plugin.ts';
import { installSecurityHeaders, pageHeaders, securityHeadersFor } from '../security-headers.ts';
import { errorCodesPageSchema, openApiDocumentSchema } from './docs-schema.ts';
import { renderErrorCodesPage } from './error-codes-page.ts';

/**
 * Swagger UI's page loads only its own bundled scripts and styles and fetches the document from
 * this origin: no inline script, no other origin, never in a frame. Its styles are set through the
 * DOM (allowed), its icons are data: images. Every response of the UI gets it (page, scripts,
 * styles, the document it loads), with the pages' shared headers (security-headers.ts).
 */
const SWAGGER_UI_HEADERS = pageHeaders({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // Swagger UI's bundle inserts one <style> element of its own: allowed by its hash, not by
  // 'unsafe-inline'. A bundle that changes it shows as a CSP violation in test/browser/docs-pages.test.ts.
  'style-src': ["'self'", "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

/** The error-codes page is one document with an inline style sheet and nothing else. */
const ERRORS_PAGE_HEADERS = pageHeaders({
  'default-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

/**
 * The two routes send text they built once (the document, the page): their schemas only document
 * them. Any app may mount them, whatever its serializer compiler (build-app's is zod's).
 */
const sentAsIs = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

/**
 * The API description: GET /openapi.json (the OpenAPI 3.1 document @fastify/swagger generates from
 * the routes' zod schemas, as-is) and a Swagger UI page at /docs showing the same document, and
 * the list of error codes at /docs/errors. Swagger UI's assets are bundled in @fastify/swagger-ui,
 * so the page works offline. Unauthenticated, like the operations routes.
 */
export async function docsRoutes(app: FastifyInstance, publicUrl = 'http://127.0.0.1:4000'): Promise<void> {
  // build-app installs helmet before any route; alone (tests), here.
  await installSecurityHeaders(app);
  // build-app installs the generator before any route so that it sees them all; alone (tests), here.
  if (!app.hasDecorator('swagger')) await installOpenApi(app, publicUrl);

  // Built once, when every route is registered: the document never changes while the server runs.
  let body: string | undefined;
  app.addHook('onReady', async () => {
    body = JSON.stringify(app.swagger());
  });
  app.get('/openapi.json', { schema: openApiDocumentSchema, serializerCompiler: sentAsIs }, async (_request, reply) =>
    reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .send((body ??= JSON.stringify(app.swagger()))),
  );

  const errorsPage = renderErrorCodesPage();
  app.get('/docs/errors', { schema: errorCodesPageSchema, serializerCompiler: sentAsIs, helmet: ERRORS_PAGE_HEADERS }, async (_request, reply) => reply.header('Content-Type', 'text/html; charset=utf-8').send(errorsPage));

  // Encapsulated: the UI's routes and headers stay inside this plugin. It reads the same generated document.
  await app.register(async (docs) => {
    securityHeadersFor(docs, SWAGGER_UI_HEADERS);
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { deepLinking: true, docExpansion: 'none', defaultModelsExpandDepth: 0, tryItOutEnabled: false },
      theme: { title: 'Verity API' },
    });
  });
}
