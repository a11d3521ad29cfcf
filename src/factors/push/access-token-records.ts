import type { Clock } from '../../crypto/clock.ts';
import type { Keyring } from '../../crypto/keyring.ts';
import { seal, unseal } from '../../crypto/seal.ts';
import type { StoreSet } from '../../store/store-set.ts';
import type { IssuedEnrollmentToken } from './enrollment-tokens.ts';

type AccessTokenDeps = { stores: Pick<StoreSet, 'accessTokens'>; keyring: Keyring; clock: Clock };

/** The sealing context binds a sealed token to its row: it cannot be moved to another SID. */
const context = (sid: string): string => `access-token:${sid}`;

/**
 * Keeps an issued AccessToken until its ttl ends, so `GET …/AccessTokens/{YK}` can answer it as the
 * hosted API does (with its `token`). The token is a bearer credential that enrolls a device: it is
 * stored sealed (src/crypto/seal.ts), never in the clear.
 */
export async function recordAccessToken(deps: AccessTokenDeps, issued: IssuedEnrollmentToken): Promise<void> {
  await deps.stores.accessTokens.insert(
    {
      sid: issued.sid,
      account_sid: issued.accountSid,
      service_sid: issued.serviceSid,
      entity_identity: issued.identity,
      factor_type: 'push',
      factor_friendly_name: issued.friendlyName,
      token_sealed: seal(deps.keyring, issued.token, context(issued.sid)),
      ttl: issued.ttlSeconds,
      date_created: issued.issuedAt,
      expires_at: issued.issuedAt + issued.ttlSeconds * 1000,
    },
    deps.clock.now(),
  );
}

/** An AccessToken of this account and service that has not expired, as issued; undefined otherwise (20404 at the edge). */
export async function fetchAccessToken(deps: AccessTokenDeps, accountSid: string, serviceSid: string, sid: string): Promise<IssuedEnrollmentToken | undefined> {
  const row = await deps.stores.accessTokens.findLive(accountSid, serviceSid, sid, deps.clock.now());
  if (!row) return undefined;
  return {
    sid: row.sid,
    accountSid: row.account_sid,
    serviceSid: row.service_sid,
    identity: row.entity_identity,
    friendlyName: row.factor_friendly_name,
    token: unseal(deps.keyring, row.token_sealed, context(row.sid)),
    ttlSeconds: row.ttl,
    issuedAt: row.date_created,
  };
}
