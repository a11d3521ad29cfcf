import assert from 'node:assert/strict';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import type { TestVerity } from './start-verity.ts';

/** A verified TOTP factor for the entity at `entityPath` (a voiceprint needs another factor first). */
export async function withVerifiedTotp(v: TestVerity, entityPath: string): Promise<void> {
  const factor = await v.api('POST', `${entityPath}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
  const code = totp(base32Decode(factor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
  assert.equal((await v.api('POST', `${entityPath}/Factors/${factor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
}

/** A TOTP factor and a voiceprint enrolled through the API from `takes` (WAV files), asserted verified. */
export async function enrollVoiceThroughApi(v: TestVerity, entityPath: string, takes: readonly Buffer[]): Promise<void> {
  await withVerifiedTotp(v, entityPath);
  const factor = await v.api('POST', `${entityPath}/Factors`, { FriendlyName: 'My voice', FactorType: 'voiceprint' });
  let status = '';
  for (const take of takes) {
    const res = await fetch(`${v.url}${entityPath}/Factors/${factor.body.sid as string}/Recordings`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64')}`, 'content-type': 'audio/wav' },
      body: new Uint8Array(take),
    });
    status = ((await res.json()) as { status: string }).status;
  }
  assert.equal(status, 'verified');
}
