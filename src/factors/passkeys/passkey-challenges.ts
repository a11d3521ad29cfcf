import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import type { ChallengeRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { checkAssertion } from './passkey-assertion.ts';
import { openPasskeyBinding } from './passkey-factor.ts';
import { challengeDigest, parseAuthenticationResponse, signedChallenge } from './passkey-protocol.ts';
import { serviceForFactor } from './passkey-factor-settings.ts';
import { passkeySettings } from './passkey-settings.ts';
import { webauthnServer } from './webauthn-server.ts';
import type { TransactionStores } from '../../store/unit-of-work.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type PasskeyChallengesDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores'>;

/** The stored credential of a verified passkey factor (its sealed binding). */
function credentialOf(ctx: PasskeyChallengesDeps, factor: FactorRow) {
  const binding = openPasskeyBinding(ctx, factor);
  if (!('credential' in binding)) throw new DomainError('not_applicable', 'Invalid Param: FactorSid (the passkey is not registered yet)');
  return binding.credential;
}

/**
 * After a passkey challenge is inserted (same transaction): the WebAuthn authentication options
 * for it (allowCredentials = the factor's credential), whose challenge is remembered as a digest
 * until the Verify challenge expires. Returned once, as the challenge's `passkey_options`.
 */
export async function preparePasskeyChallenge(ctx: PasskeyChallengesDeps, trx: TransactionStores, service: ServiceRow, factor: FactorRow, challenge: ChallengeRow): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const settings = passkeySettings(await serviceForFactor(trx, service, factor.sid));
  const credential = credentialOf(ctx, factor);
  const options = await (await webauthnServer()).generateAuthenticationOptions({
    rpID: settings.rpId,
    allowCredentials: [{ id: credential.id, transports: credential.transports }],
    userVerification: settings.userVerification,
    timeout: challenge.expiration_date - challenge.date_created,
  });
  await trx.passkeyCeremonies.insert({ challenge_digest: challengeDigest(options.challenge), service_sid: service.sid, challenge_sid: challenge.sid, expires_at: challenge.expiration_date });
  return options;
}

export type PasskeyVerdict = { kind: 'refused'; reason: string } | { kind: 'counter_not_increased'; stored: number; received: number } | { kind: 'approved' };

/**
 * Judges an AuthenticationResponseJSON for a pending passkey challenge, inside the caller's
 * transaction: the signed challenge must be this challenge's, the assertion must verify for the
 * factor's credential, and the counter must move forward, which it does here with one
 * conditional UPDATE (of two concurrent uses of one assertion, one wins).
 */
export async function judgePasskeyResponse(ctx: PasskeyChallengesDeps, trx: TransactionStores, challenge: ChallengeRow, factor: FactorRow, authPayload: string, now: number): Promise<PasskeyVerdict> {
  const response = parseAuthenticationResponse(authPayload);
  const service = await trx.services.find(challenge.account_sid, challenge.service_sid);
  if (!service) return { kind: 'refused', reason: 'service gone' };
  const settings = passkeySettings(await serviceForFactor(trx, service, factor.sid));
  const credential = credentialOf(ctx, factor);
  const credentials = trx.passkeyCredentials;
  const stored = await credentials.findByFactor(factor.sid);
  if (!stored) return { kind: 'refused', reason: 'credential gone' };
  const clientData = signedChallenge(response);
  if (clientData === undefined || !(await trx.passkeyCeremonies.findForChallenge(challenge.sid, challengeDigest(clientData)))) {
    return { kind: 'refused', reason: 'signed for another challenge' };
  }
  const verdict = await checkAssertion(response, clientData, settings, credential, stored);
  if (verdict.kind !== 'verified') return verdict;
  if (!(await credentials.advanceCounter(factor.sid, stored.counter, verdict.newCounter, now))) {
    return { kind: 'counter_not_increased', stored: stored.counter, received: verdict.newCounter };
  }
  await trx.passkeyCeremonies.deleteForChallenge(challenge.sid);
  return { kind: 'approved' };
}
