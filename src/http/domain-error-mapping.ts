import { DomainError, type DomainReason } from '../errors/domain-error.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import { VerityError } from '../errors/verity-error.ts';

/**
 * The one place a domain refusal becomes a wire error: its Twilio (or Verity) code, and through the
 * code registry its HTTP status and default message. Several reasons share a code where the hosted
 * API does not tell them apart (e.g. a verification's attempts and a destination's lock-out: 60202).
 */
const WIRE_CODE: Record<DomainReason, ErrorCode> = {
  invalid_parameter: 60200,
  invalid_recording: 60200,
  not_applicable: 60300,
  wrong_state: 60306,
  not_found: 20404,
  unauthenticated: 20003,
  verification_attempts_exhausted: 60202,
  destination_locked: 60202,
  session_wrong_codes_limit: 60202,
  call_in_progress: 60212,
  delivery_failed: 30008,
  channel_disabled: 60223,
  send_limit: 60203,
  prefix_blocked: 60410,
  country_blocked: 60605,
  account_budget_exhausted: 64301,
  challenge_attempts_exhausted: 60308,
  entity_locked: 60308,
  factor_attempts_exhausted: 60310,
  factor_verification_failed: 60311,
  challenge_verification_failed: 60324,
  push_challenge_limit: 64001,
  recording_rejected: 64011,
  voiceprint_locked: 64012,
  voiceprint_challenge_limit: 64013,
  passkey_registration_expired: 64201,
  passkey_counter_not_increased: 64202,
  passkey_sign_in_failed: 64203,
  passkey_options_unknown: 64204,
  passkey_not_recognised: 64205,
  passkey_user_verification_required: 64206,
  handoff_request_malformed: 64101,
  handoff_client_unknown: 64102,
  handoff_signature_invalid: 64103,
  handoff_request_expired: 64104,
  handoff_lifetime_too_long: 64105,
  handoff_audience_wrong: 64106,
  handoff_request_replayed: 64107,
  handoff_return_url_not_allowed: 64108,
  handoff_request_not_yet_valid: 64109,
  webhook_url_not_allowed: 64501,
};

/** The wire error of a domain refusal: same message (or the code's title), Retry-After and details. */
export function toWireError(error: DomainError): VerityError {
  return new VerityError(WIRE_CODE[error.reason], error.safeMessage, {
    retryAfterSeconds: error.retryAfterSeconds,
    details: error.details,
    cause: error,
  });
}

/** A refusal of either kind as the wire error it is sent as; anything else: undefined. */
export function asWireError(error: unknown): VerityError | undefined {
  if (error instanceof VerityError) return error;
  if (error instanceof DomainError) return toWireError(error);
  return undefined;
}
