import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl } from './logger.ts';

/** [URL as requested, URL as logged]. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['/v2/Services', '/v2/Services'],
  ['/v2/Services?PageSize=20&Page=1&PageToken=PT1', '/v2/Services?PageSize=20&Page=1&PageToken=PT1'],
  ['/handoff?request=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln', '/handoff?request=[redacted]'],
  ['/admin/services/VA00?to=%2B14155550100&page=2', '/admin/services/VA00?to=[redacted]&page=2'],
  ['/admin/services/VA00?to=+14155550100', '/admin/services/VA00?to=[redacted]'],
  ['/admin?q=%2B1415555&done=cleared', '/admin?q=[redacted]&done=cleared'],
  ['/x?TOKEN=abc&Session=s1&code=123456&state=st', '/x?TOKEN=[redacted]&Session=[redacted]&code=[redacted]&state=[redacted]'],
  ['/x?eyJhbGciOiJFUzI1NiJ9', '/x?[redacted]'],
  ['/x?eyJhbGciOiJFUzI1NiJ9eyJzdWIiOiJ1In0=', '/x?[redacted]'],
  ['/x?a=1&&b', '/x?a=[redacted]&&[redacted]'],
  ['/x?%ZZ=1', '/x?%ZZ=[redacted]'],
  ['/x?', '/x?'],
  ['/events/v1/Verifications/VE0123/tok-en_secret', '/events/v1/Verifications/VE0123/[redacted]'],
  ['/events/v1/Challenges/YC0123/tok-en_secret?x=1', '/events/v1/Challenges/YC0123/[redacted]?x=[redacted]'],
  ['/device/v1/Factors/YF01/Challenges?Status=pending', '/device/v1/Factors/YF01/Challenges?Status=pending'],
  ['/authy/protected/json/verify/123456/7?api_key=k', '/authy/protected/json/verify/[redacted]/7?api_key=[redacted]'],
  // The same route through percent-escapes, and a base URL ending in `/` (404, the code still pending).
  ['/authy/protected/json/verif%79/123456/7', '/authy/protected/json/verify/[redacted]/7'],
  ['/authy/protected/%6Ason/verify/123456/7', '/authy/protected/json/verify/[redacted]/7'],
  ['/authy//protected/json/verify/123456/7', '/authy/protected/json/verify/[redacted]/7'],
  ['//authy/protected/json//verify/123456/7?x=1', '/authy/protected/json/verify/[redacted]/7?x=[redacted]'],
  ['/AUTHY/protected/json/verify/123456/7', '/AUTHY/protected/json/verify/[redacted]/7'],
  ['/events/v1/Verifications/VE0123/tok%65n', '/events/v1/Verifications/VE0123/[redacted]'],
  ['/events//v1/Verifications/VE0123/token', '/events/v1/Verifications/VE0123/[redacted]'],
  ['/x/%ZZ/verify/123456', '/x/%ZZ/verify/123456'],
];

for (const [url, logged] of CASES) {
  test(`logged as ${logged}: ${url}`, () => {
    assert.equal(redactUrl(url), logged);
  });
}
