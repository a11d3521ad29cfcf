import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { generateDeviceKey } from '../../src/factors/push/device-signing.ts';
import { formatEnrollmentCode, normalizeEnrollmentCode } from '../../src/factors/push/enrollment-codes.ts';
import { parseEnrollmentCodeInput } from '../../src/authenticator/enrollment-code.ts';
import { deviceCall } from '../support/push-device.ts';
import { DATABASES, type TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, postForm, startHandoffVerity, type HostedPage } from './handoff-support.ts';

const RETURN = 'http://localhost:9999/back';

describe('enrolment codes: reading them', () => {
  it('takes any case, with or without dashes, I/L as 1 and O as 0; refuses anything else', () => {
    assert.equal(normalizeEnrollmentCode('7k3m-q9xd-2hpa'), '7K3MQ9XD2HPA');
    assert.equal(normalizeEnrollmentCode(' 7K3M Q9XD 2HPA '), '7K3MQ9XD2HPA');
    assert.equal(normalizeEnrollmentCode('oIlO-0000-0000'), '0110' + '00000000');
    assert.equal(normalizeEnrollmentCode('7K3M-Q9XD-2HP'), undefined, 'too short');
    assert.equal(normalizeEnrollmentCode('7K3M-Q9XD-2HPU'), undefined, 'U is not Crockford');
    assert.equal(normalizeEnrollmentCode('eyJhbGciOi.x.y'), undefined);
    assert.equal(formatEnrollmentCode('7K3MQ9XD2HPA'), '7K3M-Q9XD-2HPA');
  });

  it('the authenticator takes the code, or the link the QR code holds (Verity under a path too)', () => {
    assert.deepEqual(parseEnrollmentCodeInput('7k3m-q9xd-2hpa'), { server: undefined, code: '7K3MQ9XD2HPA' });
    assert.deepEqual(parseEnrollmentCodeInput('https://verity.example/device/v1/EnrollmentCodes/7K3M-Q9XD-2HPA'), { server: 'https://verity.example', code: '7K3MQ9XD2HPA' });
    assert.deepEqual(parseEnrollmentCodeInput('https://example.com/verity/device/v1/EnrollmentCodes/7K3M-Q9XD-2HPA'), { server: 'https://example.com/verity', code: '7K3MQ9XD2HPA' });
    assert.equal(parseEnrollmentCodeInput('https://example.com/elsewhere/7K3M-Q9XD-2HPA'), undefined);
    assert.equal(parseEnrollmentCodeInput('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'), undefined, 'a JWT is not a code');
  });
});

for (const database of DATABASES) {
  describe(`enrolment codes on the hub's push page (${database.name})`, () => {
    let v: TestVerity;
    let clientSid: string;
    let secret: string;
    let counter = 0;
    before(async () => {
      ({ v, clientSid, secret } = await startHandoffVerity(RETURN, { database }));
    });
    after(async () => v.close());

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const pushPage = async (): Promise<HostedPage> => {
      const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject: `code-user-${Date.now().toString(36)}-${++counter}`, state: 's', returnTo: RETURN, factors: ['push'], now: clock().now(), purpose: 'enroll' });
      const hub = await getPage(url);
      const page = await postForm(v.url, '/handoff/enroll/push', { session: hiddenField(hub.html, 'session') });
      assert.equal(page.status, 200);
      return page;
    };
    const shownCode = (html: string): string => {
      const code = /<p class="enroll-code" id="enroll-code"[^>]*>([0-9A-Z-]+)<\/p>/.exec(html)?.[1];
      assert.ok(code, 'the code is shown');
      return code;
    };
    const shownToken = (html: string): string => /<textarea id="enroll-token"[^>]*>([^<]+)<\/textarea>/.exec(html)?.[1] as string;
    const redeem = (code: string) => fetch(`${v.url}/device/v1/EnrollmentCodes/${encodeURIComponent(code)}`, { method: 'POST' });

    it('shows a 12-character code for the token; the code is redeemed once, for that token, and enrolls a device', async () => {
      const page = await pushPage();
      const code = shownCode(page.html);
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      assert.ok(`${v.url}/device/v1/EnrollmentCodes/${code}`.length < 100, 'the QR code holds a short URL');
      assert.match(page.html, /aria-label="QR code that links your authenticator"/);
      assert.match(page.html, /Works once, for [45] more minutes\./);

      // Case and dashes do not matter.
      const first = await redeem(code.replace(/-/g, '').toLowerCase());
      assert.equal(first.status, 200);
      const body = (await first.json()) as { enrollment_token: string };
      assert.equal(first.headers.get('cache-control'), 'no-store', 'the token it answers is never cached');
      assert.equal(body.enrollment_token, shownToken(page.html), 'the code stands for the token on the page');

      const again = await redeem(code);
      assert.equal(again.status, 404);
      const refusal = (await again.json()) as { code: number; status: number; details?: { error?: string } };
      assert.deepEqual([refusal.code, refusal.status, refusal.details?.error], [20404, 404, 'enrollment_code_not_found']);

      const { publicKey } = await generateDeviceKey();
      const created = await deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey }, body.enrollment_token);
      assert.equal(created.status, 201, JSON.stringify(created.body));
    });

    it('reloading the page (check) shows the same code; unknown and malformed codes are 404 alike', async () => {
      const page = await pushPage();
      const code = shownCode(page.html);
      const again = await postForm(v.url, '/handoff/enroll/push/check', { session: hiddenField(page.html, 'session') });
      assert.equal(shownCode(again.html), code);
      for (const wrong of ['0000-0000-0000', 'not-a-code', 'UUUU-UUUU-UUUU']) {
        const response = await redeem(wrong);
        assert.equal(response.status, 404, wrong);
        assert.equal(((await response.json()) as { code: number }).code, 20404);
      }
      assert.equal((await redeem(code)).status, 200, 'the real code still works after wrong ones');
    });

    it('expires with its token', async () => {
      const page = await pushPage();
      const code = shownCode(page.html);
      clock().advance(5 * 60_000 + 1000);
      assert.equal((await redeem(code)).status, 404);
    });

    it('two devices presenting one code at once: exactly one gets the token', async () => {
      const code = shownCode((await pushPage()).html);
      const statuses = (await Promise.all([redeem(code), redeem(code), redeem(code)])).map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 404, 404]);
    });
  });
}

describe('enrolment codes: failed redemptions are limited per IP', () => {
  let v: TestVerity;
  before(async () => {
    ({ v } = await startHandoffVerity(RETURN, { env: { VERITY_RATE_AUTH_FAILURES_BURST: '3' } }));
  });
  after(async () => v.close());

  it('after the failed-authentication bucket is spent, even a lookup is refused with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${v.url}/device/v1/EnrollmentCodes/0000-0000-000${i}`, { method: 'POST' })).status);
    assert.deepEqual(statuses, [404, 404, 404, 429]);
    const refused = await fetch(`${v.url}/device/v1/EnrollmentCodes/0000-0000-0009`, { method: 'POST' });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After says when');
    assert.equal(((await refused.json()) as { code: number }).code, 20429);
  });
});
