import type { AppContext } from '../context.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { FactorRow } from '../store/schema.ts';

/**
 * A factor's binding (TOTP secret, push public key) is sealed with AES-GCM under the master key,
 * with the factor's SID as associated data: a sealed value copied to another factor will not open.
 */
const bindingContext = (factorSid: string): string => `factor:${factorSid}`;

export function sealBinding(ctx: AppContext, factorSid: string, binding: string): string {
  return seal(ctx.keyring, binding, bindingContext(factorSid));
}

export function openBinding(ctx: AppContext, row: Pick<FactorRow, 'sid' | 'secret_sealed'>): string {
  return unseal(ctx.keyring, row.secret_sealed, bindingContext(row.sid));
}
