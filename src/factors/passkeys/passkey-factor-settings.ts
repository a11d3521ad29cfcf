import type { StoreSet } from '../../store/store-set.ts';
import type { ServiceRow } from '../../store/schema.ts';

/**
 * The `Passkeys.*` service settings a passkey factor created through `POST …/Passkeys/Factors`
 * overrides with its `config` (relying party, authenticator criteria), by setting key. Stored with
 * the factor (migration 0022) so its registration and every later challenge use the same relying
 * party; a factor without a row uses its service's settings.
 */
export type PasskeySettingOverrides = Partial<Record<PasskeySettingKey, string>>;

type PasskeySettingKey =
  | 'Passkeys.RelyingParty.Id'
  | 'Passkeys.RelyingParty.Name'
  | 'Passkeys.RelyingParty.Origins'
  | 'Passkeys.AuthenticatorAttachment'
  | 'Passkeys.DiscoverableCredentials'
  | 'Passkeys.UserVerification';

/** The service as one factor sees it: its `Passkeys.*` settings with the factor's overrides on top. */
export function withOverrides(service: ServiceRow, overrides: PasskeySettingOverrides): ServiceRow {
  return Object.keys(overrides).length === 0 ? service : { ...service, extras: { ...service.extras, ...overrides } };
}

/** The service as the factor `factorSid` sees it (its stored overrides, if it has any). */
export async function serviceForFactor(stores: Pick<StoreSet, 'passkeyFactorSettings'>, service: ServiceRow, factorSid: string): Promise<ServiceRow> {
  const row = await stores.passkeyFactorSettings.find(factorSid);
  return row ? withOverrides(service, JSON.parse(row.settings) as PasskeySettingOverrides) : service;
}
