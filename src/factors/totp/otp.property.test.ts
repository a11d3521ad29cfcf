import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseOtpauthUri } from '../../authenticator/parse-otpauth-uri.ts';
import { hotp, totp, type OtpAlgorithm } from './otp.ts';
import { base32Decode, base32Encode, otpauthUri } from './otpauth-uri.ts';

/**
 * Properties of the one-time-password code, checked on generated keys, counters and times (fast-check,
 * fixed seed: a failure reproduces, and its counterexample is printed shrunk). The RFC vectors stay in
 * otp.test.ts; these cover the space between them.
 */
const RUNS = { seed: 4226, numRuns: 300 };

const key = fc.uint8Array({ minLength: 1, maxLength: 64 });
const algorithm = fc.constantFrom<OtpAlgorithm>('sha1', 'sha256', 'sha512');
const digits = fc.integer({ min: 6, max: 8 });

/** RFC 4226 §5.3 written out with node:crypto, independent of the otpauth library hotp() uses. */
function referenceHotp(secret: Uint8Array, counter: number, options: { algorithm: OtpAlgorithm; digits: number }): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(options.algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** options.digits;
  return String(binary).padStart(options.digits, '0');
}

test('hotp() is RFC 4226 §5.3 (HMAC, dynamic truncation, modulo 10^digits) for any key, counter, hash and length', () => {
  fc.assert(
    fc.property(key, fc.maxSafeNat(), algorithm, digits, (secret, counter, alg, n) => {
      assert.equal(hotp(secret, counter, { algorithm: alg, digits: n }), referenceHotp(secret, counter, { algorithm: alg, digits: n }));
    }),
    RUNS,
  );
});

test('totp() is the HOTP of the time step: the code changes only at step boundaries (RFC 6238 §4.2)', () => {
  fc.assert(
    fc.property(key, fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(15, 30, 60), fc.nat({ max: 59_999 }), (secret, unixMs, period, within) => {
      const options = { algorithm: 'sha1' as const, digits: 6, period, skew: 1 };
      const stepStart = Math.floor(unixMs / 1000 / period) * period * 1000;
      const sameStep = stepStart + (within % (period * 1000));
      assert.equal(totp(secret, unixMs, options), totp(secret, sameStep, options));
      assert.equal(totp(secret, unixMs, options), referenceHotp(secret, Math.floor(unixMs / 1000 / period), options));
    }),
    RUNS,
  );
});

test('base32 (RFC 4648 §6) round-trips any key, and decoding ignores case, spaces and padding', () => {
  fc.assert(
    fc.property(key, fc.boolean(), fc.integer({ min: 1, max: 8 }), (secret, lower, group) => {
      const encoded = base32Encode(secret);
      assert.match(encoded, /^[A-Z2-7]+$/);
      assert.deepEqual(base32Decode(encoded), secret);
      // As people type it from a screen: groups of letters, lower case, padded to 8 characters.
      const padded = encoded + '='.repeat((8 - (encoded.length % 8)) % 8);
      const typed = (lower ? padded.toLowerCase() : padded).replace(new RegExp(`(.{${group}})`, 'g'), '$1 ');
      assert.deepEqual(base32Decode(typed), secret);
    }),
    RUNS,
  );
});

test('an otpauth:// URI Verity writes reads back to the same key and parameters (writer ↔ the authenticator CLI’s reader)', () => {
  const label = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !s.includes(':') && s.trim() === s && s.length > 0);
  fc.assert(
    fc.property(key, algorithm, fc.integer({ min: 3, max: 8 }), label, label, fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 3600 })), fc.option(fc.maxSafeNat(), { nil: undefined }), (secret, alg, n, issuer, account, period, counter) => {
      const type = counter === undefined ? 'totp' : 'hotp';
      const uri = otpauthUri({ type, issuer, label: account, secret, algorithm: alg, digits: n, ...(period === undefined ? {} : { period }), ...(counter === undefined ? {} : { counter }) });
      const read = parseOtpauthUri(uri);
      assert.equal(read.type, type);
      assert.equal(read.issuer, issuer);
      assert.equal(read.account, account);
      assert.deepEqual(base32Decode(read.secret), secret);
      assert.equal(read.algorithm, alg);
      assert.equal(read.digits, n);
      if (type === 'totp') assert.equal(read.period, period ?? 30);
      else assert.equal(read.counter, counter);
    }),
    RUNS,
  );
});
