import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { mulberry32 } from '../../src/factors/voiceprint/audio/prng.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { basic } from '../support/test-helpers.ts';

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** Raw HTTP with fetch: any body, any content type, any (or no) Authorization header. */
async function raw(v: TestVerity, method: string, path: string, options: { body?: string | Uint8Array<ArrayBuffer>; contentType?: string; authorization?: string | null } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization === undefined ? basic(v.accountSid, v.authToken) : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  if (options.contentType) headers['content-type'] = options.contentType;
  const res = await fetch(v.url + path, { method, headers, body: options.body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const form = (params: Array<[string, string]>): string => new URLSearchParams(params).toString();
const FORM = 'application/x-www-form-urlencoded';

function assertError(r: RawResponse, status: number, code: number, messagePattern?: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.ok(r.json && typeof r.json === 'object', `JSON body expected, got ${r.text.slice(0, 200)}`);
  assert.equal(r.json.code, code, r.text);
  assert.equal(r.json.status, status);
  assert.equal(r.json.more_info, `https://www.twilio.com/docs/errors/${code}`);
  assert.equal(typeof r.json.message, 'string');
  assert.ok(r.json.message.length > 0, 'expected r.json.message.length > 0');
  if (messagePattern) assert.match(r.json.message, messagePattern);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
}

describe('bad input over raw HTTP', () => {
  let v: TestVerity;
  let service: string;
  let verifications: string;
  let check: string;

  before(async () => {
    v = await startVerity({ manualClock: true, env: { VERITY_BODY_LIMIT_BYTES: '2048' } });
    const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Bad Input' });
    service = created.body.sid;
    verifications = `/v2/Services/${service}/Verifications`;
    check = `/v2/Services/${service}/VerificationCheck`;
  });
  after(async () => v.close());

  it('answers a malformed JSON body with 400 / 20001', async () => {
    assertError(await raw(v, 'POST', '/v2/Services', { body: '{"FriendlyName": "x",', contentType: 'application/json' }), 400, 20001);
    assertError(await raw(v, 'POST', verifications, { body: '{To: +14155550100}', contentType: 'application/json' }), 400, 20001);
  });

  it('accepts a well-formed JSON body (the malformed-JSON case is about syntax only)', async () => {
    const ok = await raw(v, 'POST', verifications, { body: JSON.stringify({ To: '+14155550190', Channel: 'sms' }), contentType: 'application/json' });
    assert.equal(ok.status, 201, ok.text);
  });

  it('answers a body over VERITY_BODY_LIMIT_BYTES with 413 / 20001', async () => {
    const body = form([['FriendlyName', 'Big'], ['Padding', 'x'.repeat(4096)]]);
    const r = await raw(v, 'POST', '/v2/Services', { body, contentType: FORM });
    assertError(r, 413, 20001);
    assert.deepEqual(Object.keys(r.json).sort(), ['code', 'message', 'more_info', 'status']);
    const json = await raw(v, 'POST', verifications, { body: JSON.stringify({ To: 'x'.repeat(5000) }), contentType: 'application/json' });
    assertError(json, 413, 20001);
    // Just under the limit is fine (and then fails validation, not size).
    const under = await raw(v, 'POST', verifications, { body: form([['Channel', 'sms'], ['To', 'x'.repeat(1900)]]), contentType: FORM });
    assertError(under, 400, 60200, /To/);
  });

  it('answers an unsupported content type with 415 / 20001', async () => {
    assertError(await raw(v, 'POST', '/v2/Services', { body: '<FriendlyName>x</FriendlyName>', contentType: 'text/xml' }), 415, 20001);
    assertError(await raw(v, 'POST', verifications, { body: 'To=+14155550100&Channel=sms', contentType: 'application/xml' }), 415, 20001);
    assertError(await raw(v, 'POST', verifications, { body: 'To=+14155550100&Channel=sms', contentType: 'multipart/form-data; boundary=x' }), 415, 20001);
    assert.deepEqual(await v.inbox('+14155550100'), []);
  });

  it('answers a text/plain body with 415 / 20001 rather than ignoring it', async () => {
    assertError(await raw(v, 'POST', verifications, { body: 'To=+14155550100&Channel=sms', contentType: 'text/plain' }), 415, 20001);
  });

  it('names the missing parameter (Channel, To, Code) with 60200', async () => {
    assertError(await raw(v, 'POST', verifications, { body: form([['To', '+14155550101']]), contentType: FORM }), 400, 60200, /Channel/);
    assertError(await raw(v, 'POST', verifications, { body: form([['Channel', 'sms']]), contentType: FORM }), 400, 60200, /\bTo\b/);
    assertError(await raw(v, 'POST', verifications, { body: form([['Channel', 'sms'], ['To', '']]), contentType: FORM }), 400, 60200, /\bTo\b/);
    assertError(await raw(v, 'POST', check, { body: form([['To', '+14155550101']]), contentType: FORM }), 400, 60200, /Code/);
    assertError(await raw(v, 'POST', check, { body: form([['Code', '123456']]), contentType: FORM }), 400, 60200, /To/);
    // No body at all.
    assertError(await raw(v, 'POST', verifications), 400, 60200, /Channel/);
  });

  it('refuses codes of 11 characters or with symbols', async () => {
    assertError(await raw(v, 'POST', check, { body: form([['To', '+14155550101'], ['Code', '12345678901']]), contentType: FORM }), 400, 60200, /Code/);
    for (const code of ['12-34', '1234 56', '12345$', "1' OR 1=1", '１２３４５６', '123']) {
      assertError(await raw(v, 'POST', check, { body: form([['To', '+14155550101'], ['Code', code]]), contentType: FORM }), 400, 60200, /Code/);
    }
  });

  it('refuses a repeated To with 60200', async () => {
    const body = form([['To', '+14155550102'], ['To', '+14155550103'], ['Channel', 'sms']]);
    assertError(await raw(v, 'POST', verifications, { body, contentType: FORM }), 400, 60200, /To/);
    assert.deepEqual(await v.inbox('+14155550102'), []);
    assert.deepEqual(await v.inbox('+14155550103'), []);
    const json = JSON.stringify({ To: ['+14155550102', '+14155550103'], Channel: 'sms' });
    assertError(await raw(v, 'POST', verifications, { body: json, contentType: 'application/json' }), 400, 60200, /To/);
    const repeatedCode = form([['To', '+14155550102'], ['Code', '123456'], ['Code', '654321']]);
    assertError(await raw(v, 'POST', check, { body: repeatedCode, contentType: FORM }), 400, 60200, /Code/);
  });

  it('refuses an invalid VerificationSid format with 60200', async () => {
    for (const sid of ['VE123', 'XX' + 'a'.repeat(32), 'VE' + 'G'.repeat(32), 'VE' + 'A'.repeat(32)]) {
      assertError(await raw(v, 'POST', check, { body: form([['VerificationSid', sid], ['Code', '123456']]), contentType: FORM }), 400, 60200, /VerificationSid/);
    }
  });

  it('answers 20404 for an unknown service SID, malformed or not', async () => {
    const unknown = 'VA' + '0'.repeat(32);
    assertError(await raw(v, 'GET', `/v2/Services/${unknown}`), 404, 20404, new RegExp(unknown));
    assertError(await raw(v, 'POST', `/v2/Services/${unknown}/Verifications`, { body: form([['To', '+14155550104'], ['Channel', 'sms']]), contentType: FORM }), 404, 20404);
    assertError(await raw(v, 'POST', `/v2/Services/not-a-sid/VerificationCheck`, { body: form([['To', '+14155550104'], ['Code', '123456']]), contentType: FORM }), 404, 20404);
  });

  it("answers 20404 for another account's service", async () => {
    const { account, authToken } = await createAccount(v.ctx.stores, v.ctx.keyring, 'Intruder', v.ctx.clock.now());
    const intruder = basic(account.sid, authToken);
    assertError(await raw(v, 'GET', `/v2/Services/${service}`, { authorization: intruder }), 404, 20404);
    assertError(await raw(v, 'POST', verifications, { body: form([['To', '+14155550105'], ['Channel', 'sms']]), contentType: FORM, authorization: intruder }), 404, 20404);
    assertError(await raw(v, 'POST', check, { body: form([['To', '+14155550105'], ['Code', '123456']]), contentType: FORM, authorization: intruder }), 404, 20404);
    assertError(await raw(v, 'DELETE', `/v2/Services/${service}`, { authorization: intruder }), 404, 20404);
    // The service is still there for its owner.
    assert.equal((await raw(v, 'GET', `/v2/Services/${service}`)).status, 200);
    const list = await raw(v, 'GET', '/v2/Services', { authorization: intruder });
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.services, []);
  });

  it('answers an unknown route with 404 / 20404', async () => {
    assertError(await raw(v, 'GET', '/v2/Nope'), 404, 20404);
    assertError(await raw(v, 'POST', '/v3/Services', { body: 'a=b', contentType: FORM }), 404, 20404);
    assertError(await raw(v, 'GET', '/nothing-here', { authorization: null }), 404, 20404);
  });

  it('answers missing, wrong and malformed credentials with 401 / 20003 and WWW-Authenticate', async () => {
    const cases: Array<[string, string | null]> = [
      ['no header', null],
      ['wrong password', basic(v.accountSid, 'f'.repeat(64))],
      ['empty password', basic(v.accountSid, '')],
      ['unknown account', basic('AC' + '0'.repeat(32), v.authToken)],
      ['no colon', 'Basic ' + Buffer.from(v.accountSid + v.authToken).toString('base64')],
      ['not base64', 'Basic %%%not-base64%%%'],
      ['Bearer scheme', `Bearer ${v.authToken}`],
      ['empty Basic', 'Basic '],
      ['lower-case scheme', 'basic ' + Buffer.from(`${v.accountSid}:wrong`).toString('base64')],
    ];
    for (const [name, authorization] of cases) {
      const r = await raw(v, 'GET', '/v2/Services', { authorization });
      assert.equal(r.status, 401, `${name}: ${r.text}`);
      assertError(r, 401, 20003);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm=/, name);
    }
    // The same on a write: nothing is created.
    const r = await raw(v, 'POST', verifications, { body: form([['To', '+14155550106'], ['Channel', 'sms']]), contentType: FORM, authorization: null });
    assertError(r, 401, 20003);
    assert.deepEqual(await v.inbox('+14155550106'), []);
  });

  it('never challenges a browser with Basic: its dialog would cache credentials for the whole origin', async () => {
    // A person opening an API URL in the address bar (Chromium sends Sec-Fetch-* on every request).
    // node:http, not fetch: fetch writes its own Sec-Fetch-Mode (cors) over ours.
    const navigation = await new Promise<{ status: number; challenge: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(`${v.url}/v2/Services`, { headers: { 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'], body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(navigation.status, 401);
    assert.equal(navigation.challenge, undefined, 'no Basic challenge for a browser');
    assert.equal(JSON.parse(navigation.body).code, 20003);
  });
});

describe('fuzzing Verifications and VerificationCheck', () => {
  let v: TestVerity;
  let service: string;
  before(async () => {
    v = await startVerity({ manualClock: true, env: { VERITY_BODY_LIMIT_BYTES: '2048' } });
    service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Fuzz' })).body.sid;
  });
  after(async () => v.close());

  it('answers 200 random bodies with 4xx and a JSON {code}, never 5xx, and stays healthy', { timeout: 60_000 }, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20260101);
    // Seeded (mulberry32), so a failing fuzz case can be reproduced.
    const random = mulberry32(seed);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
    const KEYS = ['To', 'Channel', 'Code', 'VerificationSid', 'CustomCode', 'Locale', 'CustomFriendlyName', 'Amount', 'Payee', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'To[]', 'To.x', '', ' ', 'a'.repeat(300)];
    // No value here is a valid phone number or email, so no request can legitimately succeed.
    const NASTY = ['', ' ', '\u0000', '\uFFFD', '%', '%00', '%zz', '+', '+1', '+1 555', '+999999999999999', '0', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', '{"a":1}', 'sms', 'call', 'email', 'whatsapp', 'SMS', 'VE' + 'f'.repeat(32), 'VE' + 'g'.repeat(32), '123456', '12345678901', '../../etc/passwd', '<script>', "' OR 1=1 --", 'a@', '@b.c', 'a@b', '𝕏𝕏𝕏', '\u202e', 'x'.repeat(321), 'x'.repeat(1500)];
    const randomString = (max: number): string => {
      let s = '';
      const n = int(max);
      for (let i = 0; i < n; i++) s += String.fromCharCode(int(4) === 0 ? int(0xd7ff) : 32 + int(95));
      // Never a bare valid phone number: prefix a letter.
      return 'z' + s;
    };
    const value = (): unknown => {
      switch (int(8)) {
        case 0:
          return randomString(64);
        case 1:
          return randomString(3000);
        case 2:
          return [pick(NASTY), pick(NASTY)];
        case 3:
          return { nested: pick(NASTY), deeper: { x: [1, 2, { y: pick(NASTY) }] } };
        case 4:
          return pick([0, -1, 1.5, 1e308, true, false, null]);
        default:
          return pick(NASTY);
      }
    };
    const randomBody = (): { body: string | Uint8Array<ArrayBuffer> | undefined; contentType: string | undefined; kind: string } => {
      const fields: Array<[string, unknown]> = [];
      for (let i = int(6); i >= 0; i--) fields.push([int(5) === 0 ? randomString(12) : pick(KEYS), value()]);
      switch (int(7)) {
        case 0:
        case 1: {
          const params = new URLSearchParams();
          for (const [k, val] of fields) params.append(k, typeof val === 'string' ? val : JSON.stringify(val));
          return { body: params.toString(), contentType: FORM, kind: 'form' };
        }
        case 2:
          return { body: JSON.stringify(Object.fromEntries(fields)), contentType: 'application/json', kind: 'json' };
        case 3:
          return { body: JSON.stringify(pick([[1, 2, 3], 'string', 42, null, true, [{ To: '+1' }], { __proto__: { Channel: 'sms' } }])), contentType: 'application/json', kind: 'json-scalar' };
        case 4: {
          const bytes = new Uint8Array(int(4096));
          for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
          return { body: bytes, contentType: pick([FORM, 'application/json', 'application/octet-stream', undefined]), kind: 'bytes' };
        }
        case 5:
          return { body: randomString(200), contentType: pick(['text/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16', 'application/json; charset=latin1', 'garbage']), kind: 'odd-type' };
        default:
          return { body: pick(['a'.repeat(10_000), '%'.repeat(3000), '&'.repeat(2047), '='.repeat(2000), 'To=' + '%F0%9F'.repeat(300), undefined]), contentType: FORM, kind: 'huge' };
      }
    };

    const failures: string[] = [];
    const seen = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const path = i % 2 === 0 ? `/v2/Services/${service}/Verifications` : `/v2/Services/${service}/VerificationCheck`;
      const { body, contentType, kind } = randomBody();
      const r = await raw(v, 'POST', path, { body, contentType });
      const ok = r.status >= 400 && r.status < 500 && r.json && typeof r.json.code === 'number' && Number.isInteger(r.json.code);
      const key = `${r.status}/${r.json?.code}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (!ok) failures.push(`#${i} (${kind}, seed ${seed}) ${path.split('/').pop()} → ${r.status} ${r.text.slice(0, 200)}`);
      if (i % 50 === 49) assert.equal((await fetch(`${v.url}/healthz`)).status, 200, `healthz after ${i + 1} requests`);
    }
    assert.deepEqual(failures, []);
    // The fuzz reached the parsers, the size limit and validation, not just one of them.
    for (const expected of ['400/20001', '413/20001', '415/20001', '400/60200']) assert.ok(seen.has(expected), `${expected} never seen: ${JSON.stringify([...seen])}`);
    const health = await fetch(`${v.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    assert.doesNotMatch(v.logs(), /"unhandled error"/);
    // And it still works.
    const works = await v.api('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550199', Channel: 'sms' });
    assert.equal(works.status, 201);
  });
});
