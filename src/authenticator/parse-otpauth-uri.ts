import type { OtpAlgorithm } from '../factors/totp/otp.ts';
import { base32Decode } from '../factors/totp/otpauth-uri.ts';
import { AuthenticatorError } from './authenticator-error.ts';

/**
 * Reads the Key URI format authenticator apps scan from QR codes (Google Authenticator's
 * "Key Uri Format": otpauth://TYPE/[Issuer:]account?secret=…&issuer=…&algorithm=…&digits=…&period=…
 * or &counter=… for HOTP). The writer side is src/factors/totp/otpauth-uri.ts.
 */

export interface OtpauthKey {
  type: 'totp' | 'hotp';
  /** From the `issuer` parameter, else the label's prefix; null when neither is given. */
  issuer: string | null;
  /** The account part of the label. */
  account: string;
  /** Upper-case base32 without padding or spaces. */
  secret: string;
  algorithm: OtpAlgorithm;
  digits: number;
  /** TOTP only: the time step in seconds. */
  period?: number;
  /** HOTP only: the counter of the next code. */
  counter?: number;
}

const ALGORITHMS: Record<string, OtpAlgorithm> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

export function isOtpauthUri(text: string): boolean {
  return /^otpauth:\/\//i.test(text.trim());
}

export function parseOtpauthUri(text: string): OtpauthKey {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid('it is not a URI');
  }
  if (url.protocol !== 'otpauth:') throw invalid('expected the otpauth: scheme');
  const type = url.host.toLowerCase();
  if (type !== 'totp' && type !== 'hotp') throw invalid(`expected otpauth://totp/… or otpauth://hotp/…, not "${url.host}"`);

  const { labelIssuer, account } = splitLabel(decode(url.pathname.replace(/^\//, ''), 'label'));
  const params = url.searchParams;
  // The spec recommends both and says the parameter wins when they differ.
  const issuer = params.get('issuer') ?? labelIssuer;

  const secret = (params.get('secret') ?? '').replace(/[\s=]/g, '').toUpperCase();
  if (!secret) throw invalid('the secret parameter is missing');
  if (!/^[A-Z2-7]+$/.test(secret)) throw invalid('the secret is not base32 (A–Z, 2–7)');
  if (base32Decode(secret).length === 0) throw invalid('the secret is too short');

  const algorithmName = (params.get('algorithm') ?? 'SHA1').toUpperCase();
  const algorithm = ALGORITHMS[algorithmName];
  if (!algorithm) throw invalid(`unsupported algorithm "${params.get('algorithm')}" (expected SHA1, SHA256 or SHA512)`);

  // Verity issues 3 to 8 digits (Config.CodeLength), a wider range than Google's 6 or 8.
  const digits = integerParam(params, 'digits', 6, 3, 8);
  const key: OtpauthKey = { type, issuer: issuer || null, account, secret, algorithm, digits };
  if (type === 'totp') return { ...key, period: integerParam(params, 'period', 30, 1, 3600) };
  if (!params.has('counter')) throw invalid('an hotp URI needs the counter parameter');
  return { ...key, counter: integerParam(params, 'counter', 0, 0, Number.MAX_SAFE_INTEGER) };
}

/** "Issuer:account" (the colon may be URL-encoded, spaces may follow it) or just "account". */
function splitLabel(label: string): { labelIssuer: string | null; account: string } {
  const colon = label.indexOf(':');
  if (colon < 0) return { labelIssuer: null, account: label.trim() };
  return { labelIssuer: label.slice(0, colon).trim() || null, account: label.slice(colon + 1).trim() };
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`the ${what} is not correctly percent-encoded`);
  }
}

function integerParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

// Never echo the URI: it contains the secret.
const invalid = (reason: string) => new AuthenticatorError(`invalid otpauth URI: ${reason}`, { exitCode: 2 });
