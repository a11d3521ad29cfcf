import { z } from 'zod';
import { MAX_PASSKEY_PAYLOAD } from '../../factors/passkeys/passkey-protocol.ts';
import { API_ERRORS, BODY_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { dateTime, extension, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { ServicePath } from './services-schema.ts';

/** Usernameless passkey sign-in (a Verity extension): options out, the browser's response in, who signed in out. */

const noRelyingParty: ErrorCase = {
  code: 60300,
  when: 'the service has no `Passkeys.RelyingParty.Id`.',
  message: 'Invalid Param: passkeys need the service setting Passkeys.RelyingParty.Id (the domain your sign-in page is served from)',
};

const PasskeyAuthenticationOptionsParams = field.fields({}).meta({ id: 'PasskeyAuthenticationOptionsParams', description: 'No parameters.' });

const PasskeyAuthenticationParams = field
  .fields({
    AuthPayload: field.required({ max: MAX_PASSKEY_PAYLOAD }).meta({ description: 'The JSON of the browser\'s AuthenticationResponse (`credential.toJSON()`). Required.' }),
  })
  .meta({ id: 'PasskeyAuthenticationParams' });

const PasskeyAuthenticationOptions = extension(
  z.object({
    authentication_options: z
      .record(z.string(), z.unknown())
      .meta({ description: 'WebAuthn PublicKeyCredentialRequestOptionsJSON (`challenge`, `rpId`, `userVerification`, `timeout`; no `allowCredentials`).' }),
    expiration_date: dateTime('When the options expire (5 minutes),'),
  }),
  'Options for a usernameless passkey sign-in.',
).meta({ id: 'PasskeyAuthenticationOptions' });

const PasskeyAuthentication = extension(
  z.object({
    identity: z.string().meta({ description: 'The entity\'s Identity.' }),
    factor_sid: sid('YF', 'The passkey factor used.'),
    amr: z.array(z.string()).meta({ description: 'RFC 8176 methods: `["swk"]`.' }),
  }),
  'Who a usernameless passkey sign-in identified.',
).meta({ id: 'PasskeyAuthentication' });

export const createPasskeyAuthenticationOptionsSchema = operation({
  operationId: 'createPasskeyAuthenticationOptions',
  tag: 'Challenges',
  summary: 'Start a usernameless passkey sign-in (Verity extension)',
  description:
    '**Verity extension.** WebAuthn authentication options without `allowCredentials` (discoverable credentials: the browser offers the passkeys it holds for the RP ID), for `navigator.credentials.get()`. The challenge is single-use and valid 5 minutes. The body may be empty.',
  caller: 'account',
  params: ServicePath,
  body: PasskeyAuthenticationOptionsParams,
  ok: { 201: { description: 'The options.', schema: PasskeyAuthenticationOptions } },
  errors: [noRelyingParty, SERVICE_NOT_FOUND, ...API_ERRORS],
});

export const createPasskeyAuthenticationSchema = operation({
  operationId: 'createPasskeyAuthentication',
  tag: 'Challenges',
  summary: 'Complete a usernameless passkey sign-in (Verity extension)',
  description:
    '**Verity extension.** AuthPayload is the browser\'s AuthenticationResponse JSON for options from `POST …/Passkeys/AuthenticationOptions`. The options are used up first (even by a failing response); the passkey is found by its credential id, the user handle must be its entity\'s, and the assertion is verified as for a challenge (signature, origin, RP ID, counter). Answers who signed in. No event is emitted and no entity failure is counted (no entity is known until the signature verifies).',
  caller: 'account',
  params: ServicePath,
  body: PasskeyAuthenticationParams,
  ok: { 200: { description: 'Who signed in.', schema: PasskeyAuthentication } },
  errors: [
    { code: 60200, when: 'AuthPayload is missing, not JSON, or not an AuthenticationResponse.', message: 'Invalid parameter: AuthPayload (required)' },
    {
      code: 64204,
      when: 'the response is not for options from AuthenticationOptions of this service, or they were used (even by a failing response) or expired (5 minutes).',
      message: 'Passkey sign-in options unknown, used or expired: the response is not for options from POST …/Passkeys/AuthenticationOptions, or they were used or expired (5 minutes)',
    },
    { code: 64205, when: 'the response names no verified passkey of the service, or carries another user handle than the passkey\'s entity.', message: 'Passkey not recognised: no verified passkey of this service has this credential id' },
    {
      code: 64206,
      when: 'user verification is required (`Passkeys.UserVerification=required`) and the authenticator did not verify the user (no UV flag).',
      message: 'Passkey user verification required: the authenticator did not verify the user (UV flag, a biometric or PIN), which this sign-in requires',
    },
    { code: 64203, when: 'the assertion does not verify (signature, origin or relying party).', message: 'Passkey sign-in failed: the assertion does not verify (signature, origin or relying party)' },
    {
      code: 64202,
      when: 'the assertion verifies but its signature counter did not increase (a replay or a cloned authenticator; logged).',
      message: 'Passkey signature counter did not increase: the assertion was replayed or the authenticator may be cloned; sign in with another factor',
    },
    noRelyingParty,
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});
