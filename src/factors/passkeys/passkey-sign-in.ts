import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { isoSeconds } from '../../time/format.ts';
import type { ServiceRow } from '../../store/schema.ts';
import { AMR_BY_FACTOR_TYPE } from '../challenges.ts';
import { checkAssertion, counterNotIncreased } from './passkey-assertion.ts';
import { openPasskeyBinding } from './passkey-factor.ts';
import { PASSKEY_CEREMONY_TTL_MS, challengeDigest, parseAuthenticationResponse, signedChallenge } from './passkey-protocol.ts';
import { passkeySettings, type PasskeySettings } from './passkey-settings.ts';
import { webauthnServer } from './webauthn-server.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type PasskeySignInDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores'>;

/** Who a usernameless sign-in identified. */
export interface PasskeySignIn {
  identity: string;
  factor_sid: string;
  amr: string[];
}

/**
 * POST /v2/Services/{VA}/Passkeys/AuthenticationOptions: options without allowCredentials, so the
 * browser offers the discoverable passkeys it holds for the RP ID. The challenge is remembered as
 * a digest for five minutes and can be used once.
 */
export async function createSignInOptions(ctx: PasskeySignInDeps, service: ServiceRow, options: SignInOptions = {}): Promise<{ authentication_options: PublicKeyCredentialRequestOptionsJSON; expiration_date: string }> {
  const settings = signInSettings(service, options);
  const now = ctx.clock.now();
  const generated = await (await webauthnServer()).generateAuthenticationOptions({ rpID: settings.rpId, userVerification: settings.userVerification, timeout: PASSKEY_CEREMONY_TTL_MS });
  const ceremonies = ctx.stores.passkeyCeremonies;
  await ceremonies.deleteExpired(now);
  await ceremonies.insert({ challenge_digest: challengeDigest(generated.challenge), service_sid: service.sid, challenge_sid: null, expires_at: now + PASSKEY_CEREMONY_TTL_MS });
  return { authentication_options: generated, expiration_date: isoSeconds(now + PASSKEY_CEREMONY_TTL_MS) };
}

/** How a caller may tighten the service's settings for one sign-in. */
export interface SignInOptions {
  /**
   * Ask for and require user verification (the UV flag, WebAuthn §6.1) whatever the service's
   * `Passkeys.UserVerification` says: a usernameless sign-in where the passkey is the only factor
   * is multi-factor only with it (possession + the device's biometric or PIN).
   */
  requireUserVerification?: boolean;
}

function signInSettings(service: ServiceRow, options: SignInOptions): PasskeySettings {
  const settings = passkeySettings(service);
  return options.requireUserVerification ? { ...settings, userVerification: 'required' } : settings;
}

// One code per reason, so a caller can tell the user what to do without reading the message.
const assertionRefused = (): DomainError => new DomainError('passkey_sign_in_failed', 'Passkey sign-in failed: the assertion does not verify (signature, origin or relying party)');
const optionsSpent = (): DomainError =>
  new DomainError('passkey_options_unknown', 'Passkey sign-in options unknown, used or expired: the response is not for options from POST …/Passkeys/AuthenticationOptions, or they were used or expired (5 minutes)');
const unknownPasskey = (why: string): DomainError => new DomainError('passkey_not_recognised', `Passkey not recognised: ${why}`);
const userNotVerified = (): DomainError =>
  new DomainError('passkey_user_verification_required', 'Passkey user verification required: the authenticator did not verify the user (UV flag, a biometric or PIN), which this sign-in requires');

/**
 * POST /v2/Services/{VA}/Passkeys/Authentications: the browser's AuthenticationResponseJSON for
 * options from AuthenticationOptions. The options are consumed first (one DELETE … RETURNING: a
 * response is accepted once, even a failing one), then the credential is found by its id, the
 * user handle checked against its entity, and the assertion verified as for a challenge.
 */
export async function completeSignIn(ctx: PasskeySignInDeps, service: ServiceRow, authPayload: string | undefined, options: SignInOptions = {}): Promise<PasskeySignIn> {
  const response = parseAuthenticationResponse(authPayload);
  const settings = signInSettings(service, options);
  const now = ctx.clock.now();
  const challenge = signedChallenge(response);
  if (challenge === undefined || !(await ctx.stores.passkeyCeremonies.consumeSignIn(service.sid, challengeDigest(challenge), now))) {
    throw optionsSpent();
  }
  const credentials = ctx.stores.passkeyCredentials;
  const stored = await credentials.findById(service.sid, response.id);
  const factor = stored ? await ctx.stores.factors.findBySid(stored.factor_sid) : undefined;
  if (!stored || factor?.status !== 'verified') throw unknownPasskey('no verified passkey of this service has this credential id');
  const userHandle = response.response.userHandle;
  if (userHandle !== undefined && userHandle !== Buffer.from(factor.entity_sid).toString('base64url')) throw unknownPasskey('the user handle does not match the passkey');
  const binding = openPasskeyBinding(ctx, factor);
  if (!('credential' in binding)) throw unknownPasskey('the passkey is not registered');
  const verdict = await checkAssertion(response, challenge, settings, binding.credential, stored);
  if (verdict.kind === 'refused') {
    ctx.logger.warn({ factorSid: factor.sid, reason: verdict.reason }, 'passkey sign-in refused');
    // SimpleWebAuthn reports a missing UV flag (WebAuthn §7.2 step 17) only in its reason's words.
    if (settings.userVerification === 'required' && /user verification/i.test(verdict.reason)) throw userNotVerified();
    throw assertionRefused();
  }
  if (verdict.kind === 'counter_not_increased' || !(await credentials.advanceCounter(factor.sid, stored.counter, verdict.newCounter, now))) {
    ctx.logger.warn({ factorSid: factor.sid, stored: stored.counter }, 'passkey signature counter did not increase: possible cloned authenticator');
    throw counterNotIncreased();
  }
  return { identity: factor.identity, factor_sid: factor.sid, amr: AMR_BY_FACTOR_TYPE['passkeys'] ?? [] };
}
