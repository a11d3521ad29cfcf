import { ERROR_CODES, moreInfoUrl, type ErrorCode } from './error-codes.ts';

/**
 * The one error type the API returns. `message` is always safe to show: it names what was
 * expected and never echoes a code, token or secret.
 */
export class VerityError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  /** Machine-readable specifics for the client (Verity extension `details` of the body), never secret. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: { retryAfterSeconds?: number; cause?: unknown; status?: number; details?: Record<string, unknown> } = {}) {
    super(message ?? ERROR_CODES[code].title, { cause: options.cause });
    this.name = 'VerityError';
    this.code = code;
    // A few transport errors (413, 415) share a code but keep their precise HTTP status.
    this.status = options.status ?? ERROR_CODES[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

export const invalidParameter = (name: string, why?: string): VerityError =>
  new VerityError(60200, `Invalid parameter: ${name}${why ? ` (${why})` : ''}`);

export const notFound = (path: string): VerityError =>
  new VerityError(20404, `The requested resource ${path} was not found`);

/** The wire body of the hosted API: `{code, message, more_info, status}`; `publicUrl` makes Verity codes' links absolute. */
export function errorBody(error: VerityError, publicUrl?: string): { code: number; message: string; more_info: string; status: number; details?: Record<string, unknown> } {
  return {
    code: error.code,
    message: error.message,
    more_info: moreInfoUrl(error.code, publicUrl),
    status: error.status,
    ...(error.details ? { details: error.details } : {}),
  };
}
