import type { Generated } from 'kysely';

import type { JSONWebKeySet, JWK } from 'jose';
import type { CountryCode } from 'libphonenumber-js/max';

/**
 * The tables as Kysely sees them (`…Table` where a column needs decoding, else the `…Row` itself).
 * Times are milliseconds since the epoch (PostgreSQL `bigint` arrives as a number: database.ts sets
 * the int8 parser); flags are 0/1 integers in both dialects; JSON is text. Stores hand out `…Row`
 * records, decoded once by src/store/codecs/ (real booleans, parsed JSON, closed unions).
 */
export interface Database {
  accounts: AccountRow;
  services: ServicesTable;
  verifications: VerificationsTable;
  check_failures: CheckFailureRow;
  rate_buckets: RateBucketRow;
  rate_limits: RateLimitRow;
  rate_limit_buckets: RateLimitBucketRow;
  webhooks: WebhooksTable;
  events: EventRow;
  webhook_deliveries: WebhookDeliveryRow;
  sim_messages: SimMessagesTable;
  entities: EntityRow;
  factors: FactorsTable;
  challenges: ChallengesTable;
  recovery_codes: RecoveryCodeRow;
  spent_tokens: SpentTokenRow;
  handoff_sessions: HandoffSessionRow;
  calls: CallsTable;
  verification_events: VerificationEventsTable;
  voiceprint_recordings: VoiceprintRecordingRow;
  voiceprint_fingerprints: VoiceprintFingerprintRow;
  handoff_clients: HandoffClientsTable;
  handoff_signing_keys: HandoffSigningKeysTable;
  passkey_credentials: PasskeyCredentialRow;
  passkey_ceremonies: PasskeyCeremonyRow;
  passkey_factor_settings: PasskeyFactorSettingsRow;
  admin_sessions: AdminSessionRow;
  messaging_configurations: MessagingConfigurationRow;
  delivery_attempts: DeliveryAttemptsTable;
  delivery_message_ids: DeliveryMessageIdRow;
  verification_attempts: VerificationAttemptRow;
  safe_list_numbers: SafeListNumberRow;
  access_tokens: AccessTokenRow;
  api_keys: ApiKeyRow;
  templates: TemplatesTable;
  authy_apps: AuthyAppRow;
  authy_users: AuthyUserRow;
  authy_approval_requests: AuthyApprovalRequestRow;
  push_device_marks: PushDeviceMarkRow;
  admin_audit_log: AdminAuditRow;
  push_enrollment_codes: PushEnrollmentCodeRow;
  handoff_client_logos: HandoffClientLogoRow;
  send_refusals: SendRefusalRow;
  factor_call_events: FactorCallEventsTable;
}

export interface AccountRow {
  sid: string;
  friendly_name: string;
  /** HMAC-SHA256 of the auth token under a key derived from the master key (hex). */
  auth_token_digest: string;
  /** The auth token sealed under the keyring (`account:<sid>`), for X-Twilio-Signature; null on accounts older than migration 0019 until their token is rotated. */
  auth_token_sealed: string | null;
  status: string;
  date_created: number;
  date_updated: number;
}

/** An `SK…` API key of an account (src/accounts/api-keys.ts); the secret only as a keyed digest. */
export interface ApiKeyRow {
  sid: string;
  account_sid: string;
  friendly_name: string;
  secret_digest: string;
  date_created: number;
  date_updated: number;
}

/** A 0/1 integer flag column. */
type Bit = 0 | 1;

/** The channels of a verification, which a service enables (`services.enabled_channels`, `verifications.channel`). */
export const VERIFICATION_CHANNELS = ['sms', 'call', 'email', 'flashcall', 'whatsapp'] as const;
type ServiceChannel = (typeof VERIFICATION_CHANNELS)[number];

