import { z } from 'zod';
import { AMR_BY_FACTOR_TYPE, DEFAULT_CHALLENGE_TTL_MS, MAX_CHALLENGE_ATTEMPTS, MAX_CHALLENGE_TTL_MS } from '../../factors/challenges.ts';
import { MAX_PASSKEY_PAYLOAD } from '../../factors/passkeys/passkey-protocol.ts';
import { DEFAULT_ENROLLMENT_TTL_SECONDS } from '../../factors/push/enrollment-tokens.ts';
import { PUSH_FATIGUE_WINDOW_MS } from '../../factors/push/push-challenges.ts';
import { VOICEPRINT_CHALLENGE_WINDOW_MS, VOICEPRINT_MAX_CHALLENGES_SINCE_SUCCESS } from '../../factors/voiceprint-factor/voiceprint-challenge-cap.ts';
import { ENROLLMENT_AUDIENCE, JWT_TYPES } from '../../factors/push/push-protocol.ts';
import { MAX_FACTOR_VERIFY_ATTEMPTS } from '../../factors/totp/totp-factor.ts';
import { ENROLLMENT_RECORDINGS } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { LOCKOUT } from '../../verify/limits.ts';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, extension, listOf, pathSid, sid } from '../schema/resource-fields.ts';
import { variantFields } from '../schema/variant-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';
import { IDENTITY_PATTERN, PASSKEY_SEMANTICS, PUSH_SEMANTICS, TOTP_SEMANTICS, VOICEPRINT_SEMANTICS } from './factor-semantics.ts';
import { ServicePath } from './services-schema.ts';

/** Verify's Entities, Factors, Challenges, Notifications and AccessTokens. */

/** The longest push AuthPayload the hosted API accepts. */
export const MAX_AUTH_PAYLOAD = 5456;

const FACTOR_TYPES = ['push', 'totp', 'passkeys', 'voiceprint'] as const;
export type FactorType = (typeof FACTOR_TYPES)[number];
const ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

