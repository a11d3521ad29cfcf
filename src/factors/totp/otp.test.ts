import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { hotp, timeStep, totp, type OtpAlgorithm } from './otp.ts';
import { base32Decode, base32Encode, otpauthUri } from './otpauth-uri.ts';
import { resyncHotp, verifyHotp } from './verify-hotp.ts';
import { verifyTotp } from './verify-totp.ts';

const vector = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../../test/vectors/${name}`, import.meta.url), 'utf8')) as T;
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

describe('RFC 4226 Appendix D', () => {
  const d = vector<{ secretAscii: string; digits: number; values: Array<{ count: number; hotp: string }> }>('rfc4226-appendix-d.json');
  for (const { count, hotp: expected } of d.values) {
    it(`count ${count} → ${expected}`, () => {
      assert.equal(hotp(ascii(d.secretAscii), count, { algorithm: 'sha1', digits: d.digits }), expected);
    });
  }
});

describe('RFC 6238 Appendix B', () => {
  const b = vector<{ period: number; digits: number; seeds: Record<OtpAlgorithm, string>; values: Array<{ unixSeconds: number; step: string; totp: Record<OtpAlgorithm, string> }> }>('rfc6238-appendix-b.json');
  for (const row of b.values) {
    for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
      it(`${algorithm} at ${row.unixSeconds} → ${row.totp[algorithm]}`, () => {
        assert.equal(timeStep(row.unixSeconds * 1000, b.period), parseInt(row.step, 16));
        assert.equal(totp(ascii(b.seeds[algorithm]), row.unixSeconds * 1000, { algorithm, digits: b.digits, period: b.period, skew: 0 }), row.totp[algorithm]);
      });
    }
  }
});

describe('TOTP verification', () => {
  const secret = ascii('12345678901234567890');
  const options = { algorithm: 'sha1' as const, digits: 8, period: 30, skew: 1 };

  it('accepts the current step and ±skew, nothing further', () => {
    const at = 1_111_111_111_000;
    const code = totp(secret, at, options);
    assert.deepEqual(verifyTotp(secret, code, at, options, null), { valid: true, step: timeStep(at, 30) });
    assert.equal(verifyTotp(secret, code, at + 30_000, options, null).valid, true);
    assert.equal(verifyTotp(secret, code, at - 30_000, options, null).valid, true);
    assert.deepEqual(verifyTotp(secret, code, at + 60_000, options, null), { valid: false, reason: 'wrong_code' });
    assert.equal(verifyTotp(secret, code, at + 30_000, { ...options, skew: 0 }, null).valid, false);
  });

  it('accepts each time step once, and nothing older than the last accepted step', () => {
    const at = 1_234_567_890_000;
    const code = totp(secret, at, options);
    const first = verifyTotp(secret, code, at, options, null);
    assert.equal(first.valid, true);
    const step = (first as { step: number }).step;
    assert.deepEqual(verifyTotp(secret, code, at, options, step), { valid: false, reason: 'replayed' });
    const previous = totp(secret, at - 30_000, options);
    assert.deepEqual(verifyTotp(secret, previous, at, options, step), { valid: false, reason: 'replayed' });
    const next = totp(secret, at + 30_000, options);
    assert.equal(verifyTotp(secret, next, at + 30_000, options, step).valid, true);
  });

  it('refuses malformed codes without comparing', () => {
    assert.equal(verifyTotp(secret, '1234567', 0, options, null).valid, false);
    assert.equal(verifyTotp(secret, '1234567a', 0, options, null).valid, false);
  });
});

describe('HOTP verification', () => {
  const secret = ascii('12345678901234567890');
  const options = { algorithm: 'sha1' as const, digits: 6 };

  it('accepts within the look-ahead window and moves the counter past the match', () => {
    assert.deepEqual(verifyHotp(secret, '969429', 0, { ...options, lookAhead: 5 }), { valid: true, nextCounter: 4 });
    assert.deepEqual(verifyHotp(secret, '969429', 4, { ...options, lookAhead: 5 }), { valid: false });
    assert.deepEqual(verifyHotp(secret, '520489', 0, { ...options, lookAhead: 5 }), { valid: false });
  });

  it('resynchronises from two consecutive codes', () => {
    assert.deepEqual(resyncHotp(secret, '399871', '520489', 0, { ...options, window: 50 }), { valid: true, nextCounter: 10 });
    assert.deepEqual(resyncHotp(secret, '399871', '287922', 0, { ...options, window: 50 }), { valid: false });
    assert.deepEqual(resyncHotp(secret, '399871', '520489', 0, { ...options, window: 5 }), { valid: false });
  });
});

describe('otpauth URI and base32', () => {
  it('builds the Key URI format and round-trips base32 secrets', () => {
    const secret = ascii('12345678901234567890');
    assert.equal(base32Encode(secret), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.deepEqual(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq'), secret);
    const uri = new URL(otpauthUri({ type: 'totp', issuer: 'Acme Co', label: 'alice', secret, algorithm: 'sha256', digits: 8, period: 60 }));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Acme Co:alice');
    assert.equal(uri.searchParams.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(uri.searchParams.get('issuer'), 'Acme Co');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA256');
    assert.equal(uri.searchParams.get('digits'), '8');
    assert.equal(uri.searchParams.get('period'), '60');
  });
});
