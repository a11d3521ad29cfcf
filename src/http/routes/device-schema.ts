import { z } from 'zod';
import { MAX_CHALLENGE_ATTEMPTS } from '../../factors/challenges.ts';
import { DEVICE_AUDIENCE, JWT_TYPES, MAX_DEVICE_TOKEN_SECONDS } from '../../factors/push/push-protocol.ts';
import { LOCKOUT } from '../../verify/limits.ts';
import { API_ERRORS, BODY_ERRORS, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PUSH_SEMANTICS } from './factor-semantics.ts';
import { ChallengeDetails, Factor, MAX_AUTH_PAYLOAD, factorShape, pushBinding, pushConfig, pushUpdateConfig } from './factors-schema.ts';

/** The push device API (docs/push.md): enrollment, the device's factor and its challenges. */

/** A server-sent event stream, documented only (the route writes it itself). */
export const eventStream = (example: string) => z.string().meta({ description: 'Server-sent events; see the operation description.', examples: [example] });

const deviceNote = '**Verity extension** (the device API; docs/push.md).';

const DEVICE_TOKEN = `Every call but enrollment carries \`Authorization: Bearer <device token>\`: a JWT the device signs with its key (header \`{"alg":"ES256","kid":"YF…","typ":"${JWT_TYPES.device}"}\`, payload \`{"sub":"YF…","aud":"${DEVICE_AUDIENCE}","iat","exp"}\`, \`exp - iat\` ≤ ${MAX_DEVICE_TOKEN_SECONDS} s), checked against the bound key of the factor named by \`kid\`, which must be the factor in the path. A deleted factor's tokens stop working at once.`;

const metadata = () => field.jsonObject(1024).meta({ description: 'JSON object of string values, stored and returned.' });

const DeviceFactorCreateParams = field
  .fields({
    ...pushBinding,
    FriendlyName: field.string({ min: 1, max: 64 }).meta({ description: 'Name of the factor; default the enrollment token\'s `factor_friendly_name`.' }),
    Metadata: metadata(),
    ...pushConfig,
  })
  // Binding.Alg and Binding.PublicKey are checked by push-factor.ts after the other fields (their errors name them): required on the wire, optional to the schema.
  .meta({ id: 'DeviceFactorCreateParams', required: ['Binding.Alg', 'Binding.PublicKey'], 'x-verity-extension': true, description: `${deviceNote} Enrollment: the device's key and push settings.` });

const DeviceFactorVerifyParams = field
  .fields({
    AuthPayload: field.string({ max: MAX_AUTH_PAYLOAD }).meta({
      description: `The \`${JWT_TYPES.factorVerification}\` statement: a compact JWS signed by the device key (header \`{"alg":"ES256","kid":"YF…","typ":"${JWT_TYPES.factorVerification}"}\`, payload \`{"factor_sid","status":"verified","iat"}\`). Required unless a Config.* field is given.`,
    }),
    ...pushUpdateConfig,
  })
  .meta({ id: 'DeviceFactorVerifyParams', 'x-verity-extension': true });

const DeviceChallengeResponseParams = field
  .fields({
    AuthPayload: field.string({ max: MAX_AUTH_PAYLOAD }).meta({
      description: `Required. The \`${JWT_TYPES.pushResponse}\` statement: a compact JWS signed by the device key (header \`{"alg":"ES256","kid":"YF…","typ":"${JWT_TYPES.pushResponse}"}\`, payload \`{"challenge_sid","factor_sid","status":"approved"|"denied","details_sha256","hidden_details_sha256","number","iat"}\`).`,
    }),
    Metadata: field.jsonObject(1024).meta({ description: 'JSON object stored with the answer.' }),
  })
  // AuthPayload is checked by challenges.ts after Metadata (its error names it): required on the wire, optional to the schema.
  .meta({ id: 'DeviceChallengeResponseParams', required: ['AuthPayload'], 'x-verity-extension': true });

const challengeStatuses = ['pending', 'approved', 'denied', 'expired'] as const;

const DeviceChallengeQuery = field.fields({ Status: field.oneOf(challengeStatuses).meta({ description: 'Only challenges in this status (default: pending).' }) });

const DeviceFactor = z
  .object({ ...factorShape, service_name: z.string().meta({ description: 'The service\'s FriendlyName.' }) })
  .meta({ id: 'DeviceFactor', 'x-verity-extension': true, description: `${deviceNote} The device's factor, with the name of its service.` });

const DeviceChallenge = z
  .object({
    sid: sid('YC', 'Challenge SID.'),
    factor_sid: sid('YF', 'Factor SID.'),
    service_sid: sid('VA', 'Service SID.'),
    service_name: z.string().meta({ description: 'The service\'s FriendlyName.' }),
    identity: z.string(),
    status: z.enum(challengeStatuses),
    details: ChallengeDetails,
    hidden_details: z.record(z.string(), z.string()).nullable().meta({ description: 'HiddenDetails given at creation (the response signs their digest too).' }),
    number_match_required: z.boolean().meta({ description: 'The response must carry the two-digit `number` the login page shows to approve.' }),
    expiration_date: dateTime('When it expires,'),
    date_created: dateTime('Creation time,'),
    url: absoluteUrl('Where the device answers it (`POST /device/v1/Factors/{FactorSid}/Challenges/{Sid}`).'),
  })
  .meta({
    id: 'DeviceChallenge',
    'x-verity-extension': true,
    description: `${deviceNote} What a device sees of a challenge: everything it needs to show and sign it, never the number to match (the user reads it off the login page).`,
  });

