/** The factor types an application may offer its user through a hand-off (`factors` claim). */
export const HANDOFF_FACTORS = ['totp', 'push', 'voiceprint', 'recovery_code', 'sms', 'call', 'email', 'passkeys', 'flashcall'] as const;
export type HandoffFactor = (typeof HANDOFF_FACTORS)[number];
/**
 * Why the application sends its user (`purpose` claim): a second factor (default), setting up new
 * factors (docs/handoff.md), or `identify`: a usernameless passkey sign-in, without `sub`, whose
 * result names the user (docs/handoff-passkeys.md).
 */
export const HANDOFF_PURPOSES = ['authenticate', 'enroll', 'identify'] as const;
type HandoffPurpose = (typeof HANDOFF_PURPOSES)[number];

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
  /** `factor_order`: the application's preferred order of the chooser's methods (values of `factors`; docs/handoff.md). */
  factorOrder?: HandoffFactor[] | undefined;
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
  /**
   * `name` (OIDC Core §5.1: the user's name "in displayable form"): what people see as the account in
   * their authenticator app, passkey manager and push device, and on the pages. A label only: the
   * user is always `subject`, never this. Validated by displayNameClaim.
   */
  displayName?: string | undefined;
  /**
   * `allow_remove_last: true`: the enrollment hub may remove the user's last sign-in method (the
   * application has another way to sign its user in). Absent: it refuses to.
   */
  allowRemoveLast?: boolean | undefined;
  jti: string;
  /** Seconds since the epoch, as in the token. */
  issuedAt: number;
  expiresAt: number;
}

/** A display name (`name` claim) has at most this many characters (WebAuthn §6.4.1 lets authenticators keep only 64 bytes). */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/**
 * What a display name may not contain: control characters (C0, DEL, C1), line and paragraph
 * separators, and the bidirectional overrides and isolates (which make `evil` read as `live`: the
 * "Trojan Source" trick, CVE-2021-42574) and every other format character except the zero-width
 * (non-)joiners U+200C/U+200D, which Persian and Indic names and emoji sequences need.
 */
const DISPLAY_NAME_FORBIDDEN = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/u;

/**
 * The `name` claim as a display name: trimmed, Unicode NFC, 1 to 64 characters, none of
 * DISPLAY_NAME_FORBIDDEN. Returns the reason when it is not one (the caller maps it to its error).
 */
export function displayNameClaim(value: unknown): { name: string } | { why: string } {
  if (typeof value !== 'string') return { why: 'name must be a string' };
  const name = value.normalize('NFC').trim();
  if (name.length === 0 || [...name].length > MAX_DISPLAY_NAME_LENGTH) return { why: `name must have 1 to ${MAX_DISPLAY_NAME_LENGTH} characters` };
  if (DISPLAY_NAME_FORBIDDEN.test(name)) return { why: 'name must not contain control, format or bidirectional characters' };
  return { name };
}

/** E.164: `+`, a non-zero digit, 7 to 15 digits in all. */
export const E164 = /^\+[1-9][0-9]{6,14}$/;
