import { basename, dirname, extname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { securityHeadersFor, type SecurityHeaders } from './security-headers.ts';

/**
 * Every file Verity serves from disk goes through @fastify/static, with the same headers as the
 * hand-written routes it replaced: an explicit Content-Type per extension (only these are served),
 * `X-Content-Type-Options: nosniff`, the caller's Cache-Control, and no ETag, Last-Modified or
 * ranges (the files are small and versioned with the server). The files are listed once at
 * start (no wildcard route): a name that was not there at start is a 404 from the app's handler.
 * Registered as plugins: the routes exist once the app is ready.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticAssetOptions {
  /** `public, max-age=300` for page assets, `no-store` for the development pages. */
  cacheControl: string;
  /** The page family's security headers (CSP, framing, referrer: security-headers.ts), if its files get them. */
  securityHeaders?: SecurityHeaders;
}

/**
 * Serves the files of `root` under `prefix` (which ends with `/`). With `index`, the prefix itself
 * answers with that file too.
 *
 * @example
 * serveStaticRoot(app, fileURLToPath(new URL('./static/', import.meta.url)), '/admin/assets/', { cacheControl: 'public, max-age=300' });
 */
export function serveStaticRoot(app: FastifyInstance, root: string, prefix: string, options: StaticAssetOptions & { index?: string }): void {
  void app.register(async (scope) => {
    if (options.securityHeaders) securityHeadersFor(scope, options.securityHeaders);
    await scope.register(fastifyStatic, {
      ...common(options),
      root,
      prefix,
      wildcard: false,
      index: options.index === undefined ? false : [options.index],
      decorateReply: false,
    });
  });
}

/**
 * Serves one file at `path` under another name (a library's browser bundle from node_modules).
 *
 * @example
 * serveStaticFile(app, '/handoff/assets/vendor/lib.js', require.resolve('lib/dist/lib.min.js'), { cacheControl: 'public, max-age=300' });
 */
export function serveStaticFile(app: FastifyInstance, path: string, file: string, options: StaticAssetOptions): void {
  void app.register(async (scope) => {
    if (options.securityHeaders) securityHeadersFor(scope, options.securityHeaders);
    // sendFile is decorated in this scope only, so each single file can have its own root.
    await scope.register(fastifyStatic, { ...common(options), root: dirname(file), serve: false });
    scope.get(path, async (_request, reply) => reply.sendFile(basename(file)));
  });
}

function common(options: StaticAssetOptions) {
  return {
    etag: false,
    lastModified: false,
    acceptRanges: false,
    cacheControl: false,
    serveDotFiles: false,
    // A directory (the prefix) is its index file, typed by setHeaders like any other.
    allowedPath: (pathname: string) => pathname.endsWith('/') || CONTENT_TYPES[extname(pathname)] !== undefined,
    setHeaders: (reply: FastifyReply, path: string) => {
      void reply.header('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
      void reply.header('X-Content-Type-Options', 'nosniff');
      void reply.header('Cache-Control', options.cacheControl);
    },
  };
}