export interface ServicesTable {
  sid: string;
  account_sid: string;
  friendly_name: string;
  code_length: number;
  code_ttl_seconds: number;
  custom_code_enabled: Bit;
  lookup_enabled: Bit;
  skip_sms_to_landlines: Bit;
  dtmf_input_required: Bit;
  psd2_enabled: Bit;
  do_not_share_warning_enabled: Bit;
  tts_name: string | null;
  default_locale: string | null;
  /** JSON array of ISO 3166-1 alpha-2 codes, or null for every country. */
  allowed_countries: string | null;
  /** JSON array of enabled channels. */
  enabled_channels: string;
  web_otp_domain: string | null;
  /** JSON object with settings Verity stores and returns but does not act on yet (push, totp, …). */
  extras: string;
  date_created: number;
  date_updated: number;
}

/** A service as the store hands it out (codecs/services-codec.ts). */
export type ServiceRow = Omit<ServicesTable, 'custom_code_enabled' | 'lookup_enabled' | 'skip_sms_to_landlines' | 'dtmf_input_required' | 'psd2_enabled' | 'do_not_share_warning_enabled' | 'allowed_countries' | 'enabled_channels' | 'extras'> & {
  custom_code_enabled: boolean;
  lookup_enabled: boolean;
  skip_sms_to_landlines: boolean;
  dtmf_input_required: boolean;
  psd2_enabled: boolean;
  do_not_share_warning_enabled: boolean;
  /** Null: every country. */
  allowed_countries: CountryCode[] | null;
  enabled_channels: ServiceChannel[];
  /** Settings Verity stores and returns but does not act on yet, by their API name (`Push.NumberMatching`, …). */
  extras: ServiceExtras;
};

export type ServiceExtras = Readonly<Record<string, unknown>>;

export interface VerificationsTable {
  sid: string;
  account_sid: string;
  service_sid: string;
  destination: string;
  channel: string;
  status: string;
  /** Random seed from which a generated code is derived with a master-key HMAC; no code is stored. */
  code_seed: string | null;
  /** Keyed digest of an application-supplied custom code. */
  code_digest: string | null;
  code_length: number;
  locale: string | null;
  custom_friendly_name: string | null;
  amount: string | null;
  payee: string | null;
  check_attempts: number;
  /** JSON array of `{time, channel, attempt_sid}`. */
  send_attempts: string;
  expires_at: number;
  failure_code: number | null;
  /** Voice: `speak_code`, `keypad_code`, `press_one`, `press_one_number` or `flash`; null for other channels. */
  voice_flow: string | null;
  /** Last progress-event sequence number handed out (the row lock makes them unique and ordered). */
  progress_seq: number;
  /** Who started it: `''` the application's API, `hosted:<subject>` a hosted page's user (API_REQUESTER in src/verify/limits.ts). */
  requester: string;
  date_created: number;
  date_updated: number;
}

export const VERIFICATION_STATUSES = ['pending', 'approved', 'canceled', 'max_attempts_reached', 'expired', 'failed', 'denied'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** One delivery of a verification's code (`verifications.send_attempts`, the resource's `send_code_attempts`). */
interface SendAttemptRecord {
  time: string;
  channel: string;
  attempt_sid: string;
}

/** A verification as the store hands it out (codecs/verifications-codec.ts). */
export type VerificationRow = Omit<VerificationsTable, 'channel' | 'status' | 'send_attempts'> & {
  channel: ServiceChannel;
  status: VerificationStatus;
  /** Every delivery of the code, oldest first. */
  send_attempts: SendAttemptRecord[];
};

export interface CheckFailureRow {
  key: string;
  consecutive: number;
  locked_until: number;
  date_updated: number;
}

export interface RateBucketRow {
  key: string;
  tokens: number;
  updated_at: number;
}

/** Verify's Service Rate Limit (`RK…`): a key a verification names in `RateLimits` (migration 0016). */
export interface RateLimitRow {
  sid: string;
  service_sid: string;
  account_sid: string;
  /** Unique per service; letters, digits, `-`, `_`, `.`. */
  unique_name: string;
  description: string | null;
  date_created: number;
  date_updated: number;
}

/** One Bucket (`BL…`) of a rate limit: at most `max` verifications per `interval` seconds for one value. */
export interface RateLimitBucketRow {
  sid: string;
  rate_limit_sid: string;
  service_sid: string;
  account_sid: string;
  max: number;
  interval: number;
  date_created: number;
  date_updated: number;
}

