import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { jsonOf, runCli, type CliResult } from '../authenticator/authenticator-cli.ts';
import type { TestVerity } from '../support/start-verity.ts';
import { getPage, hiddenField, postForm, startHandoffVerity } from './handoff-support.ts';

/** `verity-authenticator enroll` takes the hub's short code (with --server) or the link its QR code holds, as well as a token. */

const RETURN = 'http://localhost:9999/back';
const home = mkdtempSync(join(tmpdir(), 'verity-enrollment-code-cli-'));
const env = { VERITY_AUTHENTICATOR_HOME: join(home, 'default-home') };
let stores = 0;
const cli = (...args: string[]) => runCli([...args, '--store', join(home, `store-${++stores}`, 'keys.json')], { env });
const ok = (result: CliResult) => {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
};
after(() => rmSync(home, { recursive: true, force: true }));

describe('verity-authenticator enroll with an enrolment code', () => {
  let v: TestVerity;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  before(async () => {
    ({ v, clientSid, secret } = await startHandoffVerity(RETURN));
  });
  after(async () => v.close());

  const hubCode = async (): Promise<{ code: string; subject: string }> => {
    const subject = `cli-user-${Date.now().toString(36)}-${++counter}`;
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state: 's', returnTo: RETURN, factors: ['push'], now: (v.clock as NonNullable<TestVerity['clock']>).now(), purpose: 'enroll' });
    const hub = await getPage(url);
    const page = await postForm(v.url, '/handoff/enroll/push', { session: hiddenField(hub.html, 'session') });
    const code = /id="enroll-code"[^>]*>([0-9A-Z-]+)</.exec(page.html)?.[1];
    assert.ok(code, 'the push page shows a code');
    return { code, subject };
  };

  it('the link from the QR code: the server is taken from it; the factor is enrolled and verified', async () => {
    const { code, subject } = await hubCode();
    const factor = jsonOf(ok(await cli('enroll', `${v.url}/device/v1/EnrollmentCodes/${code}`, '--json')));
    assert.equal(factor.status, 'verified');
    assert.equal(factor.identity, subject);
  });

  it('the code alone needs --server; a spent code is refused with Verity\'s reason', async () => {
    const { code } = await hubCode();
    const missing = await cli('enroll', code.toLowerCase());
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--server/);
    ok(await cli('enroll', code.toLowerCase(), '--server', v.url, '--json'));
    const again = await cli('enroll', code, '--server', v.url);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /unknown, already used or expired/);
  });
});
