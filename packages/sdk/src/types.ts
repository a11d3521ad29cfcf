/**
 * The resources exactly as the server returns them (snake_case JSON). Fields marked "Verity" are
 * extensions the hosted Verify API does not have.
 */

export type Channel = 'sms' | 'call' | 'email' | 'flashcall';
/** `denied` (Verity) is a call the user refused, e.g. a press-one call with the wrong number. */
export type VerificationStatus = 'pending' | 'approved' | 'denied' | 'canceled' | 'max_attempts_reached' | 'expired' | 'failed';
/** Verity: how a call verification is run (`speak_code` reads the code; the others are decided on the call). */
export type VoiceFlow = 'speak_code' | 'keypad_code' | 'press_one';

/** The `meta` of every list answer. */
export interface PageMeta {
  page: number;
  page_size: number;
  first_page_url: string;
  previous_page_url: string | null;
  url: string;
  next_page_url: string | null;
  key: string;
}

/** A list answer: `{ <key>: [...], meta }`, e.g. `{ services: [...], meta }`. */
export type Page<K extends string, T> = { [P in K]: T[] } & { meta: PageMeta };

export interface PageOptions {
  pageSize?: number;
  page?: number;
  pageToken?: string;
}

export interface Service {
  sid: string;
  account_sid: string;
  friendly_name: string;
  code_length: number;
  lookup_enabled: boolean;
  psd2_enabled: boolean;
  skip_sms_to_landlines: boolean;
  dtmf_input_required: boolean;
  tts_name: string | null;
  do_not_share_warning_enabled: boolean;
  custom_code_enabled: boolean;
  push: {
    include_date: boolean;
    apn_credential_sid: string | null;
    fcm_credential_sid: string | null;
    /** Verity: number matching on push challenges (default true). */
    number_matching: boolean;
    /** Verity: push challenges allowed since the last success (default 5). */
    max_challenges_since_success: number;
  };
  totp: { issuer: string; time_step: number; code_length: number; skew: number };
  whatsapp: { msg_service_sid: string | null; from: string | null };
  passkeys: {
    relying_party: { id: string | null; name: string | null; origins: string[] };
    authenticator_attachment: string;
    discoverable_credentials: string | null;
    user_verification: string;
  };
  default_template_sid: string | null;
  verify_event_subscription_enabled: boolean;
  date_created: string;
  date_updated: string;
  url: string;
  links: Record<'verification_checks' | 'verifications' | 'rate_limits' | 'messaging_configurations' | 'entities' | 'webhooks' | 'access_tokens', string>;
  /** Verity: how long a code stays valid. */
  code_expiry_seconds: number;
  /** Verity: the language of messages when a verification names none. */
  default_locale: string | null;
  /** Verity: ISO 3166-1 alpha-2 countries phone verifications may go to; null for all. */
  allowed_countries: string[] | null;
  /** Verity: the channels verifications may use. */
  enabled_channels: Channel[];
  /** Verity: the domain of the WebOTP line (`@example.com #123456`) in SMS. */
  web_otp_domain: string | null;
}

export interface SendCodeAttempt {
  time: string;
  channel: string;
  attempt_sid: string;
}

export interface Verification {
  sid: string;
  service_sid: string;
  account_sid: string;
  to: string;
  channel: Channel;
  status: VerificationStatus;
  valid: boolean;
  amount: string | null;
  payee: string | null;
  date_created: string;
  date_updated: string;
  lookup: Record<string, unknown>;
  send_code_attempts: SendCodeAttempt[];
  sna: null;
  url: string;
  /** Verity, call and flash-call verifications only: the flow of the call. */
  voice_flow?: VoiceFlow | 'flash';
  /** Verity, calls only: whether the press-one flow asks for a number shown on screen. */
  number_match?: boolean;
  /** Verity, calls only: what the login page shows (the code to type on the keypad, or the number to match). */
  display_code?: string | null;
  /** Verity, flash calls only: how to read the code from the caller id. */
  flash_call?: { caller_id_prefix: string; code_length: number } | null;
  /** Verity, calls only: `events` is the credential-free progress stream (see followEvents). */
  links?: { events: string };
}

export interface VerificationCheck {
  sid: string;
  service_sid: string;
  account_sid: string;
  to: string;
  channel: Channel;
  status: VerificationStatus;
  valid: boolean;
  amount: string | null;
  payee: string | null;
  date_created: string;
  date_updated: string;
  sna_attempts_error_codes: unknown[];
}

/** Verity: one event of a call verification's progress stream (`links.events`). */
export interface VerificationProgressEvent {
  verification_sid: string;
  sequence: number;
  event:
    | 'queued'
    | 'ringing'
    | 'answered'
    | 'prompt_played'
    | 'digits_received'
    | 'approved'
    | 'denied'
    | 'failed'
    | 'expired'
    | 'canceled'
    | 'max_attempts_reached'
    | 'completed'
    | 'no-answer'
    | 'busy'
    | 'rejected';
  call_sid: string | null;
  data: Record<string, unknown>;
  date: string;
}

