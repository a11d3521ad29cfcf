import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { buildHandoffRequestUrl, VerityClient } from '@verity/sdk';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** `displayName` and `allowRemoveLast` of buildHandoffRequestUrl: the claims they send, what they refuse, and that Verity reads them back. */
describe('@verity/sdk hand-off request: displayName and allowRemoveLast', () => {
  let v: TestVerity;
  let clientSid: string;
  let secret: string;
  const RETURN = 'https://shop.example/back';
  before(async () => {
    v = await startVerity();
    const verity = new VerityClient({ baseUrl: v.url, accountSid: v.accountSid, authToken: v.authToken });
    const service = await verity.services.create({ friendlyName: 'SDK names' });
    const client = await verity.handoffClients.create(service.sid, { friendlyName: 'Shop', returnUrls: [RETURN] });
    clientSid = client.sid;
    secret = client.secret as string;
  });
  after(async () => v.close());

  const build = (extra: Record<string, unknown>) =>
    buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: 'demo-5f3a9c', state: 's', returnTo: RETURN, factors: ['totp'], purpose: 'enroll', ...extra });
  const claimsOf = (url: string) => decodeJwt(new URL(url).searchParams.get('request') as string);

  it('sends the display name as the OIDC name claim (NFC, trimmed) and allow_remove_last only when true; sub stays the subject', async () => {
    const url = await build({ displayName: '  Zoe\u0308 Martin ', allowRemoveLast: true });
    const claims = claimsOf(url);
    assert.equal(claims.name, 'Zoë Martin');
    assert.equal(claims.allow_remove_last, true);
    assert.equal(claims.sub, 'demo-5f3a9c');
    const request = await verifyHandoffRequest(v.ctx, new URL(url).searchParams.get('request') as string);
    assert.equal(request.displayName, 'Zoë Martin');
    assert.equal(request.allowRemoveLast, true);
    assert.equal(request.subject, 'demo-5f3a9c');

    const plain = claimsOf(await build({ allowRemoveLast: false }));
    assert.equal('name' in plain, false);
    assert.equal('allow_remove_last' in plain, false);
  });

  it('refuses a display name Verity would refuse, before signing', async () => {
    for (const displayName of ['', '   ', 'x'.repeat(65), 'Alice\nBob', 'abc\u202Egpj.exe', 'tab\there', 'zero\u200Bwidth']) {
      await assert.rejects(build({ displayName }), RangeError, JSON.stringify(displayName));
    }
    await assert.rejects(build({ displayName: 42 }), TypeError);
    await assert.rejects(build({ allowRemoveLast: 'yes' }), TypeError);
    // 64 characters (not UTF-16 units) are fine, emoji sequences with joiners too.
    assert.equal(claimsOf(await build({ displayName: '👩‍💻'.repeat(10) })).name, '👩‍💻'.repeat(10));
  });
});
