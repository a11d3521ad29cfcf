import { DomainError, type DomainReason } from '../errors/domain-error.ts';
import { VerityError } from '../errors/verity-error.ts';

/**
 * Authy's error codes as Verity answers them (docs/authy.md has the table and which ones are Verity's
 * choice where Authy's documentation is silent). The wire body is Authy's: `error_code` is a string.
 */
export const AUTHY_ERRORS = {
  '60000': { status: 400, title: 'An error occurred' },
  '60001': { status: 401, title: 'Invalid API key' },
  '60002': { status: 400, title: 'Invalid request' },
  '60003': { status: 429, title: 'DoS protection: too many requests, try again later' },
  '60004': { status: 400, title: 'Invalid parameter' },
  '60020': { status: 401, title: 'Token is invalid' },
  '60022': { status: 401, title: 'Verification code is incorrect' },
  '60023': { status: 404, title: 'No pending verifications found' },
  '60026': { status: 404, title: 'User not found' },
  '60033': { status: 400, title: 'Phone number is invalid' },
  '60049': { status: 404, title: 'Approval request not found' },
  '60051': { status: 400, title: 'The user has no OneTouch device' },
  '60060': { status: 503, title: 'The message could not be delivered' },
} as const;

export type AuthyErrorCode = keyof typeof AUTHY_ERRORS;

/** A refusal on the Authy API: an HTTP status, Authy's code (a string on the wire) and a safe message. */
export class AuthyError extends Error {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: AuthyErrorCode,
    message?: string,
    /** Extra top-level fields of the body (`token: "is invalid"` on 60020, as Authy sends). */
    readonly extra: Record<string, unknown> = {},
    options: { retryAfterSeconds?: number; status?: number } = {},
  ) {
    super(message ?? AUTHY_ERRORS[code].title);
    this.name = 'AuthyError';
    this.status = options.status ?? AUTHY_ERRORS[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const invalidAuthyParameter = (name: string, why: string): AuthyError => new AuthyError('60004', `Invalid parameter: ${name} - ${why}`);

/** Authy's answer to a wrong or unknown token: 401, `token: "is invalid"` in the body. */
export const tokenInvalid = (): AuthyError => new AuthyError('60020', 'Token is invalid', { token: 'is invalid' });

const LIMITS: ReadonlySet<DomainReason> = new Set(['destination_locked', 'send_limit', 'prefix_blocked', 'account_budget_exhausted', 'entity_locked', 'push_challenge_limit', 'verification_attempts_exhausted', 'challenge_attempts_exhausted']);

/**
 * The Authy error of a refusal from Verity's engine (a DomainError or a Verify-API VerityError): limits
 * and lock-outs are 429 60003; bad input 400 60004; an undeliverable message 503 60060. Anything
 * else is passed through unchanged (the route's error handler answers 60000 for it).
 */
export function authyErrorOf(error: unknown): unknown {
  if (error instanceof AuthyError) return error;
  if (error instanceof DomainError) {
    const retry = error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds };
    if (LIMITS.has(error.reason)) return new AuthyError('60003', error.safeMessage ?? AUTHY_ERRORS['60003'].title, {}, retry);
    if (error.reason === 'delivery_failed') return new AuthyError('60060');
    if (error.reason === 'channel_disabled' || error.reason === 'country_blocked') return new AuthyError('60000', error.safeMessage ?? 'The channel is not available for this number');
    if (error.reason === 'invalid_parameter') return new AuthyError('60004', error.safeMessage ?? AUTHY_ERRORS['60004'].title);
    return new AuthyError('60000', error.safeMessage ?? AUTHY_ERRORS['60000'].title);
  }
  if (error instanceof VerityError) {
    if (error.status === 429) return new AuthyError('60003', undefined, {}, error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds });
    if (error.code === 60200) return new AuthyError('60004', error.message);
    if (error.status >= 400 && error.status < 500) return new AuthyError('60000', error.message, {}, { status: 400 });
  }
  return error;
}