export interface Entity {
  sid: string;
  identity: string;
  account_sid: string;
  service_sid: string;
  date_created: string;
  date_updated: string;
  url: string;
  links: { factors: string; new_factors: string; challenges: string };
}

export type FactorType = 'totp' | 'push';
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpConfig {
  alg: TotpAlgorithm;
  skew: number;
  code_length: number;
  time_step: number;
}

export interface PushConfig {
  sdk_version: string | null;
  app_id: string | null;
  notification_platform: 'apn' | 'fcm' | 'none';
  notification_token: string | null;
}

export interface Factor {
  sid: string;
  account_sid: string;
  service_sid: string;
  entity_sid: string;
  identity: string;
  /** Given by create only (TOTP: `secret` and `uri`; push: `alg` and `public_key`), null afterwards. */
  binding: { secret: string; uri: string } | { alg: string; public_key: string } | null;
  options: null;
  date_created: string;
  date_updated: string;
  friendly_name: string;
  status: 'unverified' | 'verified';
  factor_type: FactorType;
  config: TotpConfig | PushConfig;
  metadata: Record<string, unknown> | null;
  url: string;
}

export interface ChallengeField {
  label: string;
  value: string;
}

export type ChallengeStatus = 'pending' | 'expired' | 'approved' | 'denied';

export interface Challenge {
  sid: string;
  account_sid: string;
  service_sid: string;
  entity_sid: string;
  identity: string;
  factor_sid: string;
  date_created: string;
  date_updated: string;
  date_responded: string | null;
  expiration_date: string;
  status: ChallengeStatus;
  responded_reason: 'none' | 'not_needed' | 'not_requested';
  details: { message: string | null; date: string; fields: ChallengeField[] };
  hidden_details: Record<string, string> | null;
  metadata: Record<string, unknown> | null;
  factor_type: FactorType;
  url: string;
  /** Verity: the two-digit number the login page shows for a push challenge with number matching. */
  number_match: string | null;
  /** Verity: RFC 8176 methods an approval stands for (`["otp"]`, `["swk"]`); null unless approved. */
  amr: string[] | null;
  /** Verity: why a push challenge was denied. */
  denied_reason: 'user' | 'number_mismatch' | null;
  /** `events` (Verity) is the credential-free progress stream for the login page (see followEvents). */
  links: { notifications: string; events: string };
}

/** Verity: one event of a challenge's progress stream: 1 created, 2 delivered, 3 the outcome. */
export interface ChallengeProgressEvent {
  sequence: 1 | 2 | 3;
  event: 'created' | 'delivered' | 'approved' | 'denied' | 'expired';
  challenge_sid: string;
  status: ChallengeStatus;
  date: string;
}

/** An enrollment token for a push device (docs/push.md §1). */
export interface AccessToken {
  sid: string;
  account_sid: string;
  service_sid: string;
  entity_identity: string;
  factor_type: 'push';
  factor_friendly_name: string;
  token: string;
  ttl: number;
  date_created: string;
  url: string;
}

/** Verity: how many recovery codes an entity has left. */
export interface RecoveryCodeSummary {
  entity_sid: string;
  identity: string;
  service_sid: string;
  account_sid: string;
  total: number;
  remaining: number;
  date_created: string | null;
  url: string;
}

/** Verity: freshly issued recovery codes; `codes` is shown this once. */
export interface IssuedRecoveryCodes extends RecoveryCodeSummary {
  codes: string[];
}

export interface RecoveryCodeCheck {
  entity_sid: string;
  identity: string;
  valid: boolean;
  remaining: number;
  amr: string[] | null;
}

export interface Webhook {
  url: string;
  sid: string;
  account_sid: string;
  service_sid: string;
  friendly_name: string;
  event_types: string[];
  webhook_method: 'POST';
  webhook_url: string;
  status: 'enabled' | 'disabled';
  version: 'v2';
  date_created: string;
  date_updated: string;
}

/** A created webhook: `secret` signs its deliveries and is shown this once. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

/** Verity: an application allowed to hand its users to Verity's hosted pages (docs/handoff.md). */
export interface HandoffClient {
  sid: string;
  account_sid: string;
  service_sid: string;
  friendly_name: string;
  return_urls: string[];
  algorithm: 'HS256' | 'ES256' | 'EdDSA';
  jwks: { keys: Array<Record<string, unknown>> } | null;
  date_created: string;
  date_updated: string;
  url: string;
  /** HS256 clients, in the answer of create only: the signing secret. */
  secret?: string;
}
