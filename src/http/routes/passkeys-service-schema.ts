import { z } from 'zod';
import { API_ERRORS, BODY_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { challengeShape, factorShape } from './factors-schema.ts';
import { ServicePath } from './services-schema.ts';

/**
 * The service-level Passkeys actions (twilio 6.2.0: `services(VA).newFactors`, `newVerifyFactors`,
 * `newChallenge()`, `approveChallenge`). Unlike the rest of the API their bodies are JSON: the
 * official client sends its camelCase parameter objects as they are (`friendlyName`,
 * `config.relyingParty`), the hosted documentation's examples use snake_case (`friendly_name`,
 * `config.relying_party`); both spellings are accepted. Responses are snake_case, as the client reads them.
 */

/**
 * How deeply a body's JSON may nest. The fields read lie 3 levels down (`config.relyingParty.origins`);
 * a body nested thousands of levels (a few kilobytes of `[[[[`) would otherwise overflow the stack
 * of the recursive walks below and of JSON.stringify (a 500).
 */
const MAX_JSON_DEPTH = 32;
const TOO_DEEP = Symbol('too deep');

/** snake_case keys → camelCase, at every depth (`client_data_json` → `clientDataJSON`, as WebAuthn spells it); TOO_DEEP past MAX_JSON_DEPTH. */
function camelKeys(value: unknown, depth = 0): unknown {
  if (!value || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
  let deep = false;
  const walk = (v: unknown): unknown => {
    const out = camelKeys(v, depth + 1);
    if (out === TOO_DEEP) deep = true;
    return out;
  };
  const result = Array.isArray(value)
    ? value.map(walk)
    : Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, v]) => {
          const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^clientDataJson$/, 'clientDataJSON');
          return [camel, walk(v)];
        }),
      );
  return deep ? TOO_DEEP : result;
}

/** A JSON body, its keys in either spelling; anything but an object (no body) carries no fields. */
const jsonBody = <T extends z.ZodType>(schema: T) =>
  z.preprocess((raw, ctx) => {
    const body = camelKeys(raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {});
    if (body !== TOO_DEEP) return body;
    ctx.addIssue({ code: 'custom', message: `nested more than ${MAX_JSON_DEPTH} levels deep`, input: raw });
    return z.NEVER;
  }, schema);

const requirement = z.enum(['required', 'preferred', 'discouraged'], { error: 'expected one of required, preferred, discouraged' });
const text = (max: number) => z.string({ error: 'expected a string' }).max(max, { error: `at most ${max} characters` });

const PasskeyFactorConfigParams = z
  .object({
    relyingParty: z
      .object({
        id: text(253).optional().meta({ description: 'The RP ID: the domain passkeys are bound to (`example.com`), no scheme or port. Default: the service\'s `Passkeys.RelyingParty.Id`.' }),
        name: text(64).optional().meta({ description: 'The name authenticators show. Default: the service\'s `Passkeys.RelyingParty.Name`, else its friendly name.' }),
        origins: z.array(text(2048)).max(20, { error: 'at most 20 origins' }).optional().meta({ description: 'Origins the browser may report (`https://login.example.com`). Default: the service\'s `Passkeys.RelyingParty.Origins`, else `https://<id>`.' }),
      })
      .optional()
      .meta({ description: '`relyingParty` (or `relying_party`).' }),
    authenticatorAttachment: z.enum(['platform', 'cross-platform', 'any'], { error: 'expected one of platform, cross-platform, any' }).optional(),
    discoverableCredentials: requirement.optional(),
    userVerification: requirement.optional(),
  })
  .meta({
    id: 'PasskeyFactorConfig',
    description:
      'Overrides of the service\'s `Passkeys.*` settings for this factor, kept with it: its registration and all its challenges use them. Absent fields use the service\'s settings, then Verity\'s defaults (attachment `platform`, discoverable credentials and user verification `preferred`), so Verity never answers the hosted 60393.',
  });

const NewPasskeyFactorParams = jsonBody(
  z
    .object({
      friendlyName: z.string({ error: 'required' }).min(1, { error: 'required' }).max(64, { error: 'at most 64 characters' }).meta({ description: 'Required (`friendlyName` or `friendly_name`). What the user calls this passkey.' }),
      identity: z.string({ error: 'required' }).min(1, { error: 'required' }).meta({ description: 'Required. The entity\'s Identity (8–64 dash-separated letters and digits); the entity is created if missing.' }),
      config: PasskeyFactorConfigParams.optional(),
    })
    .meta({ id: 'NewPasskeyFactorParams' }),
);

