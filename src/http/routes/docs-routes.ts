import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../openapi/openapi-document.ts';
import { renderErrorCodesPage } from './error-codes-page.ts';

/**
 * The API description: GET /openapi.json (our own route, the document as-is) and a Swagger UI
 * page at /docs, and the list of error codes at /docs/errors. Swagger UI's assets are bundled in @fastify/swagger-ui, so the page works
 * offline. Unauthenticated, like the operations routes.
 */
export async function docsRoutes(app: FastifyInstance, publicUrl = 'http://127.0.0.1:4000'): Promise<void> {
  const document = openApiDocument(publicUrl);
  const body = JSON.stringify(document);

  app.get('/openapi.json', async (_request, reply) => reply.header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', 'no-cache').send(body));

  const errorsPage = renderErrorCodesPage();
  app.get('/docs/errors', async (_request, reply) =>
    reply.header('Content-Type', 'text/html; charset=utf-8').header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'").send(errorsPage),
  );

  // Encapsulated: the `swagger` decorator and the UI's routes stay inside this plugin.
  await app.register(async (docs) => {
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
