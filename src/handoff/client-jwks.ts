import { importJWK, type JWK } from 'jose';
import { invalidParameter } from '../errors/verity-error.ts';

export type JwksAlgorithm = 'ES256' | 'EdDSA';

const MAX_KEYS = 10;

/**
 * Validates a client's JWKS (RFC 7517 §5): 1–10 public keys, all EC P-256 (ES256) or all OKP Ed25519
 * (EdDSA). A private key (`d`) is refused: the client must keep it.
 */
export async function parseClientJwks(text: string): Promise<{ jwks: { keys: JWK[] }; algorithm: JwksAlgorithm }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('Jwks', 'expected a JSON Web Key Set');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) throw invalidParameter('Jwks', `expected {"keys": [...]} with 1 to ${MAX_KEYS} keys`);
  const algorithms = new Set<JwksAlgorithm>();
  const out: JWK[] = [];
  for (const key of keys as unknown[]) {
    if (!key || typeof key !== 'object') throw invalidParameter('Jwks', 'every key must be a JSON object');
    const jwk = key as JWK;
    if ('d' in jwk) throw invalidParameter('Jwks', 'must contain public keys only');
    const algorithm: JwksAlgorithm | undefined = jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : undefined;
    if (!algorithm) throw invalidParameter('Jwks', 'expected EC P-256 (ES256) or OKP Ed25519 (EdDSA) keys');
    if (jwk.alg !== undefined && jwk.alg !== algorithm && !(algorithm === 'EdDSA' && jwk.alg === 'Ed25519')) throw invalidParameter('Jwks', `a ${jwk.crv} key cannot have alg ${jwk.alg}`);
    if (jwk.use !== undefined && jwk.use !== 'sig') throw invalidParameter('Jwks', 'keys must be signing keys (use "sig")');
    try {
      await importJWK({ ...jwk, alg: algorithm }, algorithm);
    } catch {
      throw invalidParameter('Jwks', 'a key is not a valid public key');
    }
    algorithms.add(algorithm);
    const { kty, crv, x, y, kid } = jwk;
    out.push({ kty, crv, x, ...(y !== undefined ? { y } : {}), ...(kid !== undefined ? { kid } : {}), alg: algorithm, use: 'sig' } as JWK);
  }
  if (algorithms.size > 1) throw invalidParameter('Jwks', 'all keys must be of one type (ES256 or EdDSA)');
  const kids = out.map((k) => k.kid);
  if (out.length > 1 && (kids.some((k) => k === undefined) || new Set(kids).size !== kids.length)) throw invalidParameter('Jwks', 'with several keys, each needs a distinct kid');
  return { jwks: { keys: out }, algorithm: [...algorithms][0] as JwksAlgorithm };
}
