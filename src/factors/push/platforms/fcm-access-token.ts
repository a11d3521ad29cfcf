import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '../../../crypto/clock.ts';
import type { Http2Origin } from './http2-origin.ts';

/** The OAuth 2.0 scope of the FCM HTTP v1 API. */
const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** A cached access token is replaced this long before it expires, so no request carries one about to lapse. */
const ACCESS_TOKEN_MARGIN_MS = 5 * 60_000;

/** The fields of a Google service-account key file (JSON) that the OAuth flow needs. */
export interface ServiceAccount {
  projectId: string;
  clientEmail: string;
  privateKeyId: string | undefined;
  privateKey: KeyObject;
  tokenUri: string;
}

/** Parses a service-account key file; throws with what is missing or wrong (never the key). */
export function parseServiceAccount(text: string): ServiceAccount {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('not JSON (expected a Google service-account key file)');
  }
  const str = (name: string): string => {
    const value = json[name];
    if (typeof value !== 'string' || value === '') throw new Error(`"${name}" missing (expected a Google service-account key file)`);
    return value;
  };
  if (json.type !== 'service_account') throw new Error('"type" is not "service_account"');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(str('private_key'));
  } catch {
    throw new Error('"private_key" is not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('"private_key" is not an RSA key (RS256)');
  return { projectId: str('project_id'), clientEmail: str('client_email'), privateKeyId: typeof json.private_key_id === 'string' ? json.private_key_id : undefined, privateKey, tokenUri: str('token_uri') };
}

/**
 * OAuth 2.0 access tokens for FCM by the JWT bearer grant (RFC 7523 §2.1, Google's "Using OAuth 2.0
 * for Server to Server Applications"): an assertion signed RS256 with the service account's key is
 * exchanged at `token_uri`; the token is cached until ACCESS_TOKEN_MARGIN_MS before it expires, and
 * concurrent sends share one exchange.
 */
export class FcmAccessToken {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly account: ServiceAccount,
    /** The token endpoint's origin connection and the path of `tokenUri` on it. */
    private readonly endpoint: { connection: Http2Origin; path: string; audience: string },
    private readonly clock: Clock,
  ) {}

  async token(): Promise<string> {
    const now = this.clock.now();
    if (this.cached && now < this.cached.expiresAt - ACCESS_TOKEN_MARGIN_MS) return this.cached.token;
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** FCM refused the token (401): the next send exchanges a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async exchange(): Promise<string> {
    const issuedAt = Math.floor(this.clock.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', ...(this.account.privateKeyId ? { kid: this.account.privateKeyId } : {}) };
    const assertion = await new SignJWT({ scope: FCM_SCOPE })
      .setProtectedHeader(header)
      .setIssuer(this.account.clientEmail)
      .setAudience(this.endpoint.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 3600)
      .sign(this.account.privateKey);
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
    const response = await this.endpoint.connection.request('POST', this.endpoint.path, { 'content-type': 'application/x-www-form-urlencoded' }, body);
    let json: { access_token?: unknown; expires_in?: unknown; error?: unknown };
    try {
      json = JSON.parse(response.body) as typeof json;
    } catch {
      json = {};
    }
    if (response.status !== 200 || typeof json.access_token !== 'string') {
      throw new Error(`token endpoint answered ${response.status}${typeof json.error === 'string' ? ` ${json.error}` : ''}`);
    }
    const lifetime = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600;
    this.cached = { token: json.access_token, expiresAt: issuedAt * 1000 + lifetime * 1000 };
    return json.access_token;
  }
}