export const EntityPath = ServicePath.extend({ identity: z.string().meta({ description: 'The application\'s user id: 8–64 dash-separated letters and digits, no PII.', minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$' }) });
export const FactorPath = EntityPath.extend({ factorSid: pathSid('YF', 'Factor SID (`YF` + 32 hex).') });
export const ChallengePath = EntityPath.extend({ challengeSid: pathSid('YC', 'Challenge SID (`YC` + 32 hex).') });

// ---------------------------------------------------------------------------------------------
// Request fields
// ---------------------------------------------------------------------------------------------

const metadata = () => field.jsonObject(1024).meta({ description: 'JSON object of string values, stored and returned.' });

const totpConfig = {
  'Config.TimeStep': field.integer(20, 60).meta({ description: 'Seconds per code (RFC 6238 X); default the service\'s `Totp.TimeStep`, else 30.' }),
  'Config.Skew': field.integer(0, 2).meta({ description: 'Time steps accepted before and after the current one; default the service\'s `Totp.Skew`, else 1.' }),
  'Config.CodeLength': field.integer(3, 8).meta({ description: 'Digits per code; default the service\'s `Totp.CodeLength`, else 6. 3–5 are accepted like the hosted API but weak (RFC 4226 §5.3 asks for 6).' }),
  'Config.Alg': field.oneOf(ALGORITHMS).meta({ description: 'HMAC hash (default sha1, which most authenticator apps expect).' }),
};

/** The push device's key, as a factor create (account API) and a device enrollment send it. */
export const pushBinding = {
  'Binding.Alg': field.string({ max: 16 }).meta({ enum: ['ES256'], description: 'Push (required): the signature algorithm of the device key; only ES256 (P-256).' }),
  // The shape is checked by push-factor.ts (its 60200 names the rule): documented here.
  'Binding.PublicKey': field.string({ max: 1024 }).meta({
    pattern: '^[A-Za-z0-9+/]+={0,2}$',
    description: 'Push (required): the device\'s public key, base64 DER SubjectPublicKeyInfo of a P-256 key. Stored sealed; the private key never leaves the device.',
  }),
};

/** Push settings of a factor create and a device enrollment, in the order they are checked. */
export const pushConfig = {
  'Config.NotificationPlatform': field.oneOf(['apn', 'fcm', 'none']).meta({
    default: 'none',
    description: 'Push: how the device is woken for a challenge: `apn` (Apple Push Notification service) or `fcm` (Firebase Cloud Messaging), when Verity is configured for it (VERITY_APNS_*, VERITY_FCM_*); with `none` the device reads or streams its challenges from the device API.',
  }),
  'Config.NotificationToken': field.string({ min: 32, max: 255 }).meta({ description: 'Push: the device\'s APNs/FCM token; required when Config.NotificationPlatform is apn or fcm.' }),
  'Config.AppId': field.string({ max: 128 }).meta({ description: 'Push: the app\'s bundle or package id; stored and returned.' }),
  'Config.SdkVersion': field.string({ max: 32 }).meta({ description: 'Push: the client SDK version; stored and returned.' }),
};

const factorBase = {
  FriendlyName: field.required({ max: 64 }).meta({ description: 'Shown in the authenticator app as the account name (avoid PII).' }),
  FactorType: field.requiredOneOf(FACTOR_TYPES).meta({
    description:
      '`totp`, `push` or `passkeys` (WebAuthn; needs the service\'s `Passkeys.RelyingParty.Id`, else 60300). `voiceprint` (a Verity extension) creates a voice-biometrics factor, refused with 60300 unless the entity already has another verified factor or unused recovery codes.',
  }),
};

const isFactorType = (value: unknown): value is FactorType => typeof value === 'string' && (FACTOR_TYPES as readonly string[]).includes(value);

/**
 * A factor create: FriendlyName, FactorType, then the fields of that type in the order they
 * were always checked. Passkeys and voiceprints take only Metadata besides, checked once the
 * entity exists (factors-routes.ts), as it always was.
 */
const FactorCreateParams = variantFields(
  {
    ...factorBase,
    'Binding.Secret': field.string({ max: 256 }).meta({ description: 'TOTP: base32 shared secret of at least 128 bits (RFC 4226 §4); 160 random bits when omitted.' }),
    ...totpConfig,
    ...pushBinding,
    ...pushConfig,
    Metadata: metadata(),
  },
  (body) => (isFactorType(body.FactorType) ? body.FactorType : 'unknown'),
  {
    unknown: factorBase,
    totp: { ...factorBase, 'Binding.Secret': field.string({ max: 256 }), Metadata: metadata(), ...totpConfig },
    push: { ...factorBase, ...pushBinding, Metadata: metadata(), ...pushConfig },
    passkeys: factorBase,
    voiceprint: factorBase,
  },
).meta({ id: 'FactorCreateParams' });

/** The Metadata of a passkey or voiceprint factor create, checked after the entity exists. */
export const LateMetadata = field.fields({ Metadata: metadata() });

/** The type of the factor a factor update's body is for (set by the route before validation). */
export const factorTypeOfBody = new WeakMap<object, FactorType>();

/** What a push factor's update may change besides its name (the hosted API's fields). */
export const pushUpdateConfig = {
  'Config.NotificationPlatform': pushConfig['Config.NotificationPlatform'].meta({ description: 'Push: `apn`, `fcm` or `none`; a new platform needs Config.NotificationToken unless the factor has one.' }),
  'Config.NotificationToken': pushConfig['Config.NotificationToken'].meta({ description: 'Push: the device\'s new APNs/FCM token (it changes when the app is reinstalled or restored); lifts the mark the provider\'s refusal of the previous token left.' }),
  'Config.SdkVersion': pushConfig['Config.SdkVersion'],
};

const totpUpdate = {
  AuthPayload: field.string({ min: 3, max: 8 }),
  FriendlyName: field.string({ min: 1, max: 64 }).meta({ description: 'New friendly name (TOTP and push factors).' }),
  ...totpConfig,
};

/** A factor update: what the body may carry depends on the factor's type (the path's factor). */
const FactorUpdateParams = variantFields(
  {
    ...totpUpdate,
    AuthPayload: field.string({ max: MAX_PASSKEY_PAYLOAD }).meta({
      minLength: 3,
      description: `TOTP: a code from the authenticator app (3–8 characters); the right one verifies an unverified factor. Push: the device's \`${JWT_TYPES.factorVerification}\` statement (compact JWS, at most ${MAX_AUTH_PAYLOAD} characters), which verifies the factor; one that does not verify is refused with 60311. Passkeys: the JSON of the browser's RegistrationResponse (\`credential.toJSON()\`, at most ${MAX_PASSKEY_PAYLOAD} characters).`,
    }),
    ...pushUpdateConfig,
  },
  (body) => factorTypeOfBody.get(body) ?? 'totp',
  {
    totp: totpUpdate,
    push: { AuthPayload: field.string({ max: MAX_AUTH_PAYLOAD }), FriendlyName: totpUpdate.FriendlyName, ...pushUpdateConfig },
    passkeys: { AuthPayload: field.string({ max: MAX_PASSKEY_PAYLOAD }) },
    voiceprint: {},
  },
).meta({ id: 'FactorUpdateParams', description: 'Only the parameters given change.' });

// Identity's shape is checked by entities.ts (its 60200 names the rule); a missing one is refused alike by both.
const EntityCreateParams = field
  .fields({ Identity: field.required({ max: 64 }).meta({ pattern: IDENTITY_PATTERN, minLength: 8, description: 'The application\'s user id (8–64 dash-separated letters and digits, no PII). Required.' }) })
  .meta({ id: 'EntityCreateParams' });

const AccessTokenCreateParams = field
  .fields({
    Identity: field.string({ max: 64 }).meta({ pattern: IDENTITY_PATTERN, minLength: 8, description: 'The user the device enrolls for (8–64 dash-separated letters and digits, no PII); the entity is created at enrollment if missing. Required.' }),
    FactorType: field.string({ max: 16 }).meta({ enum: ['push'], description: 'Only `push`. Required.' }),
    FactorFriendlyName: field.string({ min: 1, max: 64 }).meta({ description: 'Name of the factor the device creates (default "Push authenticator"; the device may send its own).' }),
    Ttl: field.integer(60, 300).meta({ default: DEFAULT_ENROLLMENT_TTL_SECONDS, description: 'Seconds the token stays valid.' }),
  })
  // Identity and FactorType are checked by enrollment-tokens.ts after the other fields (their errors name them): required on the wire, optional to the schema.
  .meta({ id: 'AccessTokenCreateParams', required: ['Identity', 'FactorType'] });

const ChallengeCreateParams = field
  .fields({
    FactorSid: field.string({ max: 34 }).meta({ minLength: 34, pattern: '^YF[0-9a-f]{32}$', description: 'A verified factor of this entity (`YF` + 32 hex). Required.' }),
    ExpirationDate: field.string({ max: 40 }).meta({ format: 'date-time', description: `When the challenge expires: at most ${MAX_CHALLENGE_TTL_MS / 60_000} minutes ahead (default ${DEFAULT_CHALLENGE_TTL_MS / 60_000} minutes).` }),
    'Details.Message': field.string({ max: 256 }).meta({ description: 'Message describing the challenge, shown on the device; required for a push challenge.' }),
    'Details.Fields': field.list().meta({ description: 'Repeated JSON objects `{"label","value"}` (label ≤ 36, value ≤ 128 characters; at most 20).' }),
    HiddenDetails: field.jsonObject(1024).meta({ description: 'JSON object of string values, stored and returned, never shown to the user.' }),
    AuthPayload: field.string({ min: 3, max: 8 }).meta({
      description: 'TOTP only: the code; the challenge is answered at once (`approved`, or `pending` when wrong). Refused with 60300 for a push factor (the device answers) and a voiceprint factor (a recording answers).',
    }),
  })
  // FactorSid is checked by challenges.ts after the other fields (its errors name it): required on the wire, optional to the schema.
  .meta({ id: 'ChallengeCreateParams', required: ['FactorSid'] });

const ChallengeUpdateParams = field
  .fields({
    AuthPayload: field.string({ max: MAX_AUTH_PAYLOAD }).meta({
      minLength: 3,
      description: `Required. TOTP: the code (3–8 characters). Push: the device's \`${JWT_TYPES.pushResponse}\` statement (compact JWS, at most ${MAX_AUTH_PAYLOAD} characters) relayed by the app. Passkeys: the JSON of the browser's AuthenticationResponse (\`credential.toJSON()\`).`,
    }),
    Metadata: field.jsonObject(1024).meta({ description: 'JSON object stored with the answer.' }),
  })
  // AuthPayload is checked by challenges.ts after Metadata (its error names it): required on the wire, optional to the schema.
  .meta({ id: 'ChallengeUpdateParams', required: ['AuthPayload'] });

const challengeStatuses = ['pending', 'expired', 'approved', 'denied'] as const;

const ChallengeListQuery = field.fields({
  ...PageQuery.out.shape,
  FactorSid: field.string({ pattern: /^YF[0-9a-f]{32}$/, why: 'expected YF followed by 32 hex characters' }).meta({ description: 'Only this factor\'s challenges.' }),
  Status: field.oneOf(challengeStatuses).meta({ description: 'Only challenges in this status.' }),
  Order: field.oneOf(['asc', 'desc']).meta({ default: 'asc', description: 'Creation order.' }),
});

const NotificationCreateParams = field
  .fields({ Ttl: field.integer(0, 300).meta({ default: 300, description: 'Seconds the notification may wait for the device (stored for parity).' }) })
  .meta({ id: 'NotificationCreateParams' });

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

const jsonObjectOut = (description: string) => z.record(z.string(), z.unknown()).nullable().meta({ description });

const Entity = z
  .object({
    sid: sid('YE', 'Entity SID.'),
    identity: z.string().regex(new RegExp(IDENTITY_PATTERN)),
    account_sid: sid('AC', 'Account SID.'),
    service_sid: sid('VA', 'Service SID.'),
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last update,'),
    url: absoluteUrl('Absolute URL of the entity.'),
    links: z.object({ factors: absoluteUrl('Factors.'), new_factors: absoluteUrl('Where to create factors.'), challenges: absoluteUrl('Challenges.') }).meta({ description: 'URLs of the entity\'s factors and challenges.' }),
  })
  .meta({ id: 'Entity', description: 'A user of the application, named by its Identity.' });

const EntityList = listOf('entities', Entity, 'EntityList', 'A page of entities, oldest first.');

const binding = z
  .union([
    z.null(),
    z.object({ secret: z.string(), uri: z.string() }).meta({ title: 'TOTP binding' }),
    z.object({ alg: z.enum(['ES256']), public_key: z.string().meta({ description: 'Base64 DER SubjectPublicKeyInfo of the P-256 key.' }) }).meta({ title: 'Push binding' }),
    extension(
      z.object({
        registration_options: z
          .record(z.string(), z.unknown())
          .meta({
            description:
              'WebAuthn PublicKeyCredentialCreationOptionsJSON: `rp {id, name}`, `user {id (base64url of the entity SID), name (the Identity), displayName (FriendlyName)}`, `challenge`, `pubKeyCredParams`, `timeout`, `attestation: "none"`, `excludeCredentials` (the entity\'s passkeys), `authenticatorSelection`.',
          }),
        expiration_date: dateTime('When the registration options expire (5 minutes),'),
      }),
      '',
    ).meta({ title: 'Passkey binding' }),
  ])
  .meta({
    description:
      'Create only; null afterwards. TOTP: `{secret (base32), uri (otpauth://totp/<issuer>:<friendly_name>?…)}`. Push: `{alg: "ES256", public_key}` (the key in canonical base64 DER). Passkeys (Verity\'s format): `{registration_options, expiration_date}`, the WebAuthn PublicKeyCredentialCreationOptionsJSON to pass to `navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(registration_options)})`, valid for 5 minutes. Voiceprint: always null.',
  });

const config = z
  .union([
    z.object({ alg: z.enum(ALGORITHMS), skew: z.number().int(), code_length: z.number().int(), time_step: z.number().int() }).meta({ title: 'TOTP config' }),
    z
      .object({ sdk_version: z.string().nullable(), app_id: z.string().nullable(), notification_platform: z.enum(['apn', 'fcm', 'none']), notification_token: z.string().nullable() })
      .meta({ title: 'Push config' }),
    extension(
      z.object({
        relying_party_id: z.string().meta({ description: 'The RP ID the passkey is scoped to.' }),
        transports: z.array(z.string()).meta({ description: 'Transports the authenticator reported at registration (`internal`, `usb`, `hybrid`, …); empty until verified.' }),
        credential_device_type: z
          .enum(['singleDevice', 'multiDevice'])
          .nullable()
          .meta({ description: '`multiDevice`: a synced passkey (backup eligible); `singleDevice`: bound to one authenticator. Null until verified.' }),
      }),
      '',
    ).meta({ title: 'Passkey config' }),
    extension(
      z.object({
        recordings_needed: z.literal(ENROLLMENT_RECORDINGS).meta({ description: 'Recordings that make the voiceprint.' }),
        recordings_accepted: z.number().int().min(0).max(ENROLLMENT_RECORDINGS).meta({ description: 'Recordings kept so far (an inconsistent one is dropped again); equal to recordings_needed once verified.' }),
        sample_rate: z
          .union([z.literal(8000), z.literal(16000)])
          .nullable()
          .meta({ description: 'Sample rate of the enrolment: 16000 when recorded in a browser, 8000 over a phone call; null before the first recording. Later enrolment recordings must match it.' }),
        mode: z.literal('digits').optional().meta({ description: 'Present (`digits`) when the factor was created under `Voiceprint.Mode=digits`: it is enrolled and challenged with prompted digits.' }),
        prompts: z.array(z.string()).optional().meta({ description: 'Digits mode: the enrolment prompts, one per recording.', examples: [['3 8 1 9 4 7 0', '5 2 0 6 1 4 7', '6 9 2 8 3 5 0']] }),
        prompt: z.string().nullable().optional().meta({ description: 'Digits mode: the digits the next enrolment recording must say, one by one with a short pause after each; null once verified.', examples: ['3 8 1 9 4 7 0'] }),
      }),
      'Enrolment progress of a voiceprint factor.',
    ).meta({ title: 'Voiceprint config' }),
  ])
  .meta({
    description:
      'TOTP: `{alg, skew, code_length, time_step}`. Push: `{sdk_version, app_id, notification_platform, notification_token}`. Passkeys (Verity\'s format): `{relying_party_id, transports, credential_device_type}`. Voiceprint (Verity extension): `{recordings_needed, recordings_accepted, sample_rate}`.',
  });

/** The Factor fields (a device's factor adds its service's name). */
export const factorShape = {
  sid: sid('YF', 'Factor SID.'),
  account_sid: sid('AC', 'Account SID.'),
  service_sid: sid('VA', 'Service SID.'),
  entity_sid: sid('YE', 'Entity SID.'),
  identity: z.string(),
  binding,
  options: z.null(),
  date_created: dateTime('Creation time,'),
  date_updated: dateTime('Last update,'),
  friendly_name: z.string(),
  status: z.enum(['unverified', 'verified']),
  factor_type: z.enum(FACTOR_TYPES).meta({ description: '`voiceprint` is a Verity extension; `passkeys` uses Verity\'s own wire format.' }),
  config,
  metadata: jsonObjectOut('Metadata given at creation.'),
  url: absoluteUrl('Absolute URL of the factor.'),
};

export const Factor = z.object(factorShape).meta({
  id: 'Factor',
  description:
    'An authenticator factor. `binding` (TOTP: the secret and its otpauth URI; push: the bound public key) is present only in the create response; it is stored sealed and never returned again. A voiceprint factor (Verity extension) never returns its voiceprint.',
});

const FactorList = listOf('factors', Factor, 'FactorList', 'A page of factors, oldest first (without bindings).');

export const ChallengeDetails = z
  .object({
    message: z.string().nullable(),
    date: z.string().meta({ format: 'date-time', description: 'The challenge\'s creation time.' }),
    fields: z.array(z.object({ label: z.string(), value: z.string() })),
    prompt: extension(z.string(), 'Voiceprint factors in digits mode (`Voiceprint.Mode` `digits`) only: the digits the user must say, e.g. `4 7 1 9 3 0`; fresh for every challenge and never given twice for one factor, so a recording of an earlier attempt does not pass.')
      .optional()
      .meta({ examples: ['4 7 1 9 3 0'] }),
  })
  .meta({ id: 'ChallengeDetails', description: 'What the user is asked to approve; a push device signs a digest of exactly this object.' });

const amrList = Object.entries(AMR_BY_FACTOR_TYPE)
  .map(([type, amr]) => `${type}: \`${JSON.stringify(amr)}\``)
  .join(', ');

/** The Challenge fields (voiceprint answers add the engine's verdict). */
export const challengeShape = {
  sid: sid('YC', 'Challenge SID.'),
  account_sid: sid('AC', 'Account SID.'),
  service_sid: sid('VA', 'Service SID.'),
  entity_sid: sid('YE', 'Entity SID.'),
  identity: z.string(),
  factor_sid: sid('YF', 'Factor SID.'),
  date_created: dateTime('Creation time,'),
  date_updated: dateTime('Last update,'),
  date_responded: dateTime('When it was approved or denied,').nullable(),
  expiration_date: dateTime('When it expires,'),
  status: z.enum(challengeStatuses),
  responded_reason: z.enum(['none', 'not_needed', 'not_requested']),
  details: ChallengeDetails,
  hidden_details: z.record(z.string(), z.string()).nullable().meta({ description: 'HiddenDetails given at creation.' }),
  metadata: jsonObjectOut('Metadata given with the answer.'),
  factor_type: z.enum(FACTOR_TYPES).meta({ description: '`voiceprint` is a Verity extension.' }),
  url: absoluteUrl('Absolute URL of the challenge.'),
  number_match: extension(
    z.string().regex(/^[0-9]{2}$/).nullable(),
    'Push challenges of a service with `Push.NumberMatching`: the two-digit number the login page shows; the user enters it on the device to approve (the device is never told it). Null otherwise.',
  ),
  amr: extension(z.array(z.string()).nullable(), `RFC 8176 authentication methods an approval stands for (${amrList}); null unless \`approved\`.`),
  passkey_options: extension(
    z.record(z.string(), z.unknown()),
    'Passkey challenges, in the creation response only: the WebAuthn PublicKeyCredentialRequestOptionsJSON for `navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(passkey_options)})`: `challenge` (32 random bytes, kept by Verity as a SHA-256 digest until the challenge expires), `rpId`, `allowCredentials` (the factor\'s credential), `userVerification` (the service\'s `Passkeys.UserVerification`), `timeout`. Absent otherwise.',
  ).optional(),
  denied_reason: extension(
    z.enum(['user', 'number_mismatch', 'replay_suspected']).nullable(),
    'Why a challenge was denied: push `user` (the user refused on the device) or `number_mismatch` (a wrong number to match: a login the user did not start); voiceprint `replay_suspected` (a recording this factor had already heard, played back). Null otherwise.',
  ),
  links: z.object({
    notifications: absoluteUrl('Notifications of the challenge (push only).'),
    events: extension(
      absoluteUrl(),
      'Server-sent events of the challenge\'s progress for the waiting login page (`GET /events/v1/Challenges/{Sid}/{Token}`). No credentials: the path\'s token grants reading this challenge\'s progress only, so hand it to that user\'s browser only.',
    ),
  }),
};

const Challenge = z
  .object(challengeShape)
  .meta({ id: 'Challenge', description: 'A second-factor challenge of an entity. `number_match`, `amr`, `denied_reason`, `links.events` and voiceprint challenges are Verity extensions.' });

const ChallengeList = listOf('challenges', Challenge, 'ChallengeList', 'A page of challenges.');

export const AccessToken = z
  .object({
    sid: sid('YK', 'Access token SID (the JWT\'s `jti`).'),
    account_sid: sid('AC', 'Account SID.'),
    service_sid: sid('VA', 'Service SID.'),
    entity_identity: z.string().regex(new RegExp(IDENTITY_PATTERN)).meta({ description: 'The Identity the device enrolls for (the JWT\'s `sub`).' }),
    factor_type: z.enum(['push']),
    factor_friendly_name: z.string().meta({ description: 'Friendly name the new factor gets unless the device sends its own.' }),
    token: z.string().meta({
      description:
        'The enrollment JWT, with claims `sub` (identity), `jti` (this SID), `service_sid`, `service_name`, `factor_friendly_name` and `verity_url` (Verity\'s public origin). Accepted **once**, before it expires. Hand it to the device, e.g. as a QR code.',
    }),
    ttl: z.number().int().min(60).max(300).meta({ description: 'Lifetime in seconds.' }),
    date_created: dateTime('Creation time,'),
    url: absoluteUrl('Absolute URL of the token.'),
  })
  .meta({
    id: 'AccessToken',
    description: `An enrollment token for one push device. Verity's \`token\` is its own JWT (HS256, \`typ\` ${JWT_TYPES.enrollment}, \`aud\` ${ENROLLMENT_AUDIENCE}), not the hosted API's Push SDK token: the device presents it to \`POST /device/v1/Factors\`.`,
  });

const Notification = z
  .object({
    sid: sid('NT', 'Notification SID.'),
    account_sid: sid('AC', 'Account SID.'),
    service_sid: sid('VA', 'Service SID.'),
    entity_sid: sid('YE', 'Entity SID.'),
    identity: z.string(),
    challenge_sid: sid('YC', 'Challenge SID.'),
    priority: z.enum(['high']),
    ttl: z.number().int().min(0).max(300),
    date_created: dateTime('Creation time,'),
  })
  .meta({ id: 'Notification', description: 'A (re)sent notification of a pending push challenge. Verity\'s channel is the device\'s event stream, which shows the challenge again; nothing is stored.' });

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export const entityNotFound: ErrorCase = { code: 20404, when: 'unknown service, or no entity with this Identity.', message: 'The requested resource /Services/VA…/Entities/user-0123 was not found' };
export const factorNotFound: ErrorCase = { code: 20404, when: 'unknown service or entity, or no factor with this `Sid` on the entity.', message: 'The requested resource /Services/VA…/Entities/user-0123/Factors/YF… was not found' };
export const challengeNotFound: ErrorCase = { code: 20404, when: 'unknown service or entity, or no challenge with this `Sid` on the entity.', message: 'The requested resource /Services/VA…/Entities/user-0123/Challenges/YC… was not found' };
const invalid = (when: string, message: string): ErrorCase => ({ code: 60200, when, message });
export const lockedOut: ErrorCase = { code: 60308, when: `the entity is locked out after ${LOCKOUT.freeFailures} consecutive wrong codes across its challenges.`, retryAfter: true, message: 'Challenge verification attempts limit' };
const pushRefused: ErrorCase = {
  code: 60324,
  when: 'push: the response\'s signature does not verify with the factor\'s key, or its `kid`, `typ`, `challenge_sid`, `factor_sid`, digests or `iat` (more than 5 minutes away) do not match; it counts as an attempt and as a failure of the entity.',
  message: 'Challenge verification failed: the AuthPayload does not verify (details digest)',
};

export const createAccessTokenSchema = operation({
  operationId: 'createAccessToken',
  tag: 'Factors',
  summary: 'Create an enrollment token for a push device',
  description: [
    'Issues a short-lived, single-use token that lets one device enroll one push factor for `Identity` (docs/push.md §1). Hand `token` to the device (e.g. as a QR code); it enrolls with `POST /device/v1/Factors` and `Authorization: Bearer <token>`.',
    '',
    `The token is Verity's own JWT (HS256 under a key derived from the master key, \`typ\` ${JWT_TYPES.enrollment}, \`aud\` ${ENROLLMENT_AUDIENCE}), not the hosted API's Push SDK token. It is accepted once, before \`ttl\` seconds pass.`,
  ].join('\n'),
  caller: 'account',
  params: ServicePath,
  body: AccessTokenCreateParams,
  ok: { 201: { description: 'The token.', schema: AccessToken } },
  errors: [
    invalid('Identity missing or not 8–64 dash-separated letters and digits, FactorType missing or not `push`, FactorFriendlyName not 1–64 characters, or Ttl outside 60–300.', 'Invalid parameter: FactorType (expected push)'),
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const createEntitySchema = operation({
  operationId: 'createEntity',
  tag: 'Entities',
  summary: 'Create an entity',
  description: 'Creates an entity (creating a factor also creates its entity when missing).',
  caller: 'account',
  params: ServicePath,
  body: EntityCreateParams,
  ok: { 201: { description: 'The new entity.', schema: Entity } },
  errors: [
    invalid('Identity is missing or not 8–64 dash-separated letters and digits.', 'Invalid parameter: Identity'),
    { code: 60306, when: 'an entity with this Identity already exists.', message: 'Invalid Request: an entity with this Identity already exists' },
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const listEntitiesSchema = operation({
  operationId: 'listEntities',
  tag: 'Entities',
  summary: 'List entities',
  description: 'Lists the service\'s entities, oldest first.',
  caller: 'account',
  params: ServicePath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of entities.', schema: EntityList } },
  errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
});

export const fetchEntitySchema = operation({
  operationId: 'fetchEntity',
  tag: 'Entities',
  summary: 'Fetch an entity',
  description: 'Fetches one entity.',
  caller: 'account',
  params: EntityPath,
  ok: { 200: { description: 'The entity.', schema: Entity } },
  errors: [entityNotFound, ...API_ERRORS],
});

export const deleteEntitySchema = operation({
  operationId: 'deleteEntity',
  tag: 'Entities',
  summary: 'Delete an entity',
  description: 'Deletes the entity with its factors and challenges.',
  caller: 'account',
  params: EntityPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [entityNotFound, ...API_ERRORS],
});

export const createFactorSchema = operation({
  operationId: 'createFactor',
  tag: 'Factors',
  summary: 'Create a factor',
  description: [
    'Creates an unverified factor (and the entity if missing). A factor still unverified `VERITY_UNVERIFIED_FACTOR_TTL_HOURS` (24 h by default) after its creation is an abandoned enrolment: it is deleted, with a `factor.deleted` event.',
    '',
    `**TOTP**: the response's \`binding\` holds the secret and otpauth URI, once; verify the factor with a first code. ${TOTP_SEMANTICS}`,
    '',
    '**Push**: `Binding.Alg=ES256` and `Binding.PublicKey` (the device\'s P-256 public key) are required; the response\'s `binding` echoes the key. Devices usually enroll themselves with an enrollment token (`POST …/AccessTokens`, then `POST /device/v1/Factors`) instead. Verify the factor with the device\'s signed statement (`POST …/Factors/{Sid}` with AuthPayload).',
    '',
    PUSH_SEMANTICS,
    '',
    '**Passkeys**: only FriendlyName and Metadata apply; `binding.registration_options` goes to the browser, and its RegistrationResponse verifies the factor (`POST …/Factors/{Sid}` with AuthPayload).',
    '',
    PASSKEY_SEMANTICS,
    '',
    '**Voiceprint** (`FactorType=voiceprint`, a Verity extension): only FriendlyName and Metadata apply; `binding` is null. Enrol it with recordings (`POST …/Factors/{Sid}/Recordings`) or a call (`POST …/Factors/{Sid}/Calls`).',
    '',
    VOICEPRINT_SEMANTICS,
    '',
    'Events: `factor.created`.',
  ].join('\n'),
  caller: 'account',
  params: EntityPath,
  body: FactorCreateParams,
  ok: { 201: { description: 'The new factor, with its binding.', schema: Factor } },
  errors: [
    invalid(
      'a parameter is missing or invalid (FriendlyName, FactorType, Identity, Metadata not a JSON object; TOTP: Binding.Secret not base32 of at least 128 bits, Config.* out of range; push: Binding.Alg not ES256, Binding.PublicKey missing or not a base64 DER P-256 key, Config.NotificationPlatform not apn/fcm/none, Config.NotificationToken not 32–255 characters or missing for apn/fcm).',
      'Invalid parameter: Binding.PublicKey (expected base64 DER (SubjectPublicKeyInfo) of a P-256 key)',
    ),
    { code: 60300, when: '`FactorType` is passkeys and the service has no `Passkeys.RelyingParty.Id`.', message: 'Invalid Param: passkeys need the service setting Passkeys.RelyingParty.Id (the domain your sign-in page is served from)' },
    {
      code: 60300,
      when: '`FactorType` is voiceprint (a Verity extension) and the entity has neither another verified factor nor unused recovery codes (a biometric is never the only factor), or voiceprints are unavailable on the server (VERITY_VOICEPRINT is off, the default in production, or its models are missing).',
      message: 'Invalid Param: FactorType (a voiceprint needs another verified factor or recovery codes first: a biometric is never the only factor)',
    },
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const listFactorsSchema = operation({
  operationId: 'listFactors',
  tag: 'Factors',
  summary: 'List factors',
  description: 'Lists the entity\'s factors, oldest first (never with their binding).',
  caller: 'account',
  params: EntityPath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of factors.', schema: FactorList } },
  errors: [...PAGE_ERRORS, entityNotFound, ...API_ERRORS],
});

export const fetchFactorSchema = operation({
  operationId: 'fetchFactor',
  tag: 'Factors',
  summary: 'Fetch a factor',
  description: 'Fetches one factor (`binding` is null).',
  caller: 'account',
  params: FactorPath,
  ok: { 200: { description: 'The factor.', schema: Factor } },
  errors: [factorNotFound, ...API_ERRORS],
});

export const updateFactorSchema = operation({
  operationId: 'updateFactor',
  tag: 'Factors',
  summary: 'Update or verify a factor',
  description: [
    `**TOTP**: changes FriendlyName and Config.*; with AuthPayload, verifies an unverified factor (200 \`verified\`, or still \`unverified\` for a wrong code). AuthPayload on a verified factor is ignored. ${TOTP_SEMANTICS}`,
    '',
    `**Push**: AuthPayload (at most ${MAX_AUTH_PAYLOAD} characters) is the device's \`${JWT_TYPES.factorVerification}\` statement, a compact JWS \`{factor_sid, status: "verified", iat}\` signed by the bound key: it verifies the factor (on a verified factor a valid one changes nothing); one that does not verify is refused with 60311. As the hosted API allows, FriendlyName, Config.NotificationPlatform, Config.NotificationToken (the phone's new APNs/FCM token; it lifts the mark a provider's refusal of the old token left) and Config.SdkVersion change, with or without AuthPayload; a request with none of them needs AuthPayload.`,
    '',
    `**Passkeys**: AuthPayload (required, at most ${MAX_PASSKEY_PAYLOAD} characters) is the browser's RegistrationResponse JSON for the factor's registration options; it verifies the factor (ignored on a verified factor).`,
    '',
    '**Voiceprint** (a Verity extension): refused with 60300; its recordings verify it (`POST …/Factors/{Sid}/Recordings`).',
    '',
    'Events: `factor.verified`.',
  ].join('\n'),
  caller: 'account',
  params: FactorPath,
  body: FactorUpdateParams,
  ok: { 200: { description: 'The factor.', schema: Factor } },
  errors: [
    invalid(`a parameter is invalid (TOTP: AuthPayload not 3–8 characters, Config.* out of range; push: AuthPayload over ${MAX_AUTH_PAYLOAD} characters, or missing with nothing else to change, Config.NotificationToken not 32–255 characters or missing for apn/fcm).`, 'Invalid parameter: AuthPayload (at least 3 characters)'),
    { code: 60311, when: 'push: AuthPayload is not a verification statement signed by the factor\'s bound key (signature, `kid`, `typ`, `factor_sid`, `status` or an `iat` more than 5 minutes away).', message: 'Factor verification failed: AuthPayload is not a statement signed by the bound key' },
    { code: 60300, when: 'the factor is a voiceprint (a Verity extension): its enrolment recordings verify it.', message: 'Invalid Param: a voiceprint factor is verified by its enrolment recordings (POST …/Factors/{Sid}/Recordings)' },
    factorNotFound,
    {
      code: 60311,
      when: 'passkeys: AuthPayload is not a valid WebAuthn registration for the factor (challenge, origin, RP ID hash, user presence or verification), or the passkey is already registered in the service.',
      message: 'Factor verification failed: the AuthPayload is not a valid WebAuthn registration for this factor (challenge, origin, relying party)',
    },
    { code: 64201, when: 'passkeys: the registration options are more than 5 minutes old; delete the factor and create a new one.', message: 'Passkey registration expired: the registration options are valid for 5 minutes; delete this factor and create a new one' },
    { code: 60310, when: `TOTP: ${MAX_FACTOR_VERIFY_ATTEMPTS} wrong codes were already given for this factor; passkeys: ${MAX_FACTOR_VERIFY_ATTEMPTS} failed registrations. Delete it and create a new one.`, message: 'Factor verification attempts limit' },
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const deleteFactorSchema = operation({
  operationId: 'deleteFactor',
  tag: 'Factors',
  summary: 'Delete a factor',
  description: 'Deletes the factor and its challenges (a voiceprint factor also its voiceprint, kept recordings and replay fingerprints).',
  caller: 'account',
  params: FactorPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [factorNotFound, ...API_ERRORS],
});

export const createChallengeSchema = operation({
  operationId: 'createChallenge',
  tag: 'Challenges',
  summary: 'Create a challenge',
  description: [
    'Creates a challenge for a verified factor of the entity.',
    '',
    `**TOTP**: answered at once when AuthPayload is given (201 \`approved\`, or \`pending\` for a wrong code). ${TOTP_SEMANTICS}`,
    '',
    '**Push**: `Details.Message` is required and AuthPayload is refused; the challenge stays `pending` until the device answers it (it lists or streams it from the device API). Show `number_match` (when not null) on the login page and follow `links.events` for the outcome.',
    '',
    PUSH_SEMANTICS,
    '',
    '**Passkeys**: AuthPayload is refused; the response carries `passkey_options` (once) for `navigator.credentials.get()`, and the browser\'s answer goes to `POST …/Challenges/{Sid}`.',
    '',
    '**Voiceprint** (a Verity extension): AuthPayload is refused; the challenge stays `pending` until a recording answers it (`POST …/Challenges/{Sid}/Recording`, or a call: `POST …/Challenges/{Sid}/Calls`).',
    '',
    VOICEPRINT_SEMANTICS,
  ].join('\n'),
  caller: 'account',
  params: EntityPath,
  body: ChallengeCreateParams,
  ok: { 201: { description: 'The new challenge.', schema: Challenge } },
  errors: [
    invalid(
      'a parameter is missing or invalid (FactorSid, ExpirationDate not within 60 minutes, Details.Message over 256 or missing for a push factor, Details.Fields, HiddenDetails over 1024 or not a JSON object of strings).',
      'Invalid parameter: ExpirationDate (expected a time in the next 60 minutes)',
    ),
    { code: 60300, when: 'the factor is not verified yet, or AuthPayload is given for a push factor (the device answers), a passkey factor (answered afterwards) or a voiceprint factor (a recording answers).', message: 'Invalid Param: FactorSid (the factor is not verified yet)' },
    { ...factorNotFound, when: 'unknown service or entity, or `FactorSid` is not a factor of this entity.' },
    lockedOut,
    {
      code: 64001,
      when: `push: the entity already got the service's \`Push.MaxChallengesSinceSuccess\` (default 5) push challenges since its last approved challenge within ${PUSH_FATIGUE_WINDOW_MS / 3_600_000} h (push-fatigue cap); it lifts when the user succeeds with any factor or the day passes.`,
      message: 'Push challenge limit: 5 push challenges since the last approved one; sign in with another factor or try again tomorrow',
    },
    {
      code: 64013,
      when: `voiceprint: the entity already got ${VOICEPRINT_MAX_CHALLENGES_SINCE_SUCCESS} voiceprint challenges since its last approved challenge within ${VOICEPRINT_CHALLENGE_WINDOW_MS / 3_600_000} h; it lifts when the user succeeds with any factor or the day passes.`,
      message: `Voiceprint challenge limit: ${VOICEPRINT_MAX_CHALLENGES_SINCE_SUCCESS} voiceprint challenges since the last approved one; sign in with another factor or try again tomorrow`,
    },
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const listChallengesSchema = operation({
  operationId: 'listChallenges',
  tag: 'Challenges',
  summary: 'List challenges',
  description: 'Lists the entity\'s challenges, filtered by `FactorSid` and `Status`, in creation order (`Order`, default asc). Overdue pending challenges are listed as `expired`.',
  caller: 'account',
  params: EntityPath,
  querystring: ChallengeListQuery,
  ok: { 200: { description: 'A page of challenges.', schema: ChallengeList } },
  errors: [...PAGE_ERRORS, entityNotFound, ...API_ERRORS],
});

export const fetchChallengeSchema = operation({
  operationId: 'fetchChallenge',
  tag: 'Challenges',
  summary: 'Fetch a challenge',
  description: 'Fetches one challenge (an overdue pending one shows `expired`).',
  caller: 'account',
  params: ChallengePath,
  ok: { 200: { description: 'The challenge.', schema: Challenge } },
  errors: [challengeNotFound, ...API_ERRORS],
});

export const createNotificationSchema = operation({
  operationId: 'createNotification',
  tag: 'Challenges',
  summary: 'Notify the device of a push challenge again',
  description:
    'Sends a pending push challenge to its device again (the user dismissed it, or the device was offline): through APNs or FCM when the factor has `Config.NotificationPlatform` `apn` or `fcm` (kept by the provider for `Ttl` seconds, never past the challenge\'s expiry), and on the device\'s event stream (`GET /device/v1/Factors/{FactorSid}/Challenges/Stream`).',
  caller: 'account',
  params: ChallengePath,
  body: NotificationCreateParams,
  ok: { 201: { description: 'The notification.', schema: Notification } },
  errors: [
    invalid('Ttl is outside 0–300.', 'Invalid parameter: Ttl (expected an integer from 0 to 300)'),
    { code: 60306, when: 'the challenge is not a push challenge, or is no longer pending (expired, approved, denied).', message: 'Invalid Request: only push challenges have notifications' },
    { code: 20429, when: 'the challenge was notified again 5 times already, and less than a minute ago (per challenge, shared by every Verity process).', retryAfter: true, message: 'Too many requests: a challenge is notified again at most 5 times, then once a minute' },
    challengeNotFound,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const updateChallengeSchema = operation({
  operationId: 'updateChallenge',
  tag: 'Challenges',
  summary: 'Answer a challenge',
  description: [
    `**TOTP**: answers a pending challenge with a code: 200 \`approved\`, or \`pending\` for a wrong or replayed code. ${TOTP_SEMANTICS}`,
    '',
    `**Push**: relays the device's signed response (AuthPayload, at most ${MAX_AUTH_PAYLOAD} characters), as the device would post it to the device API: 200 \`approved\`, or \`denied\` (the user refused, or a wrong number to match: \`denied_reason\`); a response that does not verify is refused with 60324.`,
    '',
    '**Passkeys**: AuthPayload is the browser\'s AuthenticationResponse JSON for the challenge\'s `passkey_options`: 200 `approved` when it verifies and the signature counter increased; 60324 when it does not verify; 64202 when the counter did not increase (a replayed assertion or a cloned authenticator).',
    '',
    '**Voiceprint** (a Verity extension): answered with a recording (`POST …/Challenges/{Sid}/Recording`), not here.',
    '',
    'Events: `challenge.approved`, `challenge.denied`.',
  ].join('\n'),
  caller: 'account',
  params: ChallengePath,
  body: ChallengeUpdateParams,
  ok: { 200: { description: 'The challenge.', schema: Challenge } },
  errors: [
    invalid(`AuthPayload is missing, over ${MAX_AUTH_PAYLOAD} characters, or (TOTP) not 3–8 characters, or Metadata is not a JSON object.`, 'Invalid parameter: AuthPayload (required)'),
    { code: 60306, when: 'the challenge has expired or was already approved or denied.', message: 'Invalid Request: the challenge has expired' },
    pushRefused,
    {
      code: 60324,
      when: 'passkeys: the assertion\'s signature does not verify with the factor\'s credential, or it was made for another challenge, origin, RP ID or credential; it counts as an attempt and as a failure of the entity.',
      message: 'Challenge verification failed: the AuthPayload is not a valid WebAuthn assertion for this challenge (signature, challenge, origin or relying party)',
    },
    {
      code: 64202,
      when: 'passkeys: the assertion verifies but its signature counter is not above the last one accepted (WebAuthn §6.1.1): a replay or a cloned authenticator; logged, counted as an attempt and a failure of the entity.',
      message: 'Passkey signature counter did not increase: the assertion was replayed or the authenticator may be cloned; sign in with another factor',
    },
    challengeNotFound,
    { code: 60308, when: `${MAX_CHALLENGE_ATTEMPTS} answers were already given for this challenge.`, message: 'Challenge verification attempts limit' },
    lockedOut,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});
