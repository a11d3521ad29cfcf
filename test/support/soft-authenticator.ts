import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software WebAuthn authenticator for tests without a browser: it answers registration and
 * authentication options as a browser plus a platform authenticator would (WebAuthn §6.1 authenticator
 * data, §6.5 attestation object with fmt "none", §5.8.1 client data), with an ES256 (P-256) key.
 * Tests can change what a real client would never send: the origin, the RP ID, the counter, the
 * signature.
 */

// --- a tiny CBOR encoder (RFC 8949 §3): unsigned and negative integers, byte and text strings, maps.
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}

export function encodeCbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(encodeCbor(k), encodeCbor(v));
  return Buffer.concat(parts);
}

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

/** Authenticator data flags (WebAuthn §6.1). */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

interface Credential {
  id: Buffer;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

export interface CeremonyOverrides {
  /** The origin the "browser" reports (default: the authenticator's origin). */
  origin?: string;
  /** The RP ID whose hash goes into the authenticator data (default: the options' RP ID). */
  rpId?: string;
  /** The signature counter to report instead of the next one. */
  counter?: number;
  /** Flip a bit of the signature. */
  tamperSignature?: boolean;
  /** false: the authenticator reports user presence only, without the UV flag (no biometric or PIN). */
  userVerified?: boolean;
  /** Registration: the new credential's id instead of random bytes (an attacker's authenticator reusing one). */
  credentialId?: Buffer;
}

export interface RegistrationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
  excludeCredentials?: Array<{ id: string }>;
}

export interface AuthenticationOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: Array<{ id: string }>;
}

export class SoftAuthenticator {
  private readonly credentials: Credential[] = [];

  /**
   * @param origin the origin of the page that runs the ceremonies, e.g. `https://login.example.com`.
   * @param counterStep how much the signature counter grows per assertion; 0 for an authenticator
   *   that keeps no counter (as synced passkeys do).
   */
  constructor(
    readonly origin: string,
    private readonly counterStep = 1,
  ) {}

  /** navigator.credentials.create({publicKey: options}) then toJSON(). */
  register(options: RegistrationOptions, overrides: CeremonyOverrides = {}) {
    const rpId = overrides.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    if (options.excludeCredentials?.some((c) => this.credentials.some((own) => b64url(own.id) === c.id))) throw new Error('InvalidStateError: already registered');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = encodeCbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const credential: Credential = { id: overrides.credentialId ?? randomBytes(32), rpId, userHandle: options.user.id, privateKey, counter: overrides.counter ?? 0 };
    this.credentials.push(credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([UP | UV | AT]), counterBytes(credential.counter), Buffer.alloc(16), idLength, credential.id, cose]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: overrides.origin ?? this.origin, crossOrigin: false }));
    const attestationObject = encodeCbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    const id = b64url(credential.id);
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal' as const] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  /**
   * navigator.credentials.get({publicKey: options}) then toJSON(): signs with the first credential
   * for the RP ID that options allow (any of its credentials when allowCredentials is empty).
   */
  authenticate(options: AuthenticationOptions, overrides: CeremonyOverrides = {}) {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = options.allowCredentials ?? [];
    const credential = this.credentials.find((c) => c.rpId === rpId && (allowed.length === 0 || allowed.some((a) => a.id === b64url(c.id))));
    if (!credential) throw new Error('NotAllowedError: no credential for these options');
    credential.counter = overrides.counter ?? credential.counter + this.counterStep;
    const authData = Buffer.concat([sha256(overrides.rpId ?? rpId), Buffer.from([overrides.userVerified === false ? UP : UP | UV]), counterBytes(credential.counter)]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: overrides.origin ?? this.origin, crossOrigin: false }));
    // WebAuthn §6.3.3 step 11: the signature is over authenticatorData ‖ SHA-256(clientDataJSON).
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    if (overrides.tamperSignature) signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
    const id = b64url(credential.id);
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: credential.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }
}

function counterBytes(counter: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(counter);
  return b;
}
