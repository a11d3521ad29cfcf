import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { otpauthUri } from '../../src/factors/totp/otpauth-uri.ts';
import { qrCodePng } from '../../src/factors/totp/qr-code.ts';

/** An independent QR decoder (zbarimg from Debian's zbar-tools, installed by .ci/run) must read back the exact URI. */
const available = (() => {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = !available && !process.env.CI ? 'zbarimg is not installed (apt-get install zbar-tools)' : false;

it('QR codes of otpauth URIs decode to the same URI with zbarimg', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verity-qr-'));
  try {
    for (const [i, label] of ['alice', 'bob@example.com', 'Zoë Ünïcode'].entries()) {
      const uri = otpauthUri({ type: 'totp', issuer: 'Acme & Co', label, secret: new Uint8Array(20).fill(i + 1), algorithm: 'sha256', digits: 8, period: 30 });
      const file = join(dir, `${i}.png`);
      writeFileSync(file, await qrCodePng(uri));
      const decoded = execFileSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      assert.equal(decoded, uri);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
