// TOTP (RFC 6238) on WebCrypto: HOTP's HMAC and dynamic truncation (RFC 4226 section 5.3)
// over the time step T = floor((now - T0) / X), with T0 = 0.

const HASHES = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' };
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored). */
export function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error('The secret is not base32');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

/**
 * Reads an otpauth://totp URI (Google Authenticator's Key Uri Format): the label, and the
 * secret, issuer, algorithm, digits and period parameters.
 */
export function parseOtpauthUri(uri) {
  let url;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new Error('Expected an otpauth://totp/… URI');
  }
  if (url.protocol !== 'otpauth:') throw new Error('Expected an otpauth://totp/… URI');
  // Chromium parses otpauth://totp/x with an empty host and "//totp/x" as the path; other browsers differ.
  const rest = (url.host ? `${url.host}${url.pathname}` : url.pathname.replace(/^\/\//, '')).split('/');
  const type = rest.shift()?.toLowerCase();
  if (type !== 'totp') throw new Error(`Only TOTP is supported, not "${type ?? ''}"`);
  const label = decodeURIComponent(rest.join('/'));
  const params = url.searchParams;
  const secretText = params.get('secret');
  if (!secretText) throw new Error('The URI has no secret');
  const secret = base32Decode(secretText);
  if (secret.length === 0) throw new Error('The secret is empty');
  const algorithm = (params.get('algorithm') ?? 'SHA1').toUpperCase();
  if (!(algorithm in HASHES)) throw new Error(`Unsupported algorithm ${algorithm}: expected SHA1, SHA256 or SHA512`);
  const digits = Number(params.get('digits') ?? 6);
  if (!Number.isInteger(digits) || digits < 6 || digits > 10) throw new Error('Digits must be 6 to 10');
  const period = Number(params.get('period') ?? 30);
  if (!Number.isInteger(period) || period < 1 || period > 300) throw new Error('Period must be 1 to 300 seconds');
  const [labelIssuer, account] = label.includes(':') ? label.split(/:(.*)/s) : [undefined, label];
  const issuer = params.get('issuer') ?? labelIssuer ?? '';
  return { issuer, account: (account ?? '').trim(), secret, algorithm, digits, period };
}

/** The HOTP value (RFC 4226 section 5.3) of `counter`, `digits` long. */
export async function hotp(secret, counter, { algorithm = 'SHA1', digits = 6 } = {}) {
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: HASHES[algorithm] }, false, ['sign']);
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message.buffer));
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code at `nowMs` and the seconds left in its time step. */
export async function totpAt(account, nowMs) {
  const seconds = Math.floor(nowMs / 1000);
  const step = Math.floor(seconds / account.period);
  const code = await hotp(account.secret, step, account);
  return { code, secondsLeft: account.period - (seconds % account.period) };
}