const DeviceChallengeList = z
  .object({ challenges: z.array(DeviceChallenge).max(50).meta({ description: 'At most 50, newest first.' }) })
  .meta({ id: 'DeviceChallengeList', 'x-verity-extension': true });

const DeviceFactorPath = z.object({ factorSid: pathSid('YF', 'The device\'s factor SID (`YF` + 32 hex): the `kid` of the device token.') });
const DeviceChallengePath = DeviceFactorPath.extend({ challengeSid: pathSid('YC', 'Challenge SID (`YC` + 32 hex).') });

const deviceAuth = (when: string): ErrorCase => ({ code: 20003, when, message: 'Authenticate: the device token is invalid or expired' });
const badDeviceToken = deviceAuth('no, malformed, expired or wrongly signed device token, a token of an unknown or deleted factor, or one for another factor than the path\'s.');
const rateLimited: ErrorCase = {
  code: 20429,
  when: 'the client IP exceeded its request rate (shared with the account API\'s per-IP bucket, `VERITY_RATE_IP_*`) or the factor (device) its own (`VERITY_RATE_DEVICE_FACTOR_*`); or the client IP spent its failed authentications (`VERITY_RATE_AUTH_FAILURES_*`), after which a failed device authentication answers 429 instead of 401.',
  retryAfter: true,
  message: 'Too many requests',
};
/** The 500 and 503 every unauthenticated operation can answer. */
export const SERVER_ERRORS = API_ERRORS.filter((c) => c.code === 20500 || c.code === 20503);
const notVerified: ErrorCase = { code: 60300, when: 'the factor is not verified yet (an unverified factor\'s token may only read or verify it).', message: 'Invalid Param: the factor is not verified yet' };
const serviceGone: ErrorCase = { code: 20404, when: 'the factor\'s service no longer exists.', message: 'The requested resource /Services/VA0123456789abcdef0123456789abcdef was not found' };

const device = { tag: 'Push devices', caller: 'device' as const };
const described = (description: string) => `**Verity extension** (docs/push.md). ${description}`;

export const deviceEnrollSchema = operation({
  ...device,
  operationId: 'deviceEnroll',
  summary: 'Enroll a push device',
  description: described(
    'Creates an unverified push factor bound to the device\'s public key, for the Identity and service of the enrollment token (`Authorization: Bearer <enrollment token>` from `POST /v2/Services/{ServiceSid}/AccessTokens`; the entity is created if missing). The token is spent only when the parameters are valid, and enrolls at most one factor. Then verify the factor with `POST /device/v1/Factors/{FactorSid}`. Emits `factor.created`.',
  ),
  body: DeviceFactorCreateParams,
  ok: { 201: { description: 'The new factor (status `unverified`, factor_type `push`), with its binding.', schema: Factor } },
  errors: [
    {
      code: 60200,
      when: 'Binding.Alg missing or not ES256, Binding.PublicKey missing or not a base64 DER P-256 key, FriendlyName not 1–64 characters, Config.NotificationPlatform not apn/fcm/none, Config.NotificationToken not 32–255 characters or missing for apn/fcm, or Metadata not a JSON object.',
      message: 'Invalid parameter: Binding.Alg (expected ES256)',
    },
    { code: 20003, when: 'no, malformed, wrongly signed or expired enrollment token, one issued under a retired master key, or one already used.', message: 'Authenticate: the enrollment token was already used' },
    serviceGone,
    ...BODY_ERRORS,
    rateLimited,
    ...SERVER_ERRORS,
  ],
});

export const deviceFetchFactorSchema = operation({
  ...device,
  operationId: 'deviceFetchFactor',
  summary: 'Fetch the device\'s factor',
  description: described(`The factor (its status, friendly name, identity) and its service's name. ${DEVICE_TOKEN}`),
  params: DeviceFactorPath,
  ok: { 200: { description: 'The factor.', schema: DeviceFactor } },
  errors: [badDeviceToken, serviceGone, rateLimited, ...SERVER_ERRORS],
});

