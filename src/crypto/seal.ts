import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/**
 * Encrypts secrets at rest with AES-256-GCM. Output: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url),
 * so a secret sealed under a retired master key can still be opened and re-sealed on rotation.
 * `context` is bound as additional authenticated data, so a sealed value cannot be moved to another row.
 */
export function seal(keyring: Keyring, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.derive('secret-sealing'), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return ['v1', keyring.keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(keyring: Keyring, sealed: string, context: string): string {
  const [version, keyId, ivText, bodyText] = sealed.split('.');
  if (version !== 'v1' || !keyId || !ivText || !bodyText) throw new Error('malformed sealed secret');
  const key = keyring.deriveFor(keyId, 'secret-sealing');
  if (!key) throw new Error(`sealed under unknown master key ${keyId}`);
  const body = Buffer.from(bodyText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
}
