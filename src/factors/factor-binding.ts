import type { AppContext } from '../context.ts';
import { seal, unseal } from '../crypto/seal.ts';
import { newSid } from '../crypto/random.ts';
import type { EntityRow, FactorRow, ServiceRow } from '../store/schema.ts';
import { announceOutbox, recordFactorEvent } from './record-factor-event.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type FactorBindingDeps = Pick<AppContext, 'bus' | 'clock' | 'keyring' | 'stores'>;

/**
 * A factor's binding (TOTP secret, push public key) is sealed with AES-GCM under the master key,
 * with the factor's SID as associated data: a sealed value copied to another factor will not open.
 */
const bindingContext = (factorSid: string): string => `factor:${factorSid}`;

export function sealBinding(ctx: FactorBindingDeps, factorSid: string, binding: string): string {
  return seal(ctx.keyring, binding, bindingContext(factorSid));
}

export function openBinding(ctx: FactorBindingDeps, row: Pick<FactorRow, 'sid' | 'secret_sealed'>): string {
  return unseal(ctx.keyring, row.secret_sealed, bindingContext(row.sid));
}

export interface NewFactor {
  factorType: 'totp' | 'push' | 'voiceprint' | 'passkeys';
  friendlyName: string;
  /** The binding in clear (TOTP secret, push public key); sealed here. */
  binding: string;
  config: object;
  metadata?: Record<string, unknown> | undefined;
}

/** Stores a new unverified factor with its sealed binding and records `factor.created`, in one transaction. */
export async function insertFactor(ctx: FactorBindingDeps, service: ServiceRow, entity: EntityRow, factor: NewFactor): Promise<FactorRow> {
  const now = ctx.clock.now();
  const sid = newSid('YF');
  const row: FactorRow = {
    sid,
    account_sid: service.account_sid,
    service_sid: service.sid,
    entity_sid: entity.sid,
    identity: entity.identity,
    friendly_name: factor.friendlyName,
    factor_type: factor.factorType,
    status: 'unverified',
    secret_sealed: sealBinding(ctx, sid, factor.binding),
    config: JSON.stringify(factor.config),
    metadata: factor.metadata ?? null,
    last_used_step: null,
    verify_attempts: 0,
    date_created: now,
    date_updated: now,
  };
  await ctx.stores.transaction(async (trx) => {
    await trx.factors.insert(row);
    await recordFactorEvent(ctx, trx, 'factor.created', row);
  });
  announceOutbox(ctx, 'factor.created', row.sid);
  return row;
}