/** A PublicKeyCredential's JSON (toJSON()) as navigator.credentials.create() or get() returns it; other keys are kept. */
const credentialJson = (responseFields: z.ZodRawShape, id: string, description: string) =>
  jsonBody(
    z
      .looseObject({
        id: z.string({ error: 'required' }).max(1024).meta({ description: 'The credential id (base64url).' }),
        rawId: z.string().max(1024).optional().meta({ description: 'The same id (base64url).' }),
        type: z.string().max(32).optional().meta({ description: '`public-key`.' }),
        authenticatorAttachment: z.string().max(32).optional(),
        response: z.looseObject(responseFields, { error: 'required' }),
      })
      .meta({ id, description }),
  );

const VerifyPasskeyFactorParams = credentialJson(
  {
    attestationObject: z.string({ error: 'required' }).max(16_384),
    clientDataJSON: z.string({ error: 'required' }).max(4096),
    transports: z.array(z.string().max(32)).max(10).optional(),
  },
  'VerifyPasskeyFactorParams',
  'The RegistrationResponseJSON of navigator.credentials.create() for the options of `POST …/Passkeys/Factors`. The factor is the one whose registration challenge it signed.',
);

const NewPasskeyChallengeParams = jsonBody(
  z
    .object({
      identity: z.string().min(1).max(64).optional().meta({ description: 'The entity; alone, it names the entity\'s one verified passkey.' }),
      factorSid: z.string().max(34).optional().meta({ description: '`factorSid` (or `factor_sid`): the passkey factor (`YF…`) to challenge.' }),
    })
    .meta({ id: 'NewPasskeyChallengeParams', description: 'At least one of identity and factorSid.' }),
);

const ApprovePasskeyChallengeParams = credentialJson(
  {
    authenticatorData: z.string({ error: 'required' }).max(4096),
    clientDataJSON: z.string({ error: 'required' }).max(4096),
    signature: z.string({ error: 'required' }).max(1024),
    userHandle: z.string().max(1024).nullable().optional(),
  },
  'ApprovePasskeyChallengeParams',
  'The AuthenticationResponseJSON of navigator.credentials.get() for the options of `POST …/Passkeys/Challenges`. The challenge is the one whose WebAuthn challenge it signed.',
);

const creationOptions = z
  .object({ publicKey: z.record(z.string(), z.unknown()).meta({ description: 'WebAuthn PublicKeyCredentialCreationOptionsJSON (`rp`, `user`, `challenge`, `pubKeyCredParams`, `timeout`, `excludeCredentials`, `authenticatorSelection`, `attestation: none`).' }) })
  .meta({ description: 'For `navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey)})`. In this response only; the challenge is valid 5 minutes.' });

const requestOptions = z
  .object({ publicKey: z.record(z.string(), z.unknown()).meta({ description: 'WebAuthn PublicKeyCredentialRequestOptionsJSON (`challenge`, `rpId`, `allowCredentials`, `userVerification`, `timeout`).' }) })
  .meta({ description: 'For `navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey)})`. In the create response only; null afterwards.' });

const NewPasskeyFactor = z
  .object({ ...factorShape, binding: z.null(), options: creationOptions })
  .meta({ id: 'NewPasskeyFactor', description: 'An unverified passkey factor and its WebAuthn creation options.' });

const PasskeyFactor = z.object(factorShape).meta({ id: 'PasskeyFactor', description: 'The passkey factor, `verified`.' });

const { passkey_options: _unused, ...challengeFields } = challengeShape;
void _unused;

const NewPasskeyChallenge = z
  .object({ ...challengeFields, options: requestOptions })
  .meta({ id: 'NewPasskeyChallenge', description: 'A pending passkey challenge and its WebAuthn request options.' });

const ApprovedPasskeyChallenge = z
  .object({ ...challengeFields, options: z.null() })
  .meta({ id: 'ApprovedPasskeyChallenge', description: 'The challenge, `approved`.' });

const relyingPartyInvalid: ErrorCase = {
  code: 60371,
  when: '`config.relying_party` is malformed (an id with a scheme, port or path; origins that are not https origins), or neither it nor the service names a relying party.',
  message: 'Relying party invalid or not provided: give config.relying_party.id, or set Passkeys.RelyingParty.Id on the service',
};

const JSON_ONLY = ['application/json'];

