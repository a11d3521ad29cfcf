import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl, verifyHandoffResult, type HandoffFactorType } from '../../packages/sdk/src/handoff.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { startHostedHandoff } from '../../src/hosted-factors/chooser.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { createSecretClient, getPage, hiddenField, type HostedPage, linksOf, plantSession, postForm, sessionReturnOf, testBrowser } from './handoff-support.ts';
import { cspDirectives } from '../support/csp.ts';

const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;
const RETURN = 'http://localhost:9999/back';
const PHRASE = 'my voice is my password, verify me';

/** espeak-ng speech at 16 kHz; each take a little faster and higher than the last, as a person's repeats differ. */
function speak(voice: string, take: number, text = PHRASE): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', voice, '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', text], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024 });
}
const sox = (wav: Buffer, ...effects: string[]): Buffer => execFileSync('sox', ['-t', 'wav', '-', '-t', 'wav', '-', ...effects], { input: wav });

interface UploadAnswer {
  status: number;
  body: { location?: string; message?: string; retry?: boolean; session?: string; accepted?: number; needed?: number; done?: boolean; next?: string; prompt?: string };
}

/** "Use your voice" and voice set-up on the hosted pages, driven as the page's script drives them. */
describe('hosted hand-off voiceprint pages', { skip: hasSpeech ? false : 'espeak-ng and sox are not installed' }, () => {
  let v: TestVerity;
  let serviceSid: string;
  let clientSid: string;
  let secret: string;
  let counter = 0;
  before(async () => {
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid as string;
    ({ sid: clientSid, secret } = await createSecretClient(v, serviceSid, 'Acme Shop', RETURN));
  });
  after(async () => v.close());

  const newIdentity = () => `voice-${Date.now().toString(36)}-${++counter}`;
  const base = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;

  async function withTotp(identity: string): Promise<void> {
    const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
    const code = totp(base32Decode(factor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    assert.equal((await v.api('POST', `${base(identity)}/Factors/${factor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
  }

  async function uploadApi(path: string, wav: Buffer) {
    const res = await fetch(v.url + path, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64')}`, 'content-type': 'audio/wav' }, body: new Uint8Array(wav) });
    return (await res.json()) as Record<string, unknown>;
  }

  /** A user with a TOTP factor and a voiceprint enrolled through the API (takes 0–2 of voice en-us+m3). */
  async function enrolledUser(): Promise<{ identity: string; factorSid: string; takes: Buffer[] }> {
    const identity = newIdentity();
    await withTotp(identity);
    const factor = await v.api('POST', `${base(identity)}/Factors`, { FriendlyName: 'My voice', FactorType: 'voiceprint' });
    const takes = [0, 1, 2].map((take) => speak('en-us+m3', take));
    let last: Record<string, unknown> = {};
    for (const take of takes) last = await uploadApi(`${base(identity)}/Factors/${factor.body.sid as string}/Recordings`, take);
    assert.equal(last['status'], 'verified', JSON.stringify(last));
    return { identity, factorSid: factor.body.sid as string, takes };
  }

  const requestUrl = (subject: string, state: string, factors: HandoffFactorType[] = ['totp', 'voiceprint']) => buildHandoffRequestUrl({ verityUrl: v.url, clientSid, secret, subject, state, returnTo: RETURN, factors });

  const get = getPage;
  const post = (path: string, form: Record<string, string>) => postForm(v.url, path, form);
  async function upload(path: string, session: string, wav: Buffer, type = 'audio/wav'): Promise<UploadAnswer> {
    const response = await fetch(`${v.url}${path}`, { method: 'POST', headers: { 'content-type': type, 'x-handoff-session': session, ...testBrowser.cookieHeader() }, body: new Uint8Array(wav) });
    assert.equal(response.headers.get('cache-control'), 'no-store');
    return { status: response.status, body: (await response.json()) as UploadAnswer['body'] };
  }
  const field = hiddenField;

  /** The chooser, then "Use your voice": the recording page and its sealed session. */
  async function recordingPage(identity: string, factorSid: string, state: string): Promise<{ page: HostedPage; session: string }> {
    const chooser = await get(await requestUrl(identity, state));
    assert.equal(chooser.status, 200);
    assert.match(chooser.html, /Use your voice/);
    assert.match(chooser.html, /action="\/handoff\/voiceprint"/);
    assert.doesNotMatch(chooser.html, /Not available here yet/);
    const page = await post('/handoff/voiceprint', { session: field(chooser.html, 'session'), factor: factorSid });
    assert.equal(page.status, 200, page.html);
    return { page, session: field(page.html, 'session') };
  }

  it('the chooser offers the voice; the recording page runs under the strict CSP; the same voice signs in with amr vbm', async () => {
    const { identity, factorSid } = await enrolledUser();
    const { page, session } = await recordingPage(identity, factorSid, 'state-voice-1');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.deepEqual(cspDirectives(csp).get('script-src'), ["'self'"]);
    assert.deepEqual(cspDirectives(csp).get('connect-src'), ["'self'"]);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(page.html, /<script src="\/handoff\/assets\/handoff-voiceprint\.js" defer><\/script>/);
    assert.match(page.html, /data-upload="\/handoff\/voiceprint\/recording"/);
    assert.match(page.html, /Say your pass phrase/);
    assert.match(page.html, /Try another way/);
    assert.deepEqual(linksOf(page.html), [sessionReturnOf(page.html)], 'the only link is the session’s way back (a signed error result)');
    assert.match(page.html, /role="status" aria-live="polite"/);
    const script = await fetch(`${v.url}/handoff/assets/handoff-voiceprint.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await fetch(`${v.url}/handoff/assets/handoff-voiceprint-worklet.js`)).status, 200);

    const answer = await upload('/handoff/voiceprint/recording', session, speak('en-us+m3', 4));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(answer.body.location, JSON.stringify(answer.body));
    const url = new URL(answer.body.location);
    assert.equal(`${url.origin}${url.pathname}`, RETURN);
    const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as { keys: [] };
    const result = await verifyHandoffResult({ token: url.searchParams.get('result') as string, verityUrl: v.url, clientSid, expectedState: 'state-voice-1', expectedSubject: identity, jwks });
    assert.deepEqual(result.amr, ['vbm']);

    // The session yields one result.
    const again = await upload('/handoff/voiceprint/recording', session, speak('en-us+m3', 5));
    assert.equal(again.status, 409);
    assert.match(again.body.message ?? '', /already completed/);
    assert.equal(again.body.retry, false);
  });

  it('another voice does not match (attempts left), poor recordings say what to fix, a replayed enrolment take is refused', async () => {
    const { identity, factorSid, takes } = await enrolledUser();
    const { session } = await recordingPage(identity, factorSid, 'state-voice-2');
    const impostor = await upload('/handoff/voiceprint/recording', session, speak('en-us+f4', 1));
    assert.equal(impostor.status, 200);
    assert.match(impostor.body.message ?? '', /^Your voice did not match\. .* 4 attempts left\.$/);
    assert.equal(impostor.body.retry, true);
    assert.equal(impostor.body.location, undefined);

    const quiet = await upload('/handoff/voiceprint/recording', impostor.body.session as string, sox(speak('en-us+m3', 6), 'vol', '0.002'));
    assert.match(quiet.body.message ?? '', /We could hardly hear you: move closer to the microphone/);
    assert.match(quiet.body.message ?? '', /3 attempts left\./);
    assert.equal(quiet.body.retry, true);
    const short = await upload('/handoff/voiceprint/recording', session, sox(speak('en-us+m3', 7), 'trim', '0', '0.5'));
    assert.match(short.body.message ?? '', /too short/);
    const unreadable = await upload('/handoff/voiceprint/recording', session, Buffer.from('RIFF but not a wav'));
    assert.match(unreadable.body.message ?? '', /could not read that recording/);
    assert.equal(unreadable.body.retry, true);

    // A fresh challenge (Try another way → Use your voice again) and a copy of an enrolment take.
    const replayPage = await recordingPage(identity, factorSid, 'state-voice-3');
    const replay = await upload('/handoff/voiceprint/recording', replayPage.session, takes[1] as Buffer);
    assert.match(replay.body.message ?? '', /heard before \(a possible replay\)/);
    assert.equal(replay.body.retry, false);
    const challenges = await v.api('GET', `${base(identity)}/Challenges?FactorSid=${factorSid}`);
    assert.ok((challenges.body.challenges as Array<{ status: string; denied_reason?: string }>).some((c) => c.status === 'denied'), JSON.stringify(challenges.body));
  });

  it('five mismatches in a row pause voice sign-in with the time to wait, on the page and at the chooser', async () => {
    const { identity, factorSid } = await enrolledUser();
    const { session } = await recordingPage(identity, factorSid, 'state-voice-4');
    let last: UploadAnswer | undefined;
    for (let i = 0; i < 5; i++) last = await upload('/handoff/voiceprint/recording', session, speak('en-us+f4', 10 + i));
    assert.match(last?.body.message ?? '', /Your voice did not match\. Voice sign-in is now paused for 30 seconds/);
    assert.equal(last?.body.retry, false);
    // The check is over on this page (the server's state, whatever form token the page still holds).
    const locked = await upload('/handoff/voiceprint/recording', session, speak('en-us+m3', 8));
    assert.equal(locked.status, 400);
    assert.match(locked.body.message ?? '', /No voice check was started on this page/);

    const chooser = await get(await requestUrl(identity, 'state-voice-5'));
    const back = await post('/handoff/voiceprint', { session: field(chooser.html, 'session'), factor: factorSid });
    assert.match(back.html, /role="alert">Voice sign-in is paused after too many mismatches in a row\. Try again in \d+ seconds, or use another method\./);
  });

  it('each sign-in opens one voice check; past the cap of unanswered checks the chooser offers another method', async () => {
    const { identity, factorSid } = await enrolledUser();
    // Ten sign-ins that never answer (a script starting sign-ins for this user): one challenge each.
    for (let i = 0; i < 10; i++) await recordingPage(identity, factorSid, `state-cap-${i}`);
    const chooser = await get(await requestUrl(identity, 'state-cap-10'));
    const back = await post('/handoff/voiceprint', { session: field(chooser.html, 'session'), factor: factorSid });
    assert.equal(back.status, 200);
    assert.match(back.html, /role="alert">Too many voice checks were started for your account\. Use another method\./);
    const open = await v.api('GET', `${base(identity)}/Challenges?FactorSid=${factorSid}&PageSize=50`);
    assert.equal((open.body.challenges as unknown[]).length, 10, 'no challenge past the cap');
  });

  it('refuses a tampered session, a recording over 2 MB, and another content type; the voice is offered only when the request allows it', async () => {
    const { identity, factorSid } = await enrolledUser();
    const { session } = await recordingPage(identity, factorSid, 'state-voice-6');
    const tampered = await upload('/handoff/voiceprint/recording', `${session}AAAA`, speak('en-us+m3', 4));
    assert.equal(tampered.status, 400);
    assert.match(tampered.body.message ?? '', /session was altered/);
    // A form token of a page the session has left (another nonce): stale, nothing recorded.
    const stale = await upload('/handoff/voiceprint/recording', `${session.slice(0, -4)}AAAA`, speak('en-us+m3', 4));
    assert.equal(stale.status, 409);
    assert.match(stale.body.message ?? '', /This page is out of date/);
    const big = await upload('/handoff/voiceprint/recording', session, Buffer.alloc(2 * 1024 * 1024 + 1));
    assert.equal(big.status, 413);
    assert.match(big.body.message ?? '', /too long/);
    const text = await upload('/handoff/voiceprint/recording', session, Buffer.from('hello'), 'text/plain');
    assert.equal(text.status, 415);

    const totpOnly = await get(await requestUrl(identity, 'state-voice-7', ['totp']));
    assert.doesNotMatch(totpOnly.html, /Use your voice/);
    const refused = await post('/handoff/voiceprint', { session: field(totpOnly.html, 'session'), factor: factorSid });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /does not accept voice sign-in/);
  });

  /** A hand-off session with the enrollment grant, as the enrollment hub hands it on. */
  async function enrollmentSession(identity: string, grant = true): Promise<string> {
    const token = new URL(await requestUrl(identity, `state-enroll-${++counter}`, ['totp', 'voiceprint', 'recovery_code'])).searchParams.get('request') as string;
    const { session } = await startHostedHandoff(v.ctx, await verifyHandoffRequest(v.ctx, token));
    return plantSession(v, grant ? { ...session, enrollment: { amr: ['otp'] } } : session);
  }

  it('enrolment: refused without the grant or another factor; three takes with progress make a verified voiceprint, then back to the hub', async () => {
    const lonely = newIdentity();
    const noGrant = await post('/handoff/enroll/voiceprint', { session: await enrollmentSession(lonely, false) });
    assert.equal(noGrant.status, 403);
    assert.match(noGrant.html, /confirm it is you first/);
    const onlyFactor = await post('/handoff/enroll/voiceprint', { session: await enrollmentSession(lonely) });
    assert.equal(onlyFactor.status, 409);
    assert.match(onlyFactor.html, /a voice is never your only factor/);
    assert.match(onlyFactor.html, /action="\/handoff\/enroll"/);
    // An entity whose only factor is unverified is refused by the factor itself (60300).
    await v.api('POST', `${base(lonely)}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
    const refused = await post('/handoff/enroll/voiceprint', { session: await enrollmentSession(lonely) });
    assert.equal(refused.status, 409);
    assert.match(refused.html, /a voice is never your only factor/);

    const identity = newIdentity();
    await withTotp(identity);
    const page = await post('/handoff/enroll/voiceprint', { session: await enrollmentSession(identity) });
    assert.equal(page.status, 200, page.html);
    assert.match(page.html, /Set up voice sign-in/);
    assert.match(page.html, /Take 1 of 3/);
    assert.match(page.html, /“My voice is my password, verify me”/);
    assert.match(page.html, /data-upload="\/handoff\/enroll\/voiceprint\/recording"/);
    assert.match(page.html, /<form method="post" action="\/handoff\/enroll" id="vp-done" hidden>/);
    let session = field(page.html, 'session');

    const quiet = await upload('/handoff/enroll/voiceprint/recording', session, sox(speak('en-us+m3', 0), 'vol', '0.002'));
    assert.equal(quiet.body.accepted, 0);
    assert.match(quiet.body.message ?? '', /hardly hear you/);
    for (const take of [0, 1]) {
      const answer = await upload('/handoff/enroll/voiceprint/recording', session, speak('en-us+m3', take));
      assert.equal(answer.body.accepted, take + 1, JSON.stringify(answer.body));
      assert.equal(answer.body.needed, 3);
      session = answer.body.session as string;
    }
    // Coming back to the page resumes the same factor at take 3.
    const resumed = await post('/handoff/enroll/voiceprint', { session });
    assert.match(resumed.html, /Take 3 of 3/);
    const done = await upload('/handoff/enroll/voiceprint/recording', field(resumed.html, 'session'), speak('en-us+m3', 2));
    assert.equal(done.body.done, true, JSON.stringify(done.body));
    assert.equal(done.body.next, '/handoff/enroll');
    assert.match(done.body.message ?? '', /Your voice is set up/);

    const factors = await v.api('GET', `${base(identity)}/Factors`);
    const voices = (factors.body.factors as Array<{ factor_type: string; status: string; metadata: Record<string, unknown> | null }>).filter((f) => f.factor_type === 'voiceprint');
    assert.equal(voices.length, 1);
    assert.equal(voices[0]?.status, 'verified');
    assert.equal(voices[0]?.metadata?.['pass_phrase'], 'My voice is my password, verify me');
  });
  it('digits mode (Voiceprint.Mode=digits): set-up shows each take\'s digits, sign-in shows the challenge\'s fresh digits and signs in with them', async () => {
    const digitsService = (await v.api('POST', '/v2/Services', { FriendlyName: 'Digits', 'Voiceprint.Mode': 'digits' })).body.sid as string;
    const client = await createSecretClient(v, digitsService, 'Digits Shop', RETURN);
    const identity = newIdentity();
    const entity = `/v2/Services/${digitsService}/Entities/${identity}`;
    const totpFactor = await v.api('POST', `${entity}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
    const code = totp(base32Decode(totpFactor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    await v.api('POST', `${entity}/Factors/${totpFactor.body.sid as string}`, { AuthPayload: code });
    const request = (state: string) => buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret, subject: identity, state, returnTo: RETURN, factors: ['totp', 'voiceprint'] });
    const token = new URL(await request('digits-enroll')).searchParams.get('request') as string;
    const { session: started } = await startHostedHandoff(v.ctx, await verifyHandoffRequest(v.ctx, token));
    const page = await post('/handoff/enroll/voiceprint', { session: await plantSession(v, { ...started, enrollment: { amr: ['otp'] } }) });
    assert.equal(page.status, 200, page.html);
    let prompt = /Say: (\d(?: \d){6})</.exec(page.html)?.[1];
    assert.ok(prompt, 'the set-up page shows the digits of take 1');
    assert.match(page.html, /Say these digits, one by one/);
    assert.match(page.html, /data-msg-say-prompt="Say: \{prompt\}"/);
    let session = field(page.html, 'session');
    const said: string[] = [];
    for (const take of [0, 1, 2]) {
      said.push(prompt as string);
      const answer = await upload('/handoff/enroll/voiceprint/recording', session, speak('en-us+m3', take, (prompt as string).split(' ').join(', ')));
      if (take < 2) {
        assert.equal(answer.body.accepted, take + 1, JSON.stringify(answer.body));
        assert.match(answer.body.prompt ?? '', /^\d( \d){6}$/);
        assert.ok(!said.includes(answer.body.prompt as string), 'each take says new digits');
        prompt = answer.body.prompt;
        session = answer.body.session as string;
      } else {
        assert.equal(answer.body.done, true, JSON.stringify(answer.body));
      }
    }
    const factors = await v.api('GET', `${entity}/Factors`);
    const voice = (factors.body.factors as Array<{ sid: string; factor_type: string; status: string }>).find((f) => f.factor_type === 'voiceprint');
    assert.equal(voice?.status, 'verified');

    const chooser = await get(await request('digits-signin'));
    const recorder = await post('/handoff/voiceprint', { session: field(chooser.html, 'session'), factor: voice?.sid as string });
    assert.equal(recorder.status, 200, recorder.html);
    const shown = /Say: (\d(?: \d){5})</.exec(recorder.html)?.[1];
    assert.ok(shown, 'the sign-in page shows the challenge\'s digits');
    assert.match(recorder.html, /Say the digits shown to confirm your sign-in/);
    const answer = await upload('/handoff/voiceprint/recording', field(recorder.html, 'session'), speak('en-us+m3', 4, (shown as string).split(' ').join(', ')));
    assert.ok(answer.body.location, JSON.stringify(answer.body));
  });
});