export interface WebhooksTable {
  sid: string;
  account_sid: string;
  service_sid: string;
  friendly_name: string;
  /** JSON array of event types (`*` for all). */
  event_types: string;
  webhook_url: string;
  webhook_method: string;
  status: string;
  version: string;
  secret_sealed: string;
  /** `twilio` (form body, X-Twilio-Signature) or `verity` (signed JSON envelope). */
  format: string;
  date_created: number;
  date_updated: number;
}

/** A webhook as the store hands it out (codecs/webhooks-codec.ts). */
export type WebhookRow = Omit<WebhooksTable, 'event_types'> & {
  /** The event types it subscribes to (`*` for all). */
  event_types: string[];
};

export interface EventRow {
  sid: string;
  account_sid: string;
  service_sid: string;
  type: string;
  resource_sid: string;
  payload: string;
  date_created: number;
}

export interface WebhookDeliveryRow {
  sid: string;
  event_sid: string;
  webhook_sid: string;
  /** The event's resource (`events.resource_sid`): deliveries of one subject to one webhook go in order. */
  subject_sid: string;
  service_sid: string | null;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number;
  /** Set by each claim; a settle writes only while the row still carries it (fencing). */
  claim_token: string | null;
  last_status_code: number | null;
  last_error: string | null;
  date_created: number;
  date_updated: number;
}

interface SimMessagesTable {
  seq: Generated<number>;
  channel: string;
  to_address: string;
  from_address: string;
  subject: string | null;
  body: string;
  date_created: number;
  /** Migration 0014: the simulated carrier's message id, and who sent it (null on older rows). */
  message_id: string | null;
  instance: string | null;
  attempt_id: string | null;
  /** A DeliveryStatus (rows from before 0014: `delivered`). */
  status: Generated<string>;
  error_code: string | null;
  date_updated: number | null;
}

/** The channels a message is delivered on (`sim_messages.channel`). */
export const DELIVERY_CHANNELS = ['sms', 'call', 'email', 'whatsapp'] as const;

/** A simulated carrier's message as the store hands it out. */
export interface SimMessageRow {
  seq: number;
  channel: (typeof DELIVERY_CHANNELS)[number];
  to_address: string;
  from_address: string;
  subject: string | null;
  body: string;
  date_created: number;
  message_id: string | null;
  instance: string | null;
  attempt_id: string | null;
  status: SimMessageStatus;
  error_code: string | null;
  date_updated: number | null;
}

/** Where a simulated message is: src/messaging/delivery-status.ts's statuses, which the store may not import. */
export const SIM_MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'undelivered', 'failed'] as const;
export type SimMessageStatus = (typeof SIM_MESSAGE_STATUSES)[number];

/** A user of the application (Verify's Entity, `YE`), named by the application's `identity`. */
export interface EntityRow {
  sid: string;
  account_sid: string;
  service_sid: string;
  identity: string;
  date_created: number;
  date_updated: number;
}

export interface FactorsTable {
  sid: string;
  account_sid: string;
  service_sid: string;
  entity_sid: string;
  identity: string;
  friendly_name: string;
  factor_type: string;
  /** `unverified` or `verified`. */
  status: string;
  /**
   * The binding, sealed with context `factor:<sid>`: a TOTP factor's base32 secret (never stored in
   * plaintext), or a push factor's public key (sealed so it cannot be swapped without the master key).
   */
  secret_sealed: string;
  /** JSON: TOTP `{alg, skew, code_length, time_step}`; push `{sdk_version, app_id, notification_platform, notification_token}`. */
  config: string;
  /** JSON object of string values, or null. */
  metadata: string | null;
  /** Highest TOTP time step accepted (each step is accepted at most once). */
  last_used_step: number | null;
  /** Verification codes tried while the factor is unverified (at most 5: then 60310). */
  verify_attempts: number;
  date_created: number;
  date_updated: number;
  /** When the factor last proved a sign-in (migration 0031; a challenge of it approved), null: never. Optional: rows built before it default to null. */
  date_last_used?: number | null;
}