export const createPasskeyFactorSchema = operation({
  operationId: 'createPasskeysFactor',
  tag: 'Factors',
  summary: 'Create a passkey factor',
  description:
    'Creates an unverified passkey factor for `identity` (the entity is created if missing) and returns `options.publicKey`, the WebAuthn creation options, once. The browser\'s response goes to `POST …/Passkeys/VerifyFactor`. A JSON body (camelCase as the official client sends it, or snake_case). The factor is deleted, like any enrolment, if still unverified after `VERITY_UNVERIFIED_FACTOR_TTL_HOURS`. Events: `factor.created`.',
  caller: 'account',
  params: ServicePath,
  body: NewPasskeyFactorParams,
  consumes: JSON_ONLY,
  ok: { 201: { description: 'The new factor, with its creation options.', schema: NewPasskeyFactor } },
  errors: [
    { code: 60200, when: 'friendlyName or identity is missing or invalid, or a config field has a value outside its list.', message: 'Invalid parameter: friendlyName (required)' },
    relyingPartyInvalid,
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const verifyPasskeyFactorSchema = operation({
  operationId: 'verifyPasskeysFactor',
  tag: 'Factors',
  summary: 'Verify a passkey factor',
  description:
    'The browser\'s RegistrationResponseJSON (credential.toJSON() after navigator.credentials.create()). The factor is found by the registration challenge the response signed, and verified as `POST …/Entities/{Identity}/Factors/{Sid}` with AuthPayload does: challenge, origin, RP ID hash, user presence, user verification when required. Events: `factor.verified`.',
  caller: 'account',
  params: ServicePath,
  body: VerifyPasskeyFactorParams,
  consumes: JSON_ONLY,
  ok: { 200: { description: 'The verified factor.', schema: PasskeyFactor } },
  errors: [
    { code: 60200, when: 'the body is not a RegistrationResponseJSON.', message: 'Invalid parameter: response (required)' },
    {
      code: 60311,
      when: 'the response does not verify (origin, relying party, user verification), or it signed no pending registration of this service (a wrong challenge, or a factor already verified: a replay). A refused response counts toward the factor\'s five attempts.',
      message: 'Factor verification failed: the AuthPayload is not a valid WebAuthn registration for this factor (challenge, origin, relying party)',
    },
    { code: 60310, when: 'five responses for this factor were refused; create a new factor.', message: 'Factor verification attempts limit: too many failed registrations, create a new factor' },
    { code: 64201, when: 'the registration options are older than 5 minutes.', message: 'Passkey registration expired: the registration options are valid for 5 minutes; delete this factor and create a new one' },
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const createPasskeyChallengeSchema = operation({
  operationId: 'createPasskeysChallenge',
  tag: 'Challenges',
  summary: 'Create a passkey challenge',
  description:
    'A pending challenge of a verified passkey factor (`factorSid`, or the one verified passkey of `identity`) with `options.publicKey`, the WebAuthn request options, once. The browser\'s response goes to `POST …/Passkeys/ApproveChallenge`. A sign-in without a username (neither field) is Verity\'s `POST …/Passkeys/AuthenticationOptions` instead.',
  caller: 'account',
  params: ServicePath,
  body: NewPasskeyChallengeParams,
  consumes: JSON_ONLY,
  ok: { 201: { description: 'The new challenge, with its request options.', schema: NewPasskeyChallenge } },
  errors: [
    { code: 60200, when: 'neither identity nor factorSid is given, or identity alone names an entity with several passkeys.', message: 'Invalid parameter: factorSid (required when the entity has more than one verified passkey)' },
    { code: 60300, when: 'the factor is not verified yet, or the entity has no verified passkey.', message: 'Invalid Param: FactorSid (the factor is not verified yet)' },
    { code: 20404, when: 'no passkey factor of the service has this `factorSid` (or it is another identity\'s), or no entity has this `identity`.', message: 'The requested resource /Services/VA…/Passkeys/Factors/YF… was not found' },
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const approvePasskeyChallengeSchema = operation({
  operationId: 'approvePasskeysChallenge',
  tag: 'Challenges',
  summary: 'Approve a passkey challenge',
  description:
    'The browser\'s AuthenticationResponseJSON (credential.toJSON() after navigator.credentials.get()). The challenge is found by the WebAuthn challenge the response signed and answered as `POST …/Entities/{Identity}/Challenges/{Sid}` with AuthPayload is: five responses per challenge, each charged to the entity\'s lock-out count until one verifies. Events: `challenge.approved`.',
  caller: 'account',
  params: ServicePath,
  body: ApprovePasskeyChallengeParams,
  consumes: JSON_ONLY,
  ok: { 200: { description: 'The approved challenge.', schema: ApprovedPasskeyChallenge } },
  errors: [
    { code: 60200, when: 'the body is not an AuthenticationResponseJSON.', message: 'Invalid parameter: response (required)' },
    {
      code: 60324,
      when: 'the assertion does not verify (signature, origin, relying party, credential), or it signed no pending challenge of this service (a made-up challenge, or a replay once the challenge was approved).',
      message: 'Challenge verification failed: the AuthPayload is not a valid WebAuthn assertion for this challenge (signature, challenge, origin or relying party)',
    },
    { code: 64202, when: 'the assertion verifies but the signature counter did not increase (a cloned authenticator; logged).', message: 'Passkey signature counter did not increase: the assertion was replayed or the authenticator may be cloned; sign in with another factor' },
    { code: 60306, when: 'the challenge expired or was already answered.', message: 'Invalid Request: the challenge has expired' },
    { code: 60308, when: 'five responses were given for this challenge, or the entity is locked out.', retryAfter: true, message: 'Challenge verification attempts limit' },
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});
