import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import { hotp, totp, type OtpAlgorithm } from '../../src/factors/totp/otp.ts';
import { base32Encode } from '../../src/factors/totp/otpauth-uri.ts';
import { verifyTotp } from '../../src/factors/totp/verify-totp.ts';

/**
 * Cross-check against an independent implementation: the OATH Toolkit's `oathtool` (Debian package
 * oathtool, installed by .ci/run). Random secrets, algorithms, lengths, steps and times.
 */
const available = (() => {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
// In CI a missing oathtool is a failure, not a skip.
const skip = !available && !process.env.CI ? 'oathtool is not installed (apt-get install oathtool)' : false;

const oathtool = (args: string[]): string => execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
const ALGORITHMS: OtpAlgorithm[] = ['sha1', 'sha256', 'sha512'];
const ROUNDS = 40;

describe('interoperability with oathtool', { skip }, () => {
  it(`Verity accepts TOTP codes oathtool generates (${ROUNDS} random cases)`, () => {
    for (let i = 0; i < ROUNDS; i++) {
      const algorithm = ALGORITHMS[i % 3] as OtpAlgorithm;
      const secret = randomBytes(randomInt(16, 65));
      const digits = randomInt(6, 9);
      const period = [30, 60][i % 2] as number;
      const unixSeconds = randomInt(0, 4_000_000_000);
      const code = oathtool([`--totp=${algorithm}`, `--digits=${digits}`, `--time-step-size=${period}s`, `--now=@${unixSeconds}`, '--base32', base32Encode(secret)]);
      const result = verifyTotp(secret, code, unixSeconds * 1000, { algorithm, digits, period, skew: 0 }, null);
      assert.equal(result.valid, true, `${algorithm}/${digits}/${period}s at ${unixSeconds}: oathtool ${code}`);
    }
  });

  it(`oathtool agrees with TOTP codes Verity generates (${ROUNDS} random cases)`, () => {
    for (let i = 0; i < ROUNDS; i++) {
      const algorithm = ALGORITHMS[(i + 1) % 3] as OtpAlgorithm;
      const secret = randomBytes(randomInt(16, 65));
      const digits = randomInt(6, 9);
      const period = [30, 60][(i + 1) % 2] as number;
      const unixSeconds = randomInt(0, 4_000_000_000);
      const ours = totp(secret, unixSeconds * 1000, { algorithm, digits, period, skew: 0 });
      const theirs = oathtool([`--totp=${algorithm}`, `--digits=${digits}`, `--time-step-size=${period}s`, `--now=@${unixSeconds}`, secret.toString('hex')]);
      assert.equal(ours, theirs, `${algorithm}/${digits}/${period}s at ${unixSeconds}`);
    }
  });

  it(`HOTP agrees with oathtool (${ROUNDS} random cases)`, () => {
    for (let i = 0; i < ROUNDS; i++) {
      const secret = randomBytes(20);
      const counter = randomInt(0, 2 ** 40);
      const digits = randomInt(6, 9);
      assert.equal(hotp(secret, counter, { algorithm: 'sha1', digits }), oathtool(['--hotp', `--counter=${counter}`, `--digits=${digits}`, secret.toString('hex')]), `counter ${counter}`);
    }
  });
});
