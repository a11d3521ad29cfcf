import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { base64url, compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { asWireError } from '../../src/http/domain-error-mapping.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** RFC 7519 §3.1: the example JWT, HS256 with the key of RFC 7515 Appendix A.1. */
const vector = JSON.parse(readFileSync(new URL('./rfc7519-section-3.1.json', import.meta.url), 'utf8')) as {
  token: string;
  key: { k: string };
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
};

let v: TestVerity;
before(async () => {
  v = await startVerity();
});
after(async () => v.close());

it('verifies the RFC 7519 §3.1 example with the HS256 primitive the request check uses', async () => {
  const { payload, protectedHeader } = await compactVerify(vector.token, base64url.decode(vector.key.k), { algorithms: ['HS256'] });
  assert.deepEqual(protectedHeader, vector.header);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(payload)), vector.claims);
  assert.deepEqual(decodeProtectedHeader(vector.token), vector.header);
  assert.deepEqual(decodeJwt(vector.token), vector.claims);
});

it('a one-bit change of the example signature fails', async () => {
  const [h, p, s] = vector.token.split('.') as [string, string, string];
  const sig = base64url.decode(s);
  sig[0] = (sig[0] as number) ^ 1;
  await assert.rejects(compactVerify(`${h}.${p}.${base64url.encode(sig)}`, base64url.decode(vector.key.k), { algorithms: ['HS256'] }));
});

it('verifyHandoffRequest parses the example (typ JWT, CRLF in its JSON) and refuses it for its issuer, not its form', async () => {
  await assert.rejects(verifyHandoffRequest(v.ctx, vector.token), (error: unknown) => asWireError(error)?.code === 64102);
});
