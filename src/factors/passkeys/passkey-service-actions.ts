import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { VerityError, invalidParameter, notFound } from '../../errors/verity-error.ts';
import type { ChallengeRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { createChallenge, respondToChallenge } from '../challenges.ts';
import { ensureEntity, loadEntity } from '../entities.ts';
import { createPasskeyFactor, verifyPasskeyFactor } from './passkey-factor.ts';
import { withOverrides, type PasskeySettingOverrides } from './passkey-factor-settings.ts';
import { MAX_PASSKEY_PAYLOAD, challengeDigest, parseAuthenticationResponse, parseRegistrationResponse, signedChallenge } from './passkey-protocol.ts';

/**
 * The service-level Passkeys actions of the Verify API (twilio 6.2.0 `newFactors`,
 * `newVerifyFactors`, `newChallenge`, `approveChallenge`) as adapters over Verity's passkey
 * factor: the same registration, challenge and assertion checks as `…/Entities/{Identity}/Factors`
 * and `…/Challenges`. Their bodies name no factor or challenge: the WebAuthn challenge the browser
 * signed (in clientDataJSON) finds it.
 */

type PasskeyServiceDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'pushDelivery' | 'stores'>;

type Requirement = 'required' | 'preferred' | 'discouraged';

/** The `config` of `POST …/Passkeys/Factors`: overrides of the service's `Passkeys.*` settings for this factor. */
export interface PasskeyFactorConfig {
  relyingParty?: { id?: string | undefined; name?: string | undefined; origins?: string[] | undefined } | undefined;
  authenticatorAttachment?: 'platform' | 'cross-platform' | 'any' | undefined;
  discoverableCredentials?: Requirement | undefined;
  userVerification?: Requirement | undefined;
}

/** WebAuthn §5.1.2: an RP ID is a domain (no scheme, port or path); `localhost` for development. */
const RP_ID = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const relyingPartyInvalid = (why: string): VerityError => new VerityError(60371, `Relying party invalid or not provided: ${why}`);

/** An origin a browser reports in clientDataJSON: `https://host[:port]`, or http only on localhost. */
function checkOrigin(origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  const local = url?.hostname === 'localhost';
  if (!url || url.origin !== origin || !(url.protocol === 'https:' || (local && url.protocol === 'http:'))) {
    throw relyingPartyInvalid('config.relying_party.origins must be origins such as https://login.example.com (no path, no trailing slash)');
  }
  return origin;
}

/** The `Passkeys.*` settings `config` overrides, checked (60371 for a malformed relying party). */
function overridesOf(config: PasskeyFactorConfig | undefined): PasskeySettingOverrides {
  const overrides: PasskeySettingOverrides = {};
  const rp = config?.relyingParty;
  if (rp?.id !== undefined) {
    if (!RP_ID.test(rp.id)) throw relyingPartyInvalid('config.relying_party.id must be a domain such as example.com, without scheme, port or path');
    overrides['Passkeys.RelyingParty.Id'] = rp.id;
  }
  if (rp?.name !== undefined && rp.name !== '') overrides['Passkeys.RelyingParty.Name'] = rp.name;
  if (rp?.origins !== undefined && rp.origins.length > 0) overrides['Passkeys.RelyingParty.Origins'] = rp.origins.map(checkOrigin).join(',');
  if (config?.authenticatorAttachment !== undefined) overrides['Passkeys.AuthenticatorAttachment'] = config.authenticatorAttachment;
  if (config?.discoverableCredentials !== undefined) overrides['Passkeys.DiscoverableCredentials'] = config.discoverableCredentials;
  if (config?.userVerification !== undefined) overrides['Passkeys.UserVerification'] = config.userVerification;
  return overrides;
}

/** A WebAuthn response body as the text the passkey checks read (the entity routes' AuthPayload). */
function payloadOf(body: unknown): string {
  const text = JSON.stringify(body ?? null);
  if (text.length > MAX_PASSKEY_PAYLOAD) throw invalidParameter('response', `the credential JSON is at most ${MAX_PASSKEY_PAYLOAD} characters`);
  return text;
}

/**
 * `POST …/Passkeys/Factors`: an unverified passkey factor of `identity` (the entity is created if
 * missing, as the hosted API does) and the WebAuthn creation options for
 * navigator.credentials.create(). The options are given once, in this response.
 */
export async function createServicePasskeyFactor(
  ctx: PasskeyServiceDeps,
  service: ServiceRow,
  input: { friendlyName: string; identity: string; config?: PasskeyFactorConfig | undefined },
): Promise<{ row: FactorRow; options: PublicKeyCredentialCreationOptionsJSON }> {
  const overrides = overridesOf(input.config);
  const seen = withOverrides(service, overrides);
  if (typeof seen.extras['Passkeys.RelyingParty.Id'] !== 'string' || seen.extras['Passkeys.RelyingParty.Id'] === '') {
    throw relyingPartyInvalid('give config.relying_party.id, or set Passkeys.RelyingParty.Id on the service');
  }
  const entity = await ensureEntity(ctx, service, input.identity);
  const { row, binding } = await createPasskeyFactor(ctx, seen, entity, { friendlyName: input.friendlyName });
  const options = binding.registration_options;
  await ctx.stores.passkeyFactorSettings.insert({ factor_sid: row.sid, service_sid: service.sid, settings: JSON.stringify(overrides), registration_digest: challengeDigest(options.challenge) });
  return { row, options };
}

/** The challenge of clientDataJSON (base64url JSON), or undefined when it has none. */
function clientDataChallenge(clientDataJSON: string): string | undefined {
  return signedChallenge({ response: { clientDataJSON } } as Parameters<typeof signedChallenge>[0]);
}

/**
 * `POST …/Passkeys/VerifyFactor` with the browser's RegistrationResponseJSON: the factor whose
 * registration challenge was signed is verified as `POST …/Factors/{Sid}` would (60311 when the
 * response does not verify, counted toward the factor's five attempts). A response for no pending
 * registration of this service (unknown challenge, or a factor already verified: a replay) is 60311.
 */
export async function verifyServicePasskeyFactor(ctx: PasskeyServiceDeps, service: ServiceRow, body: unknown): Promise<FactorRow> {
  const payload = payloadOf(body);
  const response = parseRegistrationResponse(payload);
  const challenge = clientDataChallenge(response.response.clientDataJSON);
  const pending = challenge === undefined ? undefined : await ctx.stores.passkeyFactorSettings.findByRegistration(service.sid, challengeDigest(challenge));
  const factor = pending ? await ctx.stores.factors.findBySid(pending.factor_sid) : undefined;
  if (!factor || factor.status === 'verified') {
    ctx.logger.warn({ serviceSid: service.sid }, 'passkey registration refused: no pending registration has this challenge');
    throw new DomainError('factor_verification_failed', 'Factor verification failed: the response is not for a pending passkey registration of this service (unknown challenge, or already verified)');
  }
  const verified = await verifyPasskeyFactor(ctx, service, factor, payload);
  if (verified.status === 'verified') await ctx.stores.passkeyFactorSettings.endRegistration(factor.sid);
  return verified;
}

/** A passkey factor of the service, by SID (20404 when it is not one). */
async function servicePasskey(ctx: PasskeyServiceDeps, service: ServiceRow, sid: string): Promise<FactorRow> {
  const factor = /^YF[0-9a-f]{32}$/.test(sid) ? await ctx.stores.factors.findBySid(sid) : undefined;
  if (!factor || factor.service_sid !== service.sid || factor.factor_type !== 'passkeys') throw notFound(`/Services/${service.sid}/Passkeys/Factors/${sid}`);
  return factor;
}

/**
 * `POST …/Passkeys/Challenges`: a pending challenge of a verified passkey factor with the WebAuthn
 * request options for navigator.credentials.get() (given once). `factorSid` names the factor;
 * `identity` alone picks the entity's one verified passkey. Verity refuses (60200) a request with
 * neither (use the usernameless `…/Passkeys/AuthenticationOptions` extension) or an identity with
 * several passkeys and no factorSid: a challenge here belongs to one factor.
 */
export async function createServicePasskeyChallenge(
  ctx: PasskeyServiceDeps,
  service: ServiceRow,
  input: { identity?: string | undefined; factorSid?: string | undefined },
): Promise<ChallengeRow & { passkeyOptions?: PublicKeyCredentialRequestOptionsJSON }> {
  let factor: FactorRow;
  if (input.factorSid !== undefined) {
    factor = await servicePasskey(ctx, service, input.factorSid);
    if (input.identity !== undefined && input.identity !== factor.identity) throw notFound(`/Services/${service.sid}/Passkeys/Factors/${input.factorSid}`);
  } else if (input.identity !== undefined) {
    const entity = await loadEntity(ctx, service, input.identity);
    const passkeys = (await ctx.stores.factors.list(entity.sid, 1000, 0)).filter((f) => f.factor_type === 'passkeys' && f.status === 'verified');
    if (passkeys.length === 0) throw new DomainError('not_applicable', 'Invalid Param: identity (the entity has no verified passkey)');
    if (passkeys.length > 1) throw invalidParameter('factorSid', 'required when the entity has more than one verified passkey');
    factor = passkeys[0] as FactorRow;
  } else {
    throw invalidParameter('identity', 'identity or factorSid is required (for a sign-in without a username, use POST …/Passkeys/AuthenticationOptions)');
  }
  const entity = await loadEntity(ctx, service, factor.identity);
  return createChallenge(ctx, service, entity, { factorSid: factor.sid });
}

/**
 * `POST …/Passkeys/ApproveChallenge` with the browser's AuthenticationResponseJSON: the challenge
 * whose WebAuthn challenge was signed is answered as `POST …/Challenges/{Sid}` would (60324 when
 * the assertion does not verify, 64202 for a counter that did not increase, 60306 once the
 * challenge is expired or answered). An assertion over no challenge of this service (a made-up
 * challenge, or a replay after approval: the ceremony is gone) is 60324.
 */
export async function approveServicePasskeyChallenge(ctx: PasskeyServiceDeps, service: ServiceRow, body: unknown): Promise<ChallengeRow> {
  const payload = payloadOf(body);
  const response = parseAuthenticationResponse(payload);
  const challenge = signedChallenge(response);
  const ceremony = challenge === undefined ? undefined : await ctx.stores.passkeyCeremonies.findChallengeCeremony(service.sid, challengeDigest(challenge));
  const row = ceremony?.challenge_sid ? await ctx.stores.challenges.findBySid(ceremony.challenge_sid) : undefined;
  const entity = row ? await ctx.stores.entities.find(service.sid, row.identity) : undefined;
  if (!row || !entity) {
    ctx.logger.warn({ serviceSid: service.sid }, 'passkey response refused: no challenge of the service has this WebAuthn challenge');
    throw new DomainError('challenge_verification_failed', 'Challenge verification failed: the assertion is not for a pending passkey challenge of this service (unknown challenge, or already approved)');
  }
  return respondToChallenge(ctx, entity, row.sid, { authPayload: payload });
}
