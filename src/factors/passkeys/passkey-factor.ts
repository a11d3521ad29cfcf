import type { PublicKeyCredentialCreationOptionsJSON, VerifiedRegistrationResponse } from '@simplewebauthn/server';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { isoSeconds } from '../../time/format.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { insertFactor, openBinding, sealBinding } from '../factor-binding.ts';
import { announceOutbox, recordFactorEvent } from '../record-factor-event.ts';
import { MAX_FACTOR_VERIFY_ATTEMPTS } from '../totp/totp-factor.ts';
import { PASSKEY_CEREMONY_TTL_MS, parseRegistrationResponse, type PasskeyBinding, type PasskeyConfig } from './passkey-protocol.ts';
import { serviceForFactor } from './passkey-factor-settings.ts';
import { passkeySettings } from './passkey-settings.ts';
import { webauthnServer } from './webauthn-server.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type PasskeyFactorDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores'>;

/** The `binding` of a new passkey factor: what the browser passes to navigator.credentials.create(). */
export interface PasskeyRegistrationBinding {
  registration_options: PublicKeyCredentialCreationOptionsJSON;
  expiration_date: string;
}

export function openPasskeyBinding(ctx: PasskeyFactorDeps, factor: FactorRow): PasskeyBinding {
  return JSON.parse(openBinding(ctx, factor)) as PasskeyBinding;
}

/**
 * Creates an unverified passkey factor and the WebAuthn registration options for it (attestation
 * `none`: Verity trusts the browser's origin check, not the authenticator's make). The user handle
 * is the entity SID (opaque, never PII); the entity's passkeys are excluded so one authenticator is
 * not registered twice. The challenge is kept only inside the factor's sealed binding, for five
 * minutes.
 */
export async function createPasskeyFactor(
  ctx: PasskeyFactorDeps,
  service: ServiceRow,
  entity: EntityRow,
  input: {
    friendlyName: string;
    metadata?: Record<string, unknown> | undefined;
    /** WebAuthn `user.name` and `user.displayName` (what the passkey manager shows): a display name. Absent: `name` is the identity and `displayName` the friendly name, as the API has it. */
    accountName?: string | undefined;
  },
): Promise<{ row: FactorRow; binding: PasskeyRegistrationBinding }> {
  const settings = passkeySettings(service);
  const existing = await ctx.stores.passkeyCredentials.listForEntity(entity.sid);
  const options = await (await webauthnServer()).generateRegistrationOptions({
    rpName: settings.rpName,
    rpID: settings.rpId,
    userName: input.accountName ?? entity.identity,
    userID: new TextEncoder().encode(entity.sid),
    userDisplayName: input.accountName ?? input.friendlyName,
    timeout: PASSKEY_CEREMONY_TTL_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((id) => ({ id })),
    authenticatorSelection: {
      residentKey: settings.residentKey,
      userVerification: settings.userVerification,
      ...(settings.attachment ? { authenticatorAttachment: settings.attachment } : {}),
    },
  });
  const expiresAt = ctx.clock.now() + PASSKEY_CEREMONY_TTL_MS;
  const binding: PasskeyBinding = { registration: { challenge: options.challenge, user_id: options.user.id, expires_at: expiresAt } };
  const config: PasskeyConfig = { relying_party_id: settings.rpId, transports: [], credential_device_type: null };
  const row = await insertFactor(ctx, service, entity, { factorType: 'passkeys', friendlyName: input.friendlyName, binding: JSON.stringify(binding), config, metadata: input.metadata });
  return { row, binding: { registration_options: options, expiration_date: isoSeconds(expiresAt) } };
}

type Outcome = { row: FactorRow; error?: undefined } | { row?: undefined; error: DomainError };

/**
 * POST …/Factors/{YF} with AuthPayload = the browser's RegistrationResponseJSON. A response that
 * verifies (challenge, origin, RP ID hash, user presence, user verification when required) makes
 * the factor `verified` and stores its credential; one that does not is refused with 60311 and
 * counts toward the factor's five attempts (then 60310); an expired registration is 64201.
 */
export async function verifyPasskeyFactor(ctx: PasskeyFactorDeps, service: ServiceRow, factor: FactorRow, authPayload: string | undefined): Promise<FactorRow> {
  const response = parseRegistrationResponse(authPayload);
  if (factor.status === 'verified') return factor;
  // A factor created through POST …/Passkeys/Factors may carry its own relying party (its `config`).
  const settings = passkeySettings(await serviceForFactor(ctx.stores, service, factor.sid));
  const outcome = await ctx.stores.transaction(async (trx): Promise<Outcome> => {
    const now = ctx.clock.now();
    const factors = trx.factors;
    const counted = await factors.countVerifyAttempt(factor.sid, now, MAX_FACTOR_VERIFY_ATTEMPTS);
    if (!counted) {
      const latest = await factors.find(factor.entity_sid, factor.sid);
      if (latest?.status === 'verified') return { row: latest };
      return { error: new DomainError('factor_attempts_exhausted', 'Factor verification attempts limit: too many failed registrations, create a new factor') };
    }
    const binding = openPasskeyBinding(ctx, counted);
    if (!('registration' in binding)) return { row: counted };
    if (binding.registration.expires_at <= now) return { error: new DomainError('passkey_registration_expired', 'Passkey registration expired: the registration options are valid for 5 minutes; delete this factor and create a new one') };
    let verified: VerifiedRegistrationResponse;
    const { verifyRegistrationResponse } = await webauthnServer();
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: binding.registration.challenge,
        expectedOrigin: settings.origins,
        expectedRPID: settings.rpId,
        requireUserVerification: settings.userVerification === 'required',
      });
    } catch (error) {
      ctx.logger.warn({ factorSid: factor.sid, reason: (error as Error).message }, 'passkey registration refused');
      return { error: new DomainError('factor_verification_failed', 'Factor verification failed: the AuthPayload is not a valid WebAuthn registration for this factor (challenge, origin, relying party)') };
    }
    if (!verified.verified) return { error: new DomainError('factor_verification_failed', 'Factor verification failed: the AuthPayload is not a valid WebAuthn registration for this factor') };
    const info = verified.registrationInfo;
    const credentials = trx.passkeyCredentials;
    const transports = info.credential.transports ?? [];
    const stored: PasskeyBinding = {
      credential: {
        id: info.credential.id,
        public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
        transports,
        device_type: info.credentialDeviceType,
        backed_up: info.credentialBackedUp,
        aaguid: info.aaguid,
      },
    };
    const config: PasskeyConfig = { relying_party_id: settings.rpId, transports, credential_device_type: info.credentialDeviceType };
    const row = await credentials.register(
      { factor_sid: counted.sid, service_sid: counted.service_sid, entity_sid: counted.entity_sid, credential_id: info.credential.id, counter: info.credential.counter, date_created: now, date_last_used: null },
      { secretSealed: sealBinding(ctx, counted.sid, JSON.stringify(stored)), config: JSON.stringify(config) },
      now,
    );
    if (row === 'duplicate') return { error: new DomainError('factor_verification_failed', 'Factor verification failed: this passkey is already registered in the service') };
    if (!row) return { row: (await factors.find(counted.entity_sid, counted.sid)) ?? counted };
    await recordFactorEvent(ctx, trx, 'factor.verified', row);
    return { row };
  });
  if (outcome.error) throw outcome.error;
  // `factor` was unverified (checked above), so a verified outcome is this call's doing.
  if (outcome.row.status === 'verified') announceOutbox(ctx, 'factor.verified', factor.sid);
  return outcome.row;
}
