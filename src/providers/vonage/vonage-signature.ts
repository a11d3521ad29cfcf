import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The SMS API's signature methods as the dashboard names them: `md5hash` (a salted MD5) or an HMAC. */
export const VONAGE_SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;
export type VonageSignatureMethod = (typeof VONAGE_SIGNATURE_METHODS)[number];

/**
 * The `sig` of a signed SMS API request or webhook (developer.vonage.com/getting-started/concepts/signing-messages):
 * every parameter but `sig`, sorted by name, as `&name=value` with `&` and `=` in values replaced by `_`;
 * then `md5hash` is the lowercase hex MD5 of that string followed by the secret, and the HMACs are the
 * uppercase hex HMAC of that string keyed by the secret. (As Vonage's SDKs: vonage-ruby-sdk
 * `Vonage::Signature#digest`, whose test vectors test/vectors/vonage-sms-signatures.json holds.)
 *
 * @example
 * vonageSignature({ a: '1', b: '2', timestamp: '1461605396' }, 'secret', 'md5hash'); // '6af838ef94998832dbfc29020b564830'
 */
export function vonageSignature(params: Readonly<Record<string, string>>, secret: string, method: VonageSignatureMethod): string {
  const signed = Object.keys(params)
    .filter((name) => name !== 'sig')
    // Default sort (UTF-16 code units), as the SDKs' sort of the keys.
    .sort()
    .map((name) => `&${name}=${(params[name] ?? '').replace(/[&=]/g, '_')}`)
    .join('');
  if (method === 'md5hash') return createHash('md5').update(`${signed}${secret}`, 'utf8').digest('hex');
  return createHmac(method, secret).update(signed, 'utf8').digest('hex').toUpperCase();
}

/**
 * Whether `params.sig` is the signature of `params` with `secret`. Hex is compared without regard to
 * case (Vonage documents lowercase for md5hash and uppercase for the HMACs; either spelling is the
 * same digest), in constant time.
 */
export function isValidVonageSignature(params: Readonly<Record<string, string>>, secret: string, method: VonageSignatureMethod): boolean {
  const given = params['sig'];
  if (typeof given !== 'string' || given === '' || secret === '') return false;
  const expected = Buffer.from(vonageSignature(params, secret, method).toLowerCase(), 'utf8');
  const actual = Buffer.from(given.toLowerCase(), 'utf8');
  // The length of each method's hex digest is fixed and public, so comparing it first leaks nothing.
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
