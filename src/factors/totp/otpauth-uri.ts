import { HOTP, Secret, TOTP } from 'otpauth';
import type { OtpAlgorithm } from './otp.ts';

const LIBRARY_ALGORITHM = { sha1: 'SHA1', sha256: 'SHA256', sha512: 'SHA512' } as const;

export interface OtpauthUriInput {
  type: 'totp' | 'hotp';
  issuer: string;
  /** The account label shown in the authenticator app (the factor's friendly name). */
  label: string;
  secret: Uint8Array;
  algorithm: OtpAlgorithm;
  digits: number;
  period?: number;
  counter?: number;
}

/** The Key URI format authenticator apps read from QR codes (otpauth://totp/Issuer:label?secret=…). */
export function otpauthUri(input: OtpauthUriInput): string {
  const secret = new Secret({ buffer: input.secret.buffer.slice(input.secret.byteOffset, input.secret.byteOffset + input.secret.byteLength) as ArrayBuffer });
  const common = { issuer: input.issuer, label: input.label, secret, algorithm: LIBRARY_ALGORITHM[input.algorithm], digits: input.digits };
  return input.type === 'totp' ? new TOTP({ ...common, period: input.period ?? 30 }).toString() : new HOTP({ ...common, counter: input.counter ?? 0 }).toString();
}

export function base32Encode(secret: Uint8Array): string {
  return new Secret({ buffer: secret.buffer.slice(secret.byteOffset, secret.byteOffset + secret.byteLength) as ArrayBuffer }).base32;
}

export function base32Decode(text: string): Uint8Array {
  return new Uint8Array(Secret.fromBase32(text.replace(/[\s=]/g, '').toUpperCase()).buffer);
}
