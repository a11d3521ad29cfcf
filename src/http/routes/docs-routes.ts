import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { openApiDocument } from '../openapi/openapi-document.ts';
import { renderErrorCodesPage } from './error-codes-page.ts';

/**
 * Swagger UI's page loads only its own bundled scripts and styles and fetches the document from
 * this origin: no inline script, no other origin, never in a frame. Its styles are set through the
 * DOM (allowed), its icons are data: images.
 */
export const SWAGGER_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI's bundle inserts one <style> element of its own: allowed by its hash, not by
  // 'unsafe-inline'. A bundle that changes it shows as a CSP violation in test/browser/docs-pages.test.ts.
  "style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The error-codes page is one document with an inline style sheet and nothing else. */
export const ERRORS_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Never framed (clickjacking), never sniffed into another type, no Referer to other sites. */
function documentHeaders(reply: FastifyReply, csp: string): FastifyReply {
  return reply
    .header('Content-Security-Policy', csp)
    .header('X-Frame-Options', 'DENY')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer');
}

/**
 * The API description: GET /openapi.json (our own route, the document as-is) and a Swagger UI
 * page at /docs, and the list of error codes at /docs/errors. Swagger UI's assets are bundled in @fastify/swagger-ui, so the page works
 * offline. Unauthenticated, like the operations routes.
 */
export async function docsRoutes(app: FastifyInstance, publicUrl = 'http://127.0.0.1:4000'): Promise<void> {
  const document = openApiDocument(publicUrl);
  const body = JSON.stringify(document);

  app.get('/openapi.json', async (_request, reply) => reply.header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', 'no-cache').header('X-Content-Type-Options', 'nosniff').send(body));

  const errorsPage = renderErrorCodesPage();
  app.get('/docs/errors', async (_request, reply) => documentHeaders(reply, ERRORS_PAGE_CSP).header('Content-Type', 'text/html; charset=utf-8').send(errorsPage));

  // Encapsulated: the `swagger` decorator and the UI's routes stay inside this plugin.
  await app.register(async (docs) => {
    // Every response of the UI (page, scripts, styles, the document it loads) gets the headers.
    docs.addHook('onRequest', async (_request, reply) => {
      documentHeaders(reply, SWAGGER_UI_CSP);
    });
    // Static mode: the document is ours; no route schema is turned into documentation. (Its
    // typings know only OpenAPI 2/3.0 documents, hence the cast for a 3.1 one.)
    await docs.register(swagger, { mode: 'static', specification: { document: structuredClone(document) as never } });
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0, tryItOutEnabled: false },
      theme: { title: 'Verity API' },
    });
  });
}
