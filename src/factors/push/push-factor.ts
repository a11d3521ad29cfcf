import { createPublicKey, type KeyObject } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors/domain-error.ts';
import { invalidParameter } from '../../errors/verity-error.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../../store/schema.ts';
import { insertFactor } from '../factor-binding.ts';
import { announceOutbox, recordFactorEvent } from '../record-factor-event.ts';
import { JWT_TYPES, type FactorVerificationClaims } from './push-protocol.ts';
import { verifyDeviceStatement } from './device-statements.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type PushFactorDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'logger' | 'stores'>;

/** `config` of a push factor, as stored and returned (the hosted API's fields). */
interface PushConfig {
  sdk_version: string | null;
  app_id: string | null;
  notification_platform: 'apn' | 'fcm' | 'none';
  notification_token: string | null;
}

export interface CreatePushFactorInput {
  friendlyName: string;
  alg: string | undefined;
  publicKey: string | undefined;
  notificationPlatform?: 'apn' | 'fcm' | 'none' | undefined;
  notificationToken?: string | undefined;
  appId?: string | undefined;
  sdkVersion?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/**
 * Parses `Binding.PublicKey`: base64 DER SubjectPublicKeyInfo of a P-256 key (the only curve ES256
 * allows). Anything else is refused with a message that says what was expected.
 */
function parsePublicKey(text: string | undefined): KeyObject {
  if (text === undefined || text === '') throw invalidParameter('Binding.PublicKey', 'required');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw invalidParameter('Binding.PublicKey', 'expected base64 DER (SubjectPublicKeyInfo) of a P-256 key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw invalidParameter('Binding.PublicKey', 'expected base64 DER (SubjectPublicKeyInfo) of a P-256 key');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw invalidParameter('Binding.PublicKey', 'expected a P-256 (prime256v1) EC key, as ES256 requires');
  }
  return key;
}

/** Checks a push factor's parameters (before a single-use enrollment token is spent); returns its key. */
export function checkPushFactorInput(input: Omit<CreatePushFactorInput, 'friendlyName'>): KeyObject {
  if (input.alg === undefined) throw invalidParameter('Binding.Alg', 'required');
  if (input.alg !== 'ES256') throw invalidParameter('Binding.Alg', 'expected ES256');
  const publicKey = parsePublicKey(input.publicKey);
  const platform = input.notificationPlatform ?? 'none';
  if (platform !== 'none' && input.notificationToken === undefined) throw invalidParameter('Config.NotificationToken', `required when Config.NotificationPlatform is ${platform}`);
  return publicKey;
}

/**
 * Creates an unverified push factor bound to the device's public key. It is verified by the
 * device's first correctly signed statement (verifyPushFactor).
 */
export async function createPushFactor(ctx: PushFactorDeps, service: ServiceRow, entity: EntityRow, input: CreatePushFactorInput): Promise<{ row: FactorRow; binding: { alg: string; public_key: string } }> {
  const publicKey = checkPushFactorInput(input);
  const platform = input.notificationPlatform ?? 'none';
  // Stored in the canonical DER encoding, whatever equivalent form the client sent.
  const der = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const config: PushConfig = {
    sdk_version: input.sdkVersion ?? null,
    app_id: input.appId ?? null,
    notification_platform: platform,
    notification_token: input.notificationToken ?? null,
  };
  const row = await insertFactor(ctx, service, entity, { factorType: 'push', friendlyName: input.friendlyName, binding: der, config, metadata: input.metadata });
  return { row, binding: { alg: 'ES256', public_key: der } };
}

/**
 * Verifies a push factor with the device's signed statement `{factor_sid, status: "verified", iat}`.
 * A statement that does not verify is refused with 60311 and logged; on a factor already verified
 * a valid statement changes nothing.
 */
async function verifyPushFactor(ctx: PushFactorDeps, factor: FactorRow, authPayload: string | undefined): Promise<FactorRow> {
  if (authPayload === undefined || authPayload === '') throw invalidParameter('AuthPayload', 'required');
  const claims = await verifyDeviceStatement<FactorVerificationClaims>(ctx, factor, authPayload, JWT_TYPES.factorVerification);
  if (!claims || claims.factor_sid !== factor.sid || claims.status !== 'verified') {
    ctx.logger.warn({ factorSid: factor.sid, reason: claims ? 'claims do not match the factor' : 'bad signature' }, 'push factor verification refused');
    throw new DomainError('factor_verification_failed', 'Factor verification failed: AuthPayload is not a statement signed by the bound key');
  }
  if (factor.status === 'verified') return factor;
  const now = ctx.clock.now();
  const verified = await ctx.stores.transaction(async (trx) => {
    const row = await trx.factors.verify(factor.sid, now);
    if (row) await recordFactorEvent(ctx, trx, 'factor.verified', row);
    return row;
  });
  if (verified) announceOutbox(ctx, 'factor.verified', factor.sid);
  return verified ?? { ...factor, status: 'verified' };
}

export interface UpdatePushFactorInput {
  authPayload?: string | undefined;
  friendlyName?: string | undefined;
  notificationPlatform?: 'apn' | 'fcm' | 'none' | undefined;
  notificationToken?: string | undefined;
  sdkVersion?: string | undefined;
}

/**
 * POST …/Factors/{YF} of a push factor: `AuthPayload` verifies it (verifyPushFactor), and, as the
 * hosted API allows, `FriendlyName`, `Config.NotificationPlatform`, `Config.NotificationToken` and
 * `Config.SdkVersion` change (a phone's token changes when the app is reinstalled or restored). A
 * new token lifts the mark a provider's refusal of the old one left (push_device_marks).
 */
export async function updatePushFactor(ctx: PushFactorDeps, factor: FactorRow, input: UpdatePushFactorInput): Promise<FactorRow> {
  const changes = input.friendlyName !== undefined || input.notificationPlatform !== undefined || input.notificationToken !== undefined || input.sdkVersion !== undefined;
  if (input.authPayload === undefined && !changes) throw invalidParameter('AuthPayload', 'required');
  const config = JSON.parse(factor.config) as PushConfig;
  const next: PushConfig = {
    ...config,
    notification_platform: input.notificationPlatform ?? config.notification_platform,
    notification_token: input.notificationToken ?? config.notification_token,
    sdk_version: input.sdkVersion ?? config.sdk_version,
  };
  if (next.notification_platform !== 'none' && next.notification_token === null) throw invalidParameter('Config.NotificationToken', `required when Config.NotificationPlatform is ${next.notification_platform}`);
  let row = input.authPayload === undefined ? factor : await verifyPushFactor(ctx, factor, input.authPayload);
  if (!changes) return row;
  const tokenChanged = next.notification_token !== config.notification_token || next.notification_platform !== config.notification_platform;
  const updated = await ctx.stores.transaction(async (trx) => {
    const saved = await trx.factors.update(factor.sid, { config: JSON.stringify(next), friendly_name: input.friendlyName ?? row.friendly_name, date_updated: ctx.clock.now() });
    if (tokenChanged) await trx.pushDeviceMarks.clear(factor.sid);
    return saved;
  });
  row = updated ?? row;
  return row;
}