export const FACTOR_TYPES = ['push', 'totp', 'passkeys', 'voiceprint'] as const;
type FactorType = (typeof FACTOR_TYPES)[number];
export const FACTOR_STATUSES = ['unverified', 'verified'] as const;
type FactorStatus = (typeof FACTOR_STATUSES)[number];

/** A factor as the store hands it out (codecs/factors-codec.ts); `config` is still JSON text, read per type by its factor module. */
export type FactorRow = Omit<FactorsTable, 'factor_type' | 'status' | 'metadata'> & {
  factor_type: FactorType;
  status: FactorStatus;
  /** The application's metadata (string values), or null. */
  metadata: Record<string, unknown> | null;
};

export interface ChallengesTable {
  sid: string;
  account_sid: string;
  service_sid: string;
  entity_sid: string;
  identity: string;
  factor_sid: string;
  factor_type: string;
  /** `pending`, `approved`, `denied` or `expired`. */
  status: string;
  responded_reason: string;
  /** JSON `{message, fields: [{label, value}]}`. */
  details: string;
  /** JSON object, or null. */
  hidden_details: string | null;
  /** JSON object, or null. */
  metadata: string | null;
  expiration_date: number;
  date_responded: number | null;
  /** Responses counted for this challenge (at most 5: the sixth is refused with 60308). */
  attempts: number;
  /** Push with number matching: the two digits the login page shows; null otherwise. */
  number_match: string | null;
  /** When a device first received this push challenge. */
  date_delivered: number | null;
  /** Why a push challenge was denied: `user` (the user said no) or `number_mismatch`. */
  denied_reason: string | null;
  /** Re-sends asked for (`POST …/Notifications`): a device stream on any node shows the challenge again when this grows. */
  notification_seq: number;
  date_created: number;
  date_updated: number;
}

export const CHALLENGE_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

/** A challenge's `details` as stored (its `date` is the challenge's `date_created`). */
interface StoredChallengeDetails {
  message: string | null;
  fields: Array<{ label: string; value: string }>;
  /** Voiceprint digits mode: the digits to say ("4 7 1 9 3 0"). */
  prompt?: string;
}

/** A challenge as the store hands it out (codecs/challenges-codec.ts). */
export type ChallengeRow = Omit<ChallengesTable, 'status' | 'details' | 'hidden_details' | 'metadata'> & {
  status: ChallengeStatus;
  details: StoredChallengeDetails;
  /** String values only (what the device shows in small print). */
  hidden_details: Record<string, string> | null;
  metadata: Record<string, unknown> | null;
};

export interface RecoveryCodeRow {
  sid: string;
  account_sid: string;
  service_sid: string;
  entity_sid: string;
  /** The batch this code was issued in; regenerating replaces the whole batch. */
  batch_sid: string;
  /** Keyed HMAC of the code (hex, master-derived key): finds the one row to check without revealing it. */
  lookup: string;
  /** argon2id hash of the code (salted, memory-hard), checked before the code is consumed. */
  hash: string;
  used_at: number | null;
  date_created: number;
}

/** A single-use token (by its `jti`), remembered until it expires so it cannot be replayed. */
interface SpentTokenRow {
  jti: string;
  expires_at: number;
}

/**
 * A hosted hand-off session (0011): bound to one browser by a cookie whose SHA-256 is `browser_hash`;
 * `state` is sealed (the session, the page of its current step); a POST claims `form_nonce`.
 */
export interface HandoffSessionRow {
  id: string;
  browser_hash: string;
  /** SHA-256 of `<client sid>:<request jti>`: a reopened request link finds its session. */
  request_key: string;
  /** NULL while a POST holds the session (claimed_at says since when). */
  form_nonce: string | null;
  claimed_at: number | null;
  version: number;
  state: string;
  completed_at: number | null;
  expires_at: number;
  date_created: number;
}

