/**
 * The resources exactly as the server returns them (snake_case JSON). Fields marked "Verity" are
 * extensions the hosted Verify API does not have.
 */

import type { components } from './generated/api-types.ts';

type Schemas = components['schemas'];

// Generated from the server's zod schemas (docs/openapi.json, `npm run openapi`).
/** The `meta` of every list answer. */
export type PageMeta = Schemas['ListMeta'];
export type Service = Schemas['Service'];
export type Verification = Schemas['Verification'];
export type SendCodeAttempt = Verification['send_code_attempts'][number];
export type VerificationCheck = Schemas['VerificationCheck'];

/** `whatsapp`: a WhatsApp authentication template to a phone number (the hosted API's name). */
export type Channel = 'sms' | 'call' | 'email' | 'whatsapp' | 'flashcall';
/** `denied` (Verity) is a call the user refused, e.g. a press-one call with the wrong number. */
export type VerificationStatus = 'pending' | 'approved' | 'denied' | 'canceled' | 'max_attempts_reached' | 'expired' | 'failed';
/** Verity: how a call verification is run (`speak_code` reads the code; the others are decided on the call). */
export type VoiceFlow = 'speak_code' | 'keypad_code' | 'press_one';


/** A list answer: `{ <key>: [...], meta }`, e.g. `{ services: [...], meta }`. */
export type Page<K extends string, T> = { [P in K]: T[] } & { meta: PageMeta };

export interface PageOptions {
  pageSize?: number;
  page?: number;
  pageToken?: string;
}





/** Verity: one event of a call verification's progress stream (`links.events`). */
export type VerificationProgressEvent = Schemas['VerificationProgressEvent'];

export type Entity = Schemas['Entity'];

export type FactorType = 'totp' | 'push';
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export type TotpConfig = Extract<Factor['config'], { time_step: number }>;

export type PushConfig = Extract<Factor['config'], { notification_platform: string }>;

/** `binding` is given by create only (TOTP: `secret` and `uri`; push: `alg` and `public_key`), null afterwards. */
export type Factor = Schemas['Factor'];

export type ChallengeField = Challenge['details']['fields'][number];

export type ChallengeStatus = Challenge['status'];

/** `links.events` (Verity) is the credential-free progress stream for the login page (see followEvents). */
export type Challenge = Schemas['Challenge'];

/** Verity: one event of a challenge's progress stream: 1 created, 2 delivered, 3 the outcome. */
export type ChallengeProgressEvent = Schemas['ChallengeProgressEvent'];

/** An enrollment token for a push device (docs/push.md §1). */
export type AccessToken = Schemas['AccessToken'];

/** Verity: how many recovery codes an entity has left. */
export type RecoveryCodeSummary = Schemas['RecoveryCodes'];
/** Verity: freshly issued recovery codes; `codes` is shown this once. */
export type IssuedRecoveryCodes = Schemas['IssuedRecoveryCodes'];
export type RecoveryCodeCheck = Schemas['RecoveryCodeCheck'];

export type Webhook = Schemas['Webhook'];

/** A created webhook: `secret` signs its deliveries and is shown this once. */
export type CreatedWebhook = Schemas['WebhookCreated'];

/** Verity: an application allowed to hand its users to Verity's hosted pages (docs/handoff.md); `secret` (HS256) only in the answer of create. */
export type HandoffClient = Schemas['HandoffClientCreated'];
