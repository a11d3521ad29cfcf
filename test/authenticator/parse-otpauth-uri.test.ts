import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticatorError } from '../../src/authenticator/authenticator-error.ts';
import { isOtpauthUri, parseOtpauthUri } from '../../src/authenticator/parse-otpauth-uri.ts';
import { base32Decode, otpauthUri } from '../../src/factors/totp/otpauth-uri.ts';

const SECRET = 'JBSWY3DPEHPK3PXP';

describe('otpauth:// URI parsing', () => {
  it('reads the example of the Key Uri Format, with SHA1, 6 digits and 30 s by default', () => {
    assert.deepEqual(parseOtpauthUri('otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example'), {
      type: 'totp',
      issuer: 'Example',
      account: 'alice@google.com',
      secret: SECRET,
      algorithm: 'sha1',
      digits: 6,
      period: 30,
    });
  });

  it('reads back what Verity writes for TOTP and HOTP factors', () => {
    const secret = base32Decode('HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ');
    const totp = parseOtpauthUri(otpauthUri({ type: 'totp', issuer: 'ACME Co', label: 'Ana’s phone: work', secret, algorithm: 'sha256', digits: 8, period: 60 }));
    assert.deepEqual(totp, { type: 'totp', issuer: 'ACME Co', account: 'Ana’s phone: work', secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ', algorithm: 'sha256', digits: 8, period: 60 });
    const hotp = parseOtpauthUri(otpauthUri({ type: 'hotp', issuer: 'Bank', label: 'bob', secret, algorithm: 'sha512', digits: 7, counter: 42 }));
    assert.deepEqual(hotp, { type: 'hotp', issuer: 'Bank', account: 'bob', secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ', algorithm: 'sha512', digits: 7, counter: 42 });
  });

  it('takes the issuer from the label when the parameter is missing, and the parameter when both differ', () => {
    assert.equal(parseOtpauthUri(`otpauth://totp/ACME%20Co%3A%20john.doe%40email.com?secret=${SECRET}`).issuer, 'ACME Co');
    assert.equal(parseOtpauthUri(`otpauth://totp/ACME%20Co%3A%20john.doe%40email.com?secret=${SECRET}`).account, 'john.doe@email.com');
    assert.equal(parseOtpauthUri(`otpauth://totp/Old:ana?secret=${SECRET}&issuer=New`).issuer, 'New');
    const bare = parseOtpauthUri(`otpauth://totp/ana?secret=${SECRET}`);
    assert.equal(bare.issuer, null);
    assert.equal(bare.account, 'ana');
  });

  it('accepts a lower-case, padded or spaced secret and case-insensitive scheme, type and algorithm', () => {
    const key = parseOtpauthUri(`OTPAUTH://TOTP/x?secret=jbsw%20y3dp%20ehpk%203pxp%3D%3D%3D&algorithm=sha512`);
    assert.equal(key.secret, SECRET);
    assert.equal(key.algorithm, 'sha512');
    assert.ok(isOtpauthUri('  otpauth://totp/x?secret=AB'), "expected isOtpauthUri(' otpauth://totp/x?secret=AB')");
    assert.ok(!isOtpauthUri('eyJhbGciOiJIUzI1NiJ9.e30.x'), "expected !isOtpauthUri('eyJhbGciOiJIUzI1NiJ9.e30.x')");
  });

  const refused: Array<[string, RegExp]> = [
    ['https://example.com/?secret=JBSWY3DPEHPK3PXP', /expected the otpauth: scheme/],
    ['otpauth://steam/x?secret=JBSWY3DPEHPK3PXP', /expected otpauth:\/\/totp/],
    ['otpauth://totp/x?issuer=Acme', /secret parameter is missing/],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PX1', /not base32/],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5', /unsupported algorithm "MD5"/],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9', /digits must be an integer from 3 to 8/],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0', /period must be/],
    ['otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=1.5', /period must be/],
    ['otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP', /needs the counter parameter/],
    ['otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1', /counter must be/],
    ['otpauth://totp/%E0%A4%A?secret=JBSWY3DPEHPK3PXP', /label is not correctly percent-encoded/],
  ];
  for (const [uri, reason] of refused) {
    it(`refuses ${uri.replace(/secret=[A-Z0-9]+/, 'secret=…')} without echoing the secret`, () => {
      assert.throws(() => parseOtpauthUri(uri), (error: unknown) => {
        assert.ok(error instanceof AuthenticatorError, 'expected error instanceof AuthenticatorError');
        assert.match(error.message, reason);
        assert.doesNotMatch(error.message, /JBSWY3DPEHPK3PX/);
        assert.equal(error.exitCode, 2);
        return true;
      });
    });
  }
});