/** A call placed for a verification, with the state of its flow. */
export interface CallsTable {
  sid: string;
  account_sid: string;
  service_sid: string;
  /** The verification the call is for; null for a voiceprint call (then factor_sid, and challenge_sid when verifying). */
  verification_sid: string | null;
  factor_sid: string | null;
  challenge_sid: string | null;
  destination: string;
  caller_id: string;
  provider: string;
  provider_call_id: string | null;
  flow: string;
  /** JSON of the flow's state between call events. */
  flow_state: string;
  /** What the flow speaks or expects (the code, the digits to key in), sealed with context `call:<sid>`. */
  secret_sealed: string;
  /** `queued`, `ringing`, `in-progress`, then `completed`, `busy`, `no-answer`, `rejected`, `failed` or `canceled`. */
  status: string;
  /** 1 while the call is live, null once it ended. */
  active: 1 | null;
  end_reason: string | null;
  date_answered: number | null;
  date_ended: number | null;
  date_created: number;
  date_updated: number;
}

/** A call as the store hands it out (codecs/calls-codec.ts). */
export type CallRow = Omit<CallsTable, 'active'> & {
  /** True while the call is live. */
  active: boolean;
};

/** One step of a verification's progress, numbered per verification. */
export interface VerificationEventsTable {
  verification_sid: string;
  sequence: number;
  event: string;
  call_sid: string | null;
  /** JSON object; never a code or the digits pressed. */
  data: string;
  date_created: number;
}

/** One step of a verification's progress, numbered per verification. */
export type VerificationEventRow = Omit<VerificationEventsTable, 'data'> & {
  /** Never a code or the digits pressed. */
  data: Record<string, unknown>;
};

/** A recording kept for a voiceprint factor: enrolment audio until the voiceprint is built, or audio the service retains. */
export interface VoiceprintRecordingRow {
  sid: string;
  factor_sid: string;
  /** `enroll` or `verify`. */
  purpose: string;
  /** The WAV, sealed with context `recording:<sid>`. */
  audio_sealed: string;
  date_created: number;
}

/** The fingerprint of a recording the factor has seen (replay defence); not reversible to audio. */
export interface VoiceprintFingerprintRow {
  sid: string;
  factor_sid: string;
  fingerprint: string;
  date_created: number;
}

/** An application allowed to send its users to Verity with a signed hand-off request (`HC…`). */
export interface HandoffClientsTable {
  sid: string;
  account_sid: string;
  service_sid: string;
  friendly_name: string;
  /** JSON array of the allowed `return_to` URLs (exact match). */
  return_urls: string;
  /** `HS256` (shared secret) or `ES256` / `EdDSA` (the client's public JWKS). */
  algorithm: string;
  /** HS256 only: the shared secret, sealed under `handoff-client:<sid>`. */
  secret_sealed: string | null;
  /** ES256 / EdDSA only: the client's public JWKS (JSON). */
  jwks: string | null;
  date_created: number;
  date_updated: number;
  /** Branding (migration 0028, src/handoff/client-branding.ts): `#rrggbb`, null = Verity's colours. */
  primary_color: string | null;
  /** `#rrggbb` of the light pages' background, null = the pages' own. */
  background_color: string | null;
  /** The application's help page (https). */
  support_url: string | null;
  /** Content version of the logo in handoff_client_logos (its URL), null = no logo. */
  logo_version: string | null;
  logo_width: number | null;
  logo_height: number | null;
}

/** An application allowed to send its users to Verity with a signed hand-off request (`HC…`). */
export type HandoffClientRow = Omit<HandoffClientsTable, 'return_urls' | 'jwks'> & {
  /** The allowed `return_to` URLs (exact match). */
  return_urls: string[];
  /** ES256 / EdDSA only: the client's public JWKS. */
  jwks: JSONWebKeySet | null;
};

/** One of Verity's ES256 keys that sign hand-off results; published until `retired_at`. */
export interface HandoffSigningKeysTable {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  /** The private JWK, sealed under `handoff-key:<kid>`. */
  private_jwk_sealed: string;
  public_jwk: string;
  date_created: number;
  /** Null for the current key; set on rotation to when the key stops being published. */
  retired_at: number | null;
}

/** One of Verity's ES256 keys that sign hand-off results; published until `retired_at`. */
export type HandoffSigningKeyRow = Omit<HandoffSigningKeysTable, 'public_jwk'> & {
  public_jwk: JWK;
};

