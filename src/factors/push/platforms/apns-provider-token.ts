import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '../../../crypto/clock.ts';

/**
 * A provider token is reused this long. Apple ("Establishing a token-based connection to APNs"):
 * refresh it no more than once every 20 minutes and no less than once every 60 minutes; APNs
 * refuses a token whose `iat` is more than an hour old (403 ExpiredProviderToken), and refreshing
 * too often is refused too (429 TooManyProviderTokenUpdates).
 */
export const PROVIDER_TOKEN_REUSE_MS = 50 * 60_000;

export interface ApnsSigningKey {
  /** The .p8 key (PKCS #8, P-256) from the Apple developer account. */
  key: KeyObject;
  /** Its 10-character Key ID (`kid`). */
  keyId: string;
  /** The 10-character Team ID (`iss`). */
  teamId: string;
}

/** The ES256 provider JWT every APNs request carries (`authorization: bearer …`), signed once and reused. */
export class ApnsProviderToken {
  private current: { token: string; issuedAt: number } | undefined;

  constructor(
    private readonly signing: ApnsSigningKey,
    private readonly clock: Clock,
  ) {}

  /** The token to send now: the one in use while it is younger than PROVIDER_TOKEN_REUSE_MS, else a new one. */
  async token(): Promise<string> {
    const now = this.clock.now();
    if (this.current && now - this.current.issuedAt < PROVIDER_TOKEN_REUSE_MS && now >= this.current.issuedAt) return this.current.token;
    const issuedAt = Math.floor(now / 1000);
    // Header {alg, kid} and claims {iss, iat}: exactly what Apple documents, nothing more.
    const token = await new SignJWT({ iss: this.signing.teamId, iat: issuedAt }).setProtectedHeader({ alg: 'ES256', kid: this.signing.keyId }).sign(this.signing.key);
    this.current = { token, issuedAt: issuedAt * 1000 };
    return token;
  }

  /** APNs said the token expired (403 ExpiredProviderToken): the next request signs a new one. */
  expire(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }
}