export const deviceVerifyFactorSchema = operation({
  ...device,
  operationId: 'deviceVerifyFactor',
  summary: 'Verify the device\'s factor, or update its push token',
  description: described(`With AuthPayload, proves the device holds the key it bound, which verifies the factor (on a verified factor a valid statement changes nothing; emits \`factor.verified\`). With Config.NotificationToken (and Config.NotificationPlatform, Config.SdkVersion), the app registers the phone's new APNs/FCM token, which lifts the mark a provider's refusal of the old one left (docs/push.md §7). ${DEVICE_TOKEN}`),
  params: DeviceFactorPath,
  body: DeviceFactorVerifyParams,
  ok: { 200: { description: 'The factor (status `verified`).', schema: Factor } },
  errors: [
    { code: 60200, when: `AuthPayload is over ${MAX_AUTH_PAYLOAD} characters or missing with no Config.* field, or Config.NotificationToken is not 32–255 characters or missing for apn/fcm.`, message: 'Invalid parameter: AuthPayload (required)' },
    badDeviceToken,
    { code: 60311, when: 'AuthPayload is not a verification statement signed by the bound key (signature, `kid`, `typ`, `factor_sid`, `status`, or an `iat` more than 5 minutes away).', message: 'Factor verification failed: AuthPayload is not a statement signed by the bound key' },
    ...BODY_ERRORS,
    rateLimited,
    ...SERVER_ERRORS,
  ],
});

export const deviceListChallengesSchema = operation({
  ...device,
  operationId: 'deviceListChallenges',
  summary: 'List the device\'s challenges',
  description: described(`The factor's challenges, newest first (at most 50): by default and with \`Status=pending\` the pending, unexpired ones, which this marks delivered (the login page's \`delivered\` event). ${DEVICE_TOKEN}`),
  params: DeviceFactorPath,
  querystring: DeviceChallengeQuery,
  ok: { 200: { description: 'The challenges.', schema: DeviceChallengeList } },
  errors: [{ code: 60200, when: 'Status is not pending, approved, denied or expired.', message: 'Invalid parameter: Status' }, notVerified, badDeviceToken, serviceGone, rateLimited, ...SERVER_ERRORS],
});

export const deviceStreamChallengesSchema = operation({
  ...device,
  operationId: 'deviceStreamChallenges',
  summary: 'Stream the device\'s pending challenges (server-sent events)',
  description: described(
    `A \`text/event-stream\` that starts with the comment \`: connected\`, then sends one \`event: challenge\` (\`data\`: a DeviceChallenge as JSON) per pending challenge: at once for those already pending, live for new ones (and again after \`POST …/Challenges/{Sid}/Notifications\`), each marked delivered. A \`: keep-alive\` comment comes every 15 s. The stream ends when the device token expires or the factor is deleted: reconnect with a fresh token. ${DEVICE_TOKEN}`,
  ),
  params: DeviceFactorPath,
  ok: {
    200: {
      description: 'A server-sent event stream that lasts until the device token expires.',
      contentType: 'text/event-stream',
      schema: eventStream('event: challenge\ndata: {"sid":"YC0123456789abcdef0123456789abcdef","factor_sid":"YF0123456789abcdef0123456789abcdef","status":"pending",…}\n\n'),
    },
  },
  errors: [notVerified, badDeviceToken, serviceGone, rateLimited, ...SERVER_ERRORS],
});

export const deviceRespondChallengeSchema = operation({
  ...device,
  operationId: 'deviceRespondChallenge',
  summary: 'Answer a challenge from the device',
  description: described(
    `Approves or denies a pending challenge of this factor with a signed response. A wrong \`number\` to match denies it (\`denied_reason\` number_mismatch, a login the user did not start). Emits \`challenge.approved\` or \`challenge.denied\`. ${PUSH_SEMANTICS} ${DEVICE_TOKEN}`,
  ),
  params: DeviceChallengePath,
  body: DeviceChallengeResponseParams,
  ok: { 200: { description: 'The challenge as answered (`approved` or `denied`).', schema: DeviceChallenge } },
  errors: [
    { code: 60200, when: `AuthPayload is missing or over ${MAX_AUTH_PAYLOAD} characters, or Metadata is not a JSON object.`, message: 'Invalid parameter: AuthPayload (required)' },
    notVerified,
    { code: 60306, when: 'the challenge has expired or was already approved or denied.', message: 'Invalid Request: the challenge has expired' },
    badDeviceToken,
    {
      code: 60324,
      when: 'the response\'s signature does not verify with the factor\'s key, or its `kid`, `typ`, `challenge_sid`, `factor_sid`, digests or `iat` do not match, or `number` is missing while number matching is on; it counts as an attempt and as a failure of the entity.',
      message: 'Challenge verification failed: the AuthPayload does not verify (signature, key id, type or time)',
    },
    { code: 20404, when: 'no challenge with this `Sid` belongs to this factor.', message: 'The requested resource /device/v1/Factors/YF…/Challenges/YC… was not found' },
    { code: 60308, when: `${MAX_CHALLENGE_ATTEMPTS} answers were already given for this challenge.`, message: 'Challenge verification attempts limit' },
    { code: 60308, when: `the entity is locked out after ${LOCKOUT.freeFailures} consecutive failures across its challenges.`, retryAfter: true, message: 'Challenge verification attempts limit' },
    ...BODY_ERRORS,
    rateLimited,
    ...SERVER_ERRORS,
  ],
});