/** A verified passkey factor's WebAuthn credential: its id (base64url) and signature counter. */
export interface PasskeyCredentialRow {
  factor_sid: string;
  service_sid: string;
  entity_sid: string;
  /** The credential id as the browser reports it (base64url); unique within a service. */
  credential_id: string;
  /** The authenticator's signature counter last accepted (WebAuthn §6.1.1); 0 if it keeps none. */
  counter: number;
  date_created: number;
  date_last_used: number | null;
}

/**
 * A WebAuthn challenge handed to a browser and not yet used: the SHA-256 digest of the challenge,
 * the Verify challenge it belongs to (null for a usernameless sign-in), and when it expires.
 */
export interface PasskeyCeremonyRow {
  challenge_digest: string;
  service_sid: string;
  challenge_sid: string | null;
  expires_at: number;
}

/**
 * A passkey factor created through `POST …/Passkeys/Factors` (migration 0022): the `Passkeys.*`
 * settings its `config` overrides (JSON), and while unverified the SHA-256 digest (base64url) of its
 * registration challenge, by which `Passkeys/VerifyFactor` finds it.
 */
export interface PasskeyFactorSettingsRow {
  factor_sid: string;
  service_sid: string;
  settings: string;
  registration_digest: string | null;
}

/** An admin console session (migration 0010); ids appear only as SHA-256 digests (hex). */
export interface AdminSessionRow {
  sid: string;
  account_sid: string;
  id_digest: string;
  /** The id replaced by the last rotation, accepted until `rotated_at` + 60 s. */
  previous_id_digest: string | null;
  /** SHA-256 of the account's auth-token digest at sign-in: a rotated token ends the session. */
  credential_fingerprint: string;
  created_at: number;
  last_seen_at: number;
  rotated_at: number;
}

/**
 * Where a delivery attempt is: `sending` until the provider answered; `rejected` when it refused the
 * message (nothing was accepted); then the carrier's statuses (src/messaging/delivery-status.ts).
 */
export const DELIVERY_ATTEMPT_STATUSES = ['sending', 'rejected', 'queued', 'sent', 'delivered', 'undelivered', 'failed'] as const;
export type DeliveryAttemptStatus = (typeof DELIVERY_ATTEMPT_STATUSES)[number];

/** Why an attempt handed its message to the next route: refused at send, reported undelivered/failed, or no final status in time. */
export const FAILOVER_REASONS = ['rejected', 'undelivered', 'timeout'] as const;
export type FailoverReason = (typeof FAILOVER_REASONS)[number];

/** One entry of an attempt's status history: what became of it, when, and the carrier's error code if any. */
interface DeliveryStatusChange {
  status: DeliveryAttemptStatus;
  /** ms since the epoch: the carrier's time when it reported one, else when Verity learned it. */
  at: number;
  error_code?: string;
}

/** One message handed to one provider instance for one send of a verification's code (migration 0013). */
export interface DeliveryAttemptsTable {
  /** `DA` + 32 hex: OutboundMessage.attemptId. */
  sid: string;
  account_sid: string;
  service_sid: string;
  verification_sid: string;
  /** The send this attempt delivers (`VL…`, an entry of the verification's send_code_attempts); a failover is another attempt of the same send. */
  send_attempt_sid: string;
  channel: string;
  /** ISO 3166-1 alpha-2 of the destination number (libphonenumber-js), for metrics; null for e-mail or unknown. */
  destination_country: string | null;
  /** The provider instance (ProviderDeps.instance). */
  provider: string;
  /** The route that planned it (`default:<channel>` without routing configuration). */
  route_id: string;
  /** Its target's position in the route's plan (0: the first choice). */
  route_position: number;
  provider_message_id: string | null;
  /** SMS segments the carrier sent it as, when it said. */
  parts: number | null;
  status: string;
  /** JSON array of DeliveryStatusChange, oldest first. */
  status_history: string;
  /** The carrier's error code and text (never the message body). */
  error_code: string | null;
  error_message: string | null;
  /** A decimal string as the carrier reported it, and its ISO 4217 currency. */
  price: string | null;
  price_unit: string | null;
  /** 1 when the provider reports statuses (DeliveryProvider.receipts). */
  receipts: Bit;
  /** The rendered message (JSON {body, subject?, html?, locale}) sealed with context `delivery-attempt:<sid>`, kept only while a failover may need it. */
  message_sealed: string | null;
  /** When the sweeper must look at it: fail over if no final status by then, or wipe the sealed message; null when nothing is left to do. */
  deliver_by: number | null;
  /** The sweeper's lease (0: none). */
  lease_until: number;
  /** Set once, when this attempt handed the message to the next route. */
  failover_reason: string | null;
  /** Bumped by every change: status reports are compare-and-swap on it. */
  version: number;
  date_created: number;
  date_updated: number;
  /** When it reached a final status (delivered, undelivered, failed, rejected). */
  date_final: number | null;
}

