import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DomainError } from '../../errors/domain-error.ts';
import type { PasskeyCredentialRow } from '../../store/schema.ts';
import type { PasskeyBinding } from './passkey-protocol.ts';
import type { PasskeySettings } from './passkey-settings.ts';
import { webauthnServer } from './webauthn-server.ts';

/** What an assertion decided: refused (why), a counter that did not increase, or verified. */
export type AssertionVerdict =
  | { kind: 'refused'; reason: string }
  | { kind: 'counter_not_increased'; stored: number; received: number }
  | { kind: 'verified'; newCounter: number; userVerified: boolean; deviceType: string };

type StoredCredential = Extract<PasskeyBinding, { credential: unknown }>['credential'];

/**
 * Verifies a WebAuthn assertion (WebAuthn §7.2) for one stored credential: challenge, type,
 * origin, RP ID hash, user presence, user verification when required, and the signature over
 * authenticatorData ‖ SHA-256(clientDataJSON). The signature counter (§6.1.1) is judged here, not
 * by the library: it must increase, unless the authenticator keeps none (both zero).
 */
export async function checkAssertion(
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  settings: PasskeySettings,
  credential: StoredCredential,
  stored: PasskeyCredentialRow,
): Promise<AssertionVerdict> {
  if (response.id !== credential.id || response.rawId !== credential.id) return { kind: 'refused', reason: 'another credential' };
  let newCounter: number;
  let userVerified: boolean;
  let deviceType: string;
  const { verifyAuthenticationResponse } = await webauthnServer();
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: settings.origins,
      expectedRPID: settings.rpId,
      // Counter 0 turns off the library's own counter check, so a regression gets its own code.
      credential: { id: credential.id, publicKey: new Uint8Array(Buffer.from(credential.public_key, 'base64url')), counter: 0, transports: credential.transports },
      requireUserVerification: settings.userVerification === 'required',
    });
    if (!result.verified) return { kind: 'refused', reason: 'signature' };
    ({ newCounter, userVerified, credentialDeviceType: deviceType } = result.authenticationInfo);
  } catch (error) {
    return { kind: 'refused', reason: (error as Error).message };
  }
  if (newCounter <= stored.counter && !(newCounter === 0 && stored.counter === 0)) return { kind: 'counter_not_increased', stored: stored.counter, received: newCounter };
  return { kind: 'verified', newCounter, userVerified, deviceType };
}

/** An assertion that verified but whose signature counter did not increase (WebAuthn §6.1.1): replayed, or a cloned authenticator. */
export const counterNotIncreased = (): DomainError =>
  new DomainError('passkey_counter_not_increased', 'Passkey signature counter did not increase: the assertion was replayed or the authenticator may be cloned; sign in with another factor');
