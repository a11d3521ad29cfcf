import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error.ts';
import { VerityError, errorBody, notFound } from '../errors/verity-error.ts';
import { toWireError } from './domain-error-mapping.ts';

/**
 * Maps every failure to the hosted API's error body; unexpected errors never leak details.
 * `publicUrl` is read per error: tests learn the port only once the server listens.
 */
export function installErrorHandling(app: FastifyInstance, publicUrl: () => string): void {
  app.setErrorHandler((error: FastifyError | VerityError | DomainError, request, reply) => {
    let verityError: VerityError;
    if (error instanceof VerityError) {
      verityError = error;
    } else if (error instanceof DomainError) {
      verityError = toWireError(error);
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      verityError = new VerityError(20001, 'Request body too large', { status: 413 });
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      verityError = new VerityError(20001, 'Unsupported Content-Type: send application/x-www-form-urlencoded or application/json', { status: 415 });
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      verityError = new VerityError(20001, 'Malformed request body', { status: error.statusCode === 413 ? 413 : 400 });
    } else {
      request.log.error({ err: error }, 'unhandled error');
      verityError = new VerityError(20500);
    }
    if (verityError.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(verityError.retryAfterSeconds));
    // Device calls authenticate with bearer tokens: a Basic challenge there would make a browser
    // show a login dialog (and never finish the request). A person who opens an API URL in the
    // browser (a navigation) gets no Basic challenge either: the dialog would make the browser cache
    // the credentials and replay them to every path of this origin.
    if (verityError.code === 20003) {
      if (request.url.startsWith('/device/')) void reply.header('WWW-Authenticate', 'Bearer realm="Verity"');
      else if (request.headers['sec-fetch-mode'] !== 'navigate') void reply.header('WWW-Authenticate', 'Basic realm="Verity"');
    }
    return reply.status(verityError.status).send(errorBody(verityError, publicUrl()));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const error = notFound(path.replace(/^\/v2/, ''));
    return reply.status(404).send(errorBody(error, publicUrl()));
  });
}
