/** The factor types an application may offer its user through a hand-off (`factors` claim). */
export const HANDOFF_FACTORS = ['totp', 'push', 'voiceprint', 'recovery_code', 'sms', 'call', 'email', 'passkeys', 'flashcall'] as const;
export type HandoffFactor = (typeof HANDOFF_FACTORS)[number];
/**
 * Why the application sends its user (`purpose` claim): a second factor (default), setting up new
 * factors (docs/handoff.md), or `identify`: a usernameless passkey sign-in, without `sub`, whose
 * result names the user (docs/handoff-passkeys.md).
 */
export const HANDOFF_PURPOSES = ['authenticate', 'enroll', 'identify'] as const;
export type HandoffPurpose = (typeof HANDOFF_PURPOSES)[number];

/**
 * Authentication Method Reference values a result may carry: the IANA registry of RFC 8176 §2, plus
 * `pop` (registered later by OpenID EAP ACR Values 1.0).
 */
export const AMR_VALUES = ['face', 'fpt', 'geo', 'hwk', 'iris', 'kba', 'mca', 'mfa', 'otp', 'pin', 'pwd', 'rba', 'retina', 'sc', 'sms', 'swk', 'tel', 'user', 'vbm', 'wia', 'pop'] as const;

/** Requests and results live at most this long: a hand-off is a redirect, not a session. */
export const MAX_HANDOFF_TOKEN_SECONDS = 120;
/** How far in the future a request's `iat` may lie (the application's clock may run ahead). */
export const HANDOFF_CLOCK_SKEW_SECONDS = 30;
/** `state` is the application's opaque value, returned as the result's `nonce`. */
export const MAX_STATE_LENGTH = 512;

/** Explicit JWT types (RFC 8725 §3.11), so a result can never be taken for a request or another Verity token. */
export const HANDOFF_REQUEST_TYPE = 'verity-handoff-request+jwt';
export const HANDOFF_RESULT_TYPE = 'verity-handoff-result+jwt';

/** The claims of a request token once verified. */
export interface HandoffRequest {
  clientSid: string;
  serviceSid: string;
  /** The user's identity at the service; empty for `purpose: 'identify'` (the passkey names the user). */
  subject: string;
  state: string;
  returnTo: string;
  factors: HandoffFactor[];
  acr: string | undefined;
  /**
   * The phone number (E.164) the application trusts for this user: with `sms` or `call` in
   * `factors`, the pages offer a code to it (and, with `call`, approval by a call); with
   * `flashcall`, a flash call. Never shown in full.
   */
  phone?: string | undefined;
  /** `enroll`: the pages end on the enrollment hub (after a step-up when the user has factors); absent means `authenticate`. */
  purpose?: HandoffPurpose | undefined;
  /** `ui_locales` (OIDC Core §3.1.2.1): the languages the application prefers for the pages, in order. */
  uiLocales?: string[] | undefined;
  jti: string;
  /** Seconds since the epoch, as in the token. */
  issuedAt: number;
  expiresAt: number;
}

/** E.164: `+`, a non-zero digit, 7 to 15 digits in all. */
export const E164 = /^\+[1-9][0-9]{6,14}$/;