/** A delivery attempt as the store hands it out (codecs/delivery-attempts-codec.ts). */
export type DeliveryAttemptRow = Omit<DeliveryAttemptsTable, 'status' | 'status_history' | 'receipts' | 'failover_reason'> & {
  status: DeliveryAttemptStatus;
  status_history: DeliveryStatusChange[];
  receipts: boolean;
  failover_reason: FailoverReason | null;
};

/** An id a carrier may name an attempt by (its message id, or another part's id), per provider instance. */
interface DeliveryMessageIdRow {
  provider: string;
  message_id: string;
  attempt_sid: string;
}

/** Verify's MessagingConfiguration: the messaging route a service's SMS to one country (or `all`) go through. */
export interface MessagingConfigurationRow {
  service_sid: string;
  /** ISO 3166 alpha-2, or `all`. */
  country: string;
  account_sid: string;
  /** A route id of VERITY_MESSAGING_CONFIG. */
  route_id: string;
  date_created: number;
  date_updated: number;
}

/** A Verify Template an account created (migration 0018; a Verity extension, src/verify/templates/). */
export interface TemplatesTable {
  sid: string;
  account_sid: string;
  friendly_name: string;
  /** JSON array of channels (`sms`, `voice`, `email`, `whatsapp`). */
  channels: string;
  /** JSON object: locale → `{text, date_created, date_updated}` (epoch ms). */
  translations: string;
  date_created: number;
  date_updated: number;
}

/** Whether a verification attempt's verification was approved (migration 0017; Twilio's `conversion_status`). */
export type ConversionStatus = 'converted' | 'unconverted';

/** One send of a verification's code (`VL…`, an entry of its `send_attempts`): the VerificationAttempts resource (migration 0017). */
export interface VerificationAttemptRow {
  sid: string;
  account_sid: string;
  service_sid: string;
  verification_sid: string;
  /** The wire channel: sms, call (a flash call too), email or whatsapp. */
  channel: string;
  /** E.164 number or lower-cased e-mail address. */
  destination: string;
  /** ISO 3166-1 alpha-2 of a phone destination; null for e-mail. */
  destination_country: string | null;
  conversion_status: ConversionStatus;
  date_created: number;
  date_updated: number;
}

/** A number of an account's SafeList (`GN…`, migration 0017): exempt from the SMS-pumping prefix cap. */
export interface SafeListNumberRow {
  sid: string;
  account_sid: string;
  /** E.164. */
  phone_number: string;
  date_created: number;
}

/** An AccessToken (`YK…`) as issued, kept until it expires so it can be fetched (migration 0017). */
export interface AccessTokenRow {
  sid: string;
  account_sid: string;
  service_sid: string;
  entity_identity: string;
  factor_type: string;
  factor_friendly_name: string;
  /** The token (a bearer credential) sealed with context `access-token:<sid>`. */
  token_sealed: string;
  ttl: number;
  date_created: number;
  expires_at: number;
}

/** An Authy application: the Authy API of one service (src/authy/, migration 0020). */
export interface AuthyAppRow {
  sid: string;
  service_sid: string;
  account_sid: string;
  /** SHA-256 (hex) of the API key, to find the app; null once the key is deleted. */
  key_digest: string | null;
  /** The API key sealed under the keyring (`authy-app:<sid>`): OneTouch callbacks are signed with it. */
  secret_sealed: string | null;
  onetouch_callback_url: string | null;
  next_user_id: number;
  date_created: number;
  date_updated: number;
}

