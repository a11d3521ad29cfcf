import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { serveStaticFile, serveStaticRoot } from '../static-assets.ts';
import { hostedOperation, refusalPages } from './hosted-page-schema.ts';

/** Where every browser file of the hosted pages is served: the stylesheet and each factor's scripts. */
const HOSTED_ASSETS_PREFIX = '/handoff/assets/';
const CACHE = { cacheControl: 'public, max-age=300' };

/** What the document says about one browser file. */
export interface AssetDoc {
  operationId: string;
  summary: string;
  description: string;
}

const CONTENT_TYPES: Record<string, string> = { css: 'text/css', js: 'text/javascript' };

/** A browser file's operation: the file (from this server only, so the pages' CSP can stay `'self'`), or the request limits' 429. */
export function hostedAssetSchema(name: string, doc: AssetDoc) {
  const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
  return hostedOperation({
    ...doc,
    answers: { 200: { description: type === 'text/css' ? 'The stylesheet.' : 'The script.', schema: z.string(), contentType: type } },
    refusals: refusalPages({}),
  });
}

/**
 * Serves the files of `folder` (a URL of a folder, e.g. `new URL('./assets/', import.meta.url)`)
 * under /handoff/assets/ (static-assets.ts: listed once at start) and documents those named in
 * `docs`: @fastify/static adds the routes, and this scope gives them their schema as they are added.
 */
export function serveHostedAssets(app: FastifyInstance, folder: URL, docs: Record<string, AssetDoc>): void {
  void app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      const name = route.url.startsWith(HOSTED_ASSETS_PREFIX) ? route.url.slice(HOSTED_ASSETS_PREFIX.length) : '';
      const doc = docs[name];
      if (doc && [route.method].flat().includes('GET')) route.schema = hostedAssetSchema(name, doc);
    });
    serveStaticRoot(scope, fileURLToPath(folder), HOSTED_ASSETS_PREFIX, CACHE);
  });
}

/** Serves one file at `path` under /handoff/assets/ (a library's browser bundle), documented. */
export function serveHostedFile(app: FastifyInstance, path: string, file: string, doc: AssetDoc): void {
  void app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      if (route.url === path && [route.method].flat().includes('GET')) route.schema = hostedAssetSchema(path, doc);
    });
    serveStaticFile(scope, path, file, CACHE);
  });
}
