import { VerityError } from './verity-error.ts';

/**
 * Why a domain operation refused, as a closed union. Domain code throws (or returns) a
 * `DomainError` with one of these reasons and its data; callers that react to a refusal (the hosted
 * pages, the call flows) switch on the reason. Only the HTTP edge knows which Twilio wire code,
 * status and default message a reason becomes (src/http/domain-error-mapping.ts), so the wire can
 * change without touching control flow, and several reasons may share one wire code.
 */
export type DomainReason =
  // Input
  | 'invalid_parameter' // a parameter is missing or malformed (the message names it)
  | 'invalid_recording' // a recording cannot be read, or does not match the enrolment's sample rate
  | 'not_applicable' // valid on its own but not here (a factor type, a feature not available)
  | 'wrong_state' // the resource's state does not allow this (expired, answered, exists, enrolled)
  | 'not_found'
  | 'unauthenticated'
  // Verifications
  | 'verification_attempts_exhausted' // five checks on one verification
  | 'destination_locked' // repeated wrong codes for one destination (retryAfterSeconds)
  | 'session_wrong_codes_limit' // a hosted session's wrong codes (details.limit)
  | 'call_in_progress' // a call to this number is still live
  | 'delivery_failed' // the provider refused or failed after safe retries
  // The send gate
  | 'channel_disabled'
  | 'send_limit' // per-destination sends (retryAfterSeconds)
  | 'prefix_blocked' // SMS pumping defence (retryAfterSeconds)
  | 'country_blocked' // geo permissions
  | 'account_budget_exhausted' // the account's send budget (retryAfterSeconds)
  // Factors and challenges
  | 'challenge_attempts_exhausted' // wrong codes for one challenge
  | 'entity_locked' // repeated wrong codes across an entity's challenges (retryAfterSeconds)
  | 'factor_attempts_exhausted' // wrong codes while verifying one factor
  | 'factor_verification_failed'
  | 'challenge_verification_failed'
  | 'push_challenge_limit' // push fatigue defence
  | 'recording_rejected' // quality check (details.problems)
  | 'voiceprint_locked' // consecutive voice mismatches (retryAfterSeconds)
  | 'voiceprint_challenge_limit' // unanswered voiceprint challenges since the last approval
  // Passkeys
  | 'passkey_registration_expired'
  | 'passkey_counter_not_increased'
  | 'passkey_sign_in_failed'
  | 'passkey_options_unknown'
  | 'passkey_not_recognised'
  | 'passkey_user_verification_required'
  // Hand-off requests (the signed JWT an application sends to the hosted pages)
  | 'handoff_request_malformed'
  | 'handoff_client_unknown'
  | 'handoff_signature_invalid'
  | 'handoff_request_expired'
  | 'handoff_lifetime_too_long'
  | 'handoff_audience_wrong'
  | 'handoff_request_replayed'
  | 'handoff_return_url_not_allowed'
  | 'handoff_request_not_yet_valid'
  // Webhooks
  | 'webhook_url_not_allowed';

export interface DomainErrorOptions {
  /** Seconds until the refusal lifts (a lock-out, a budget); the edge sends it as Retry-After. */
  retryAfterSeconds?: number;
  /** Machine-readable specifics a client may see (never secret). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * A refusal of the domain. `message`, when given, is safe to show (it names what was expected and
 * never echoes a code, token or secret); without one the edge uses the wire code's title.
 */
export class DomainError extends Error {
  readonly reason: DomainReason;
  /** The safe-to-show message the thrower wrote, or undefined (the edge then uses its default). */
  readonly safeMessage: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(reason: DomainReason, message?: string, options: DomainErrorOptions = {}) {
    super(message ?? reason, { cause: options.cause });
    this.name = 'DomainError';
    this.reason = reason;
    this.safeMessage = message;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

/**
 * Whether `error` is a domain refusal, and (given reasons) one of those. The guard narrows to the
 * reasons named, so a `false` still leaves the other reasons possible for the next test.
 */
export function isDomainError<R extends DomainReason = DomainReason>(error: unknown, ...reasons: R[]): error is DomainError & { readonly reason: R } {
  return error instanceof DomainError && (reasons.length === 0 || (reasons as readonly DomainReason[]).includes(error.reason));
}

/**
 * A refusal a caller may show to the user: a `DomainError`, or a `VerityError` thrown where the
 * parameter names are the wire's (`invalidParameter`, `notFound`). Anything else is a bug and must
 * propagate.
 */
export function isRefusal(error: unknown): error is DomainError | VerityError {
  return error instanceof DomainError || error instanceof VerityError;
}