/** A user of an Authy application: the entity `identity` and one phone. */
export interface AuthyUserRow {
  service_sid: string;
  authy_id: number;
  email: string;
  country_code: string;
  cellphone: string;
  /** E.164. */
  phone: string;
  identity: string;
  date_created: number;
  date_updated: number;
}

/** A OneTouch approval request: a push challenge, and the state of its signed callback. */
export interface AuthyApprovalRequestRow {
  uuid: string;
  service_sid: string;
  authy_id: number;
  challenge_sid: string;
  entity_sid: string;
  /** JSON array of `{res,url}`, or null. */
  logos: string | null;
  seconds_to_expire: number;
  /** `none` (no callback URL when created), `awaiting` (until decided and sent), `delivered`, `failed`, `expired` (never answered). */
  callback_state: string;
  callback_attempts: number;
  callback_next_at: number;
  callback_lease_until: number;
  callback_last_error: string | null;
  date_created: number;
}

/** A push device token its provider condemned (migration 0021, src/factors/push/platforms/push-delivery.ts). */
export interface PushDeviceMarkRow {
  factor_sid: string;
  platform: 'apn' | 'fcm';
  /** SHA-256 (hex) of the condemned Config.NotificationToken: a new token is not covered. */
  token_digest: string;
  /** The provider's reason (Unregistered, BadDeviceToken, UNREGISTERED, …). */
  reason: string;
  /** APNs 410 `timestamp`: when Apple last knew the token to be invalid (ms), else null. */
  provider_timestamp: number | null;
  date_marked: number;
}

/** One operator action in the admin console (migration 0030, src/admin/audit-log.ts). */
export interface AdminAuditRow {
  /** `AL…` */
  sid: string;
  /** The account the action was on (for a failed sign-in: the Account SID typed). */
  account_sid: string;
  /** Who acted: the console session's `AS…`, or the Account SID when there was no session (sign-in). */
  actor: string;
  /** A stable dotted name: `service.update`, `api_key.create`, `session.sign_in`… */
  action: string;
  target_sid: string | null;
  /** JSON object of what else tells the action apart (never a secret). */
  detail: string;
  ip: string | null;
  date_created: number;
}

/** A short push enrolment code (migration 0029, src/factors/push/enrollment-codes.ts): only its SHA-256 is kept. */
export interface PushEnrollmentCodeRow {
  /** SHA-256 (hex) of the code's 12 characters, upper case, without dashes. */
  code_digest: string;
  /** The enrolment token (JWT) the code stands for, sealed with context `enrollment-code:<code_digest>`. */
  token_sealed: string;
  /** The token's expiry (ms): the code expires with it. */
  expires_at: number;
  date_created: number;
}

/** A hand-off client's logo (migration 0028): kept apart so loading a client never loads its image. */
export interface HandoffClientLogoRow {
  client_sid: string;
  /** `image/png`, `image/jpeg` or `image/webp`, as its bytes say. */
  content_type: string;
  /** The image, base64 (≤ 64 KB decoded). */
  data: string;
  version: string;
  date_created: number;
}

/** How many sends the send gate refused, per account, UTC day, service, reason and country (migration 0032, src/send-gate/). */
interface SendRefusalRow {
  account_sid: string;
  /** 00:00 UTC of the day, ms. */
  day: number;
  service_sid: string;
  /** `geo` (country allow-list), `prefix` (SMS-pumping cap), `send` (per-destination budget), `send_account` (account budget). */
  reason: string;
  /** ISO country of the destination, '' for none (an e-mail address). */
  country: string;
  count: number;
}

/** One step of a factor call's progress (migration 0033, src/voice/factor-calls/factor-call-progress.ts), numbered per call. */
export interface FactorCallEventsTable {
  call_sid: string;
  sequence: number;
  event: string;
  /** JSON object; never audio, a score or a voiceprint. */
  data: string;
  date_created: number;
}

/** One step of a factor call's progress, numbered per call. */
export type FactorCallEventRow = Omit<FactorCallEventsTable, 'data'> & {
  /** Never audio, a score or a voiceprint. */
  data: Record<string, unknown>;
};
