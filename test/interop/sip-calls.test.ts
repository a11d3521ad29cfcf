/**
 * Every voice flow over SIP, completed by real softphones Verity did not write: a real Verity
 * (VERITY_VOICE_PROVIDER=sip) places its calls through kamailio (digest authentication: 407 on its
 * INVITEs; the phones REGISTER with 401), which routes each dialled number to a registered phone:
 * baresip (auto-answer, its microphone a WAV, RFC 4733 keys through ctrl_tcp, both directions
 * recorded) or linphonec. Each test checks what the phone heard against the prompts rendered by the
 * same espeak-ng renderer (normalised cross-correlation through G.711), and the verification's
 * progress events against the sequence the simulated phone produces for the same conversation
 * (test/integration/voice-calls.test.ts). The phones' recordings are kept in
 * test-output/sip-calls/<flow>/ to be listened to.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import { EspeakPromptAudio } from '../../src/audio/prompt-audio.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { readWav } from '../../src/audio/line-audio.ts';
import type { Locale } from '../../src/i18n/locales.ts';
import { deriveCode } from '../../src/verify/one-time-code.ts';
import { spokenPrompts, type Prompt } from '../../src/voice/call-script.ts';
import type { FlowFacts } from '../../src/voice/flows/call-flow.ts';
import { CALL_PROMPTS, CODE_PROMPTS } from '../../src/voice/flows/call-prompts.ts';
import { keypadCodeFlow } from '../../src/voice/flows/keypad-code-flow.ts';
import { pressOneNumberFlow } from '../../src/voice/flows/press-one-flow.ts';
import { speakCodeFlow } from '../../src/voice/flows/speak-code-flow.ts';
import { heardInOrder, toneStarts } from '../support/sip-peers/audio-checks.ts';
import { baresipAvailable, startBaresip, type Baresip, type BaresipOptions } from '../support/sip-peers/baresip.ts';
import { kamailioBinary, startKamailio, type Kamailio } from '../support/sip-peers/kamailio.ts';
import { linphonecAvailable, startLinphone } from '../support/sip-peers/linphone.ts';
import { freePortBlock } from '../support/sip-peers/peer-process.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';

const tools = { baresip: baresipAvailable(), kamailio: kamailioBinary() !== undefined, linphonec: linphonecAvailable() };
const available = Object.values(tools).every(Boolean);
if (!available) {
  console.error(`\n*** test/interop/sip-calls.test.ts: SKIPPED: not installed: ${Object.entries(tools).filter(([, ok]) => !ok).map(([name]) => name).join(', ')} (apt-get install baresip-core kamailio linphone-cli). CI installs them and fails here instead. ***\n`);
}
const skip = !available && !process.env['CI'] ? 'baresip, kamailio or linphonec is not installed' : false;

/** Where the phones' recordings are kept (gitignored), one folder per flow. */
const OUTPUT = fileURLToPath(new URL('../../test-output/sip-calls', import.meta.url));
const SERVICE = 'Acme Bank';
const LOCALE: Locale = 'en';
const CALLER_ID = '+15005550006';
const VERITY_PASSWORD = 'verity-trunk-pw-7';
/** Each flow calls its own number, routed by kamailio to its own phone account. */
const PHONES = {
  readout: '+14155550101',
  keypad: '+14155550102',
  numberMatch: '+14155550103',
  flash: '+14155550104',
  voiceprint: '+14155550105',
  inband: '+14155550106',
  linphone: '+14155550107',
  alaw: '+14155550108',
} as const;
type Flow = keyof typeof PHONES;
const account = (flow: Flow) => ({ user: `phone-${flow.toLowerCase()}`, password: `pw-${flow.toLowerCase()}-1` });

const prompts = new EspeakPromptAudio();
/** A prompt as Verity renders it (the SIP plug-in uses the same renderer), 8 kHz samples. */
async function rendered(prompt: Prompt): Promise<Int16Array> {
  if (prompt.kind === 'pause') return new Int16Array(prompt.seconds * 8000);
  const id = await prompts.prepare(prompt.text, prompt.locale);
  const wav = id === null ? undefined : await prompts.get(id);
  assert.ok(wav, `espeak-ng rendered "${prompt.text}"`);
  return readWav(wav).samples;
}
async function seconds(list: Prompt[]): Promise<number> {
  let total = 0;
  for (const prompt of list) total += (await rendered(prompt)).length / 8000;
  return total;
}
const facts = (secret: string): FlowFacts => ({ serviceName: SERVICE, locale: LOCALE, secret, amount: null, payee: null });

/**
 * Asserts that the phone heard `prompt` at or after `fromLag` (in samples), before `toLag` when given:
 * at least 75 % of its audible 0.1 s pieces with a correlation above 0.9, in place (see heardInOrder:
 * baresip's adaptive jitter buffer moves the playout by 40 ms now and then, mostly as a prompt starts,
 * and blurs the piece where it does). Answers where it starts. `last`: the prompt before Verity hangs
 * up: the phone's recording lacks its last few tens of milliseconds (still in the jitter buffer when
 * the BYE came), and under CPU load the jitter buffer drops whole frames near the end of a call; the
 * part from 0.1 s to 55 % of it (enough to tell it from the other endings) is looked for, 60 % of it
 * heard (a short part has few pieces, one blurred piece weighs more).
 */
async function assertHeard(heard: Int16Array, prompt: Prompt, fromLag = 0, { last = false, toLag = heard.length } = {}): Promise<{ heard: number; worst: number; lag: number }> {
  const audio = await rendered(prompt);
  const found = heardInOrder(heard.subarray(0, toLag), last ? audio.subarray(800, Math.floor(audio.length * 0.55)) : audio, fromLag);
  const what = prompt.kind === 'say' ? prompt.text : 'a pause';
  assert.ok(found.heard >= (last ? 0.6 : 0.75), `the phone heard "${what}" (${(found.heard * 100).toFixed(0)} % of its pieces, worst correlation ${found.worst.toFixed(3)}, from ${(fromLag / 8000).toFixed(1)} s)`);
  return found;
}

describe('every voice flow over SIP: Verity → kamailio (digest) → a real softphone', { skip, timeout: 600_000 }, () => {
  let trunk: Kamailio;
  let v: TestVerity;
  let serviceSid: string;
  /** Scratch files (the voice takes, the keypad tones). */
  let work: string;

  /** A Verity whose voice provider is SIP through `trunk`, with `env` on top. */
  async function sipVerity(env: Record<string, string> = {}): Promise<TestVerity> {
    const rtp = await freePortBlock(40, '127.0.0.2');
    return startVerity({
      env: {
        VERITY_VOICE_PROVIDER: 'sip',
        VERITY_SIP_PROXY: trunk.uri,
        VERITY_SIP_DOMAIN: trunk.realm,
        // 127.0.0.2: npm sip answers a request for its own address itself (404), and the peers are on 127.0.0.1.
        VERITY_SIP_LISTEN: '127.0.0.2:0',
        VERITY_SIP_USERNAME: 'verity',
        VERITY_SIP_PASSWORD: VERITY_PASSWORD,
        VERITY_SIP_RTP_PORTS: `${rtp}-${rtp + 39}`,
        VERITY_VOICE_FROM: CALLER_ID,
        VERITY_VOICE_RING_TIMEOUT_SECONDS: '20',
        VERITY_FLASHCALL_CALLER_IDS: '+44203120XXXX',
        VERITY_FLASHCALL_RING_SECONDS: '3',
        ...env,
      },
    });
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'verity-sip-calls-'));
    const accounts: Record<string, string> = { verity: VERITY_PASSWORD };
    const numbers: Record<string, string> = {};
    for (const flow of Object.keys(PHONES) as Flow[]) {
      accounts[account(flow).user] = account(flow).password;
      numbers[PHONES[flow]] = account(flow).user;
    }
    trunk = await startKamailio({ accounts, numbers });
    v = await sipVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: SERVICE })).body.sid as string;
  });
  after(async () => {
    await v?.close();
    await trunk?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const create = (verity: TestVerity, service: string, form: Record<string, string>) => verity.api('POST', `/v2/Services/${service}/Verifications`, form);
  const eventsOf = async (verity: TestVerity, sid: string) =>
    (await verity.ctx.db.kysely.selectFrom('verification_events').select(['sequence', 'event']).where('verification_sid', '=', sid).orderBy('sequence').execute()).map((e) => e.event);
  async function waitForEvents(verity: TestVerity, sid: string, last: string, timeoutMs = 20_000): Promise<string[]> {
    let events: string[] = [];
    await waitUntil(`the verification's ${last} event`, async () => (events = await eventsOf(verity, sid)).includes(last), { timeoutMs, intervalMs: 100 }).catch((error: Error) => {
      const sipLog = verity.logs().split('\n').filter((line) => line.includes('"provider":"sip"')).slice(-30).join('\n');
      throw new Error(`${error.message}: ${events.join(', ')}\nkamailio:\n${trunk.decisions().join('\n')}\nVerity's SIP log:\n${sipLog}`);
    });
    return events;
  }
  const statusOf = async (verity: TestVerity, sid: string) => (await verity.ctx.db.kysely.selectFrom('verifications').select('status').where('sid', '=', sid).executeTakeFirstOrThrow()).status;
  /** The code the verification speaks, from its seed and Verity's keyring (the test knows what a caller would hear). */
  async function codeOf(verity: TestVerity, sid: string): Promise<string> {
    const row = await verity.ctx.db.kysely.selectFrom('verifications').select(['code_seed', 'code_length']).where('sid', '=', sid).executeTakeFirstOrThrow();
    assert.ok(row.code_seed, 'the verification has a generated code');
    return deriveCode(verity.ctx.keyring, sid, row.code_seed, row.code_length);
  }

  /** A baresip registered as `flow`'s account; stopped after the test, its recordings kept in test-output/sip-calls/<flow>/. */
  async function phoneFor(t: TestContext, flow: Flow, options: Partial<BaresipOptions> = {}): Promise<Baresip> {
    const { user, password } = account(flow);
    rmSync(join(OUTPUT, flow), { recursive: true, force: true });
    const phone = await startBaresip({ user, registrar: { host: trunk.host, port: trunk.port, password }, ...options });
    t.after(async () => {
      const kept = phone.keepRecordings(join(OUTPUT, flow), flow);
      await phone.stop();
      t.diagnostic(`the phone's recordings (sent = its microphone, heard = Verity): ${kept.length ? join(OUTPUT, flow) : 'none'}`);
      if (kept.length) console.log(`# sip-calls ${flow}: recordings in ${join(OUTPUT, flow)}`);
    });
    await trunk.waitForRegistration(user);
    return phone;
  }
  /** Waits until the phone has heard `secondsOfPrompts` of audio after `fromSample` (plus a margin for the answer → first packet). */
  const heardFor = (phone: Baresip, fromSample: number, secondsOfPrompts: number) =>
    phone.waitForHeard((heard) => heard.length >= fromSample + (secondsOfPrompts + 0.6) * 8000, `the phone to hear ${secondsOfPrompts.toFixed(1)} s of prompts`, (secondsOfPrompts + 15) * 1000);

  it('read-out: the phone hears the code twice, presses 1 to hear it again, and the code then approves', async (t) => {
    const to = PHONES.readout;
    const phone = await phoneFor(t, 'readout');
    const created = await create(v, serviceSid, { To: to, Channel: 'call' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sid = created.body.sid as string;
    const code = await codeOf(v, sid);
    const incoming = await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the phone to answer', { after: 0 });
    assert.match(incoming.peeruri ?? '', new RegExp(`^sip:\\${CALLER_ID}@`), 'the caller id is Verity\'s number');

    // What the flow says, rendered as Verity renders it: the phone listens to all of it, then presses 1.
    const first = speakCodeFlow.start(facts(code));
    const firstPrompts = [...first.instruction.prompts, ...(first.instruction.then.kind === 'gather' ? first.instruction.then.prompt : [])];
    await heardFor(phone, 0, await seconds(firstPrompts));
    const mark = phone.heardSoFar().length;
    await phone.sndcode('1');
    const repeat = speakCodeFlow.digits(facts(code), first.state, '1');
    assert.equal(repeat.note, 'repeat');
    const repeatPrompts = [...repeat.instruction.prompts, ...(repeat.instruction.then.kind === 'gather' ? repeat.instruction.then.prompt : [])];
    await heardFor(phone, mark, await seconds(repeatPrompts));
    await phone.sndcode('9');
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', 'Verity to hang up after goodbye', { after: 0 });

    const heard = phone.heardSoFar();
    const codePrompt = { kind: 'say', text: CODE_PROMPTS[LOCALE].voiceCode.replace('{code}', code.split('').join(', ')), locale: LOCALE } as const;
    // Read out before 1 was pressed, and again after.
    const once = await assertHeard(heard, codePrompt, 0, { toLag: mark });
    const again = await assertHeard(heard, codePrompt, mark - 8000);
    const other = code.split('').map((d) => String((Number(d) + 5) % 10)).join(', ');
    const wrong = heardInOrder(heard.subarray(0, mark), await rendered({ ...codePrompt, text: CODE_PROMPTS[LOCALE].voiceCode.replace('{code}', other) }));
    assert.ok(wrong.heard < 0.6, `another code's read-out is not what the phone heard (${(wrong.heard * 100).toFixed(0)} % of its pieces match: the words around the digits)`);
    await assertHeard(heard, { kind: 'say', text: CODE_PROMPTS[LOCALE].voiceGoodbye, locale: LOCALE }, again.lag, { last: true });
    t.diagnostic(`the code's read-out heard: ${(once.heard * 100).toFixed(0)} % and ${(again.heard * 100).toFixed(0)} % of its pieces (worst ${once.worst.toFixed(3)}, ${again.worst.toFixed(3)}); another code's: ${(wrong.heard * 100).toFixed(0)} %`);

    const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: code });
    assert.equal(check.body.status, 'approved', JSON.stringify(check.body));
    assert.deepEqual(await waitForEvents(v, sid, 'approved'), ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'prompt_played', 'digits_received', 'prompt_played', 'completed', 'approved']);
  });

  it('keypad: the phone keys in the code shown on screen (RFC 4733) and the call approves it', async (t) => {
    const to = PHONES.keypad;
    const phone = await phoneFor(t, 'keypad');
    const created = await create(v, serviceSid, { To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sid = created.body.sid as string;
    const displayCode = created.body.display_code as string;
    assert.match(displayCode, /^\d{6}$/);
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the phone to answer', { after: 0 });
    const start = keypadCodeFlow.start(facts(displayCode));
    const asked = spokenPrompts(start.instruction);
    await heardFor(phone, 0, await seconds(asked));
    const mark = phone.heardSoFar().length;
    await phone.sendDigits(displayCode);
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', 'Verity to hang up', { after: 0 });
    const heard = phone.heardSoFar();
    await assertHeard(heard, { kind: 'say', text: CALL_PROMPTS[LOCALE].enterCode, locale: LOCALE });
    await assertHeard(heard, { kind: 'say', text: CALL_PROMPTS[LOCALE].codeAccepted, locale: LOCALE }, mark - 8000, { last: true });
    const events = await waitForEvents(v, sid, 'completed');
    assert.deepEqual(events, ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'approved', 'prompt_played', 'completed']);
    assert.equal(await statusOf(v, sid), 'approved');
  });

  it('A-law: a phone that takes only PCMA gets A-law (Verity offers both and honours the answer) and completes the keypad flow', async (t) => {
    const phone = await phoneFor(t, 'alaw', { codecs: 'PCMA' });
    const created = await create(v, serviceSid, { To: PHONES.alaw, Channel: 'call', VoiceFlow: 'keypad_code' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sid = created.body.sid as string;
    const displayCode = created.body.display_code as string;
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the phone to answer', { after: 0 });
    const start = keypadCodeFlow.start(facts(displayCode));
    const asked = spokenPrompts(start.instruction);
    await heardFor(phone, 0, await seconds(asked));
    await phone.sendDigits(displayCode);
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', 'Verity to hang up', { after: 0 });
    // What the phone decoded as A-law is the prompt Verity rendered: the codec really was PCMA both ways.
    await assertHeard(phone.heardSoFar(), { kind: 'say', text: CALL_PROMPTS[LOCALE].enterCode, locale: LOCALE });
    assert.match(phone.log(), /Set audio decoder: PCMA/, 'the phone decoded A-law');
    assert.doesNotMatch(phone.log(), /Set audio decoder: PCMU/, 'and never µ-law');
    assert.equal((await waitForEvents(v, sid, 'completed')).includes('approved'), true);
    assert.equal(await statusOf(v, sid), 'approved');
  });

  it('press 1 with number matching: the phone keys in the two digits shown on screen and approves', async (t) => {
    const to = PHONES.numberMatch;
    const phone = await phoneFor(t, 'numberMatch');
    const created = await create(v, serviceSid, { To: to, Channel: 'call', VoiceFlow: 'press_one', NumberMatch: 'true' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sid = created.body.sid as string;
    const digits = created.body.display_code as string;
    assert.match(digits, /^\d{2}$/);
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the phone to answer', { after: 0 });
    const start = pressOneNumberFlow.start(facts(digits));
    const asked = spokenPrompts(start.instruction);
    await heardFor(phone, 0, await seconds(asked));
    const mark = phone.heardSoFar().length;
    await phone.sendDigits(digits);
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', 'Verity to hang up', { after: 0 });
    const heard = phone.heardSoFar();
    await assertHeard(heard, { kind: 'say', text: CALL_PROMPTS[LOCALE].enterNumberToApprove, locale: LOCALE });
    await assertHeard(heard, { kind: 'say', text: CALL_PROMPTS[LOCALE].approved, locale: LOCALE }, mark - 8000, { last: true });
    assert.deepEqual(await waitForEvents(v, sid, 'completed'), ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'approved', 'prompt_played', 'completed']);
    assert.equal(await statusOf(v, sid), 'approved');
  });

  it('flash call: the phone rings with the caller id, is never answered, Verity cancels, and the caller id validates', async (t) => {
    const to = PHONES.flash;
    const phone = await phoneFor(t, 'flash', { answerMode: 'manual' });
    const created = await create(v, serviceSid, { To: to, Channel: 'flashcall' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.flash_call, { caller_id_prefix: '+44203120', code_length: 4 });
    const sid = created.body.sid as string;
    const caller = await phone.waitForIncomingCall('the phone to ring', { after: 0 });
    const rangAt = Date.now();
    const callerId = /^sip:(\+\d+)@/.exec(caller)?.[1];
    assert.match(callerId ?? '', /^\+44203120\d{4}$/, `the caller id the phone shows: ${caller}`);
    const closed = await phone.waitFor((e) => e.type === 'CALL_CLOSED', 'Verity to cancel the call', { after: 0, timeoutMs: 15_000 });
    // VERITY_FLASHCALL_RING_SECONDS=3: the phone rings for the flash window, then the call is cancelled.
    const rangMs = Date.now() - rangAt;
    assert.ok(rangMs > 2000 && rangMs < 8000, `the phone rang ${rangMs} ms`);
    assert.ok(!phone.events.some((e) => e.type === 'CALL_ESTABLISHED'), 'the flash call was never answered');
    assert.ok(!phone.recordings().length, 'no audio: the call never got media');
    await trunk.waitForDecision(new RegExp(`^CANCEL from sip:\\${callerId!}@`), 'Verity to cancel the INVITE');
    // As the simulated phone's flash call: dropped while ringing, it ends as not answered.
    assert.deepEqual(await waitForEvents(v, sid, 'no-answer'), ['queued', 'ringing', 'no-answer']);
    t.diagnostic(`the phone rang ${rangMs} ms, then saw the call end: ${closed.param}`);
    const wrong = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: `+44209999${callerId!.slice(-4)}` });
    assert.equal(wrong.body.code, 60200, JSON.stringify(wrong.body));
    const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: callerId! });
    assert.equal(check.body.status, 'approved', JSON.stringify(check.body));
    assert.deepEqual(await waitForEvents(v, sid, 'approved'), ['queued', 'ringing', 'no-answer', 'approved']);
  });

  it('voiceprint: enrols the pass phrase from three takes spoken on the phone after each beep, then verifies by phone', async (t) => {
    const to = PHONES.voiceprint;
    const phrase = 'my voice is my password, verify me';
    // The takes differ a little in speed and pitch, as a person's do (identical ones would look like a replay).
    const take = (n: number): string => {
      const path = join(work, `take-${n}.wav`);
      const raw = execFileSync('espeak-ng', ['-v', 'en-us+m3', '-s', String(150 + n * 7), '-p', String(48 + n * 3), '--stdout', phrase], { maxBuffer: 20 * 1024 * 1024 });
      writeFileSync(path, execFileSync('sox', ['-t', 'wav', '-', '-r', '8000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024 }));
      return path;
    };
    const identity = `voice-${Date.now().toString(36)}`;
    const base = `/v2/Services/${serviceSid}/Entities/${identity}`;
    // A voiceprint is never the only factor: a TOTP factor first (verified with its own code).
    const app = await v.api('POST', `${base}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
    const totpCode = totp(base32Decode(app.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    assert.equal((await v.api('POST', `${base}/Factors/${app.body.sid as string}`, { AuthPayload: totpCode })).body.status, 'verified');
    const factor = await v.api('POST', `${base}/Factors`, { FriendlyName: 'phone voice', FactorType: 'voiceprint' });
    assert.equal(factor.status, 201, JSON.stringify(factor.body));
    const factorSid = factor.body.sid as string;

    /** Answers a voiceprint call: after each beep, speaks the next take; until Verity hangs up. Answers how many takes it spoke. */
    async function speakAfterBeeps(phone: Baresip, takes: number[], after = 0): Promise<number> {
      await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the phone to answer', { after });
      const closed = () => phone.events.slice(after).some((e) => e.type === 'CALL_CLOSED');
      let spoken = 0;
      let mark = 0;
      for (;;) {
        const heard = await phone.waitForHeard((h) => closed() || toneStarts(h.subarray(mark), 1000).length > 0, 'the beep before a recording', 40_000);
        if (closed()) return spoken;
        const next = takes[spoken];
        assert.ok(next !== undefined, `Verity asked for more than ${takes.length} takes`);
        await phone.speak(take(next));
        spoken++;
        mark = heard.length + 0.5 * 8000;
      }
    }

    const phone = await phoneFor(t, 'voiceprint');
    const placed = await v.api('POST', `${base}/Factors/${factorSid}/Calls`, { To: to });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const enrolTakes = await speakAfterBeeps(phone, [0, 1, 2, 4, 5, 6]);
    const enrolHeard = phone.heardSoFar();
    await assertHeard(enrolHeard, { kind: 'say', text: CALL_PROMPTS[LOCALE].sayPassPhrase, locale: LOCALE });
    await assertHeard(enrolHeard, { kind: 'say', text: CALL_PROMPTS[LOCALE].voiceprintReady, locale: LOCALE }, 0, { last: true });
    assert.equal((await v.api('GET', `${base}/Factors/${factorSid}`)).body.status, 'verified', `enrolled after ${enrolTakes} takes`);
    t.diagnostic(`enrolled from ${enrolTakes} takes spoken on the phone`);

    const challenge = await v.api('POST', `${base}/Challenges`, { FactorSid: factorSid, 'Details.Message': 'Sign in?' });
    const challengeSid = challenge.body.sid as string;
    const earlierCalls = phone.recordings().length;
    const marker = phone.events.length;
    assert.equal((await v.api('POST', `${base}/Challenges/${challengeSid}/Calls`, { To: to })).status, 201);
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the phone to answer the verification call', { after: marker });
    // Until the new call's recording exists, what the phone "heard so far" is the last call's.
    await waitUntil('the second call to be recorded', () => phone.recordings().length > earlierCalls, { timeoutMs: 10_000, intervalMs: 50 });
    const verifyTakes = await speakAfterBeeps(phone, [3, 8], marker);
    assert.ok(verifyTakes >= 1, 'the phone spoke the pass phrase');
    assert.equal((await v.api('GET', `${base}/Challenges/${challengeSid}`)).body.status, 'approved', `after ${verifyTakes} take(s)`);
    await assertHeard(phone.heardSoFar(), { kind: 'say', text: CALL_PROMPTS[LOCALE].voiceMatched, locale: LOCALE }, 0, { last: true });
    t.diagnostic(`verified by phone after ${verifyTakes} take(s)`);
  });

  it('in-band DTMF: with VERITY_SIP_DTMF=inband, the code keyed as tones in the phone\'s microphone approves', async (t) => {
    const inband = await sipVerity({ VERITY_SIP_DTMF: 'inband' });
    t.after(() => inband.close());
    const service = (await inband.api('POST', '/v2/Services', { FriendlyName: SERVICE })).body.sid as string;
    const to = PHONES.inband;
    const phone = await phoneFor(t, 'inband');
    const created = await create(inband, service, { To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sid = created.body.sid as string;
    const displayCode = created.body.display_code as string;
    await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the phone to answer', { after: 0 });
    const start = keypadCodeFlow.start(facts(displayCode));
    const asked = spokenPrompts(start.instruction);
    await heardFor(phone, 0, await seconds(asked));
    // The keypad's tones (ITU-T Q.23 pairs), 150 ms each with 150 ms between, as a phone's keypad plays them into the line.
    const ROWS = [697, 770, 852, 941];
    const COLUMNS = [1209, 1336, 1477];
    const KEYS = ['123', '456', '789', '*0#'];
    const tone = (digit: string, n: number): string => {
      const row = KEYS.findIndex((keys) => keys.includes(digit));
      const column = KEYS[row]!.indexOf(digit);
      const path = join(work, `dtmf-${n}.wav`);
      execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', '0.15', 'sine', String(ROWS[row]), 'sine', String(COLUMNS[column]), 'channels', '1', 'gain', '-6', 'pad', '0', '0.15']);
      return path;
    };
    const tones = [...displayCode].map(tone);
    const keyed = join(work, 'keyed.wav');
    execFileSync('sox', [...tones, keyed]);
    await phone.speak(keyed);
    await phone.waitFor((e) => e.type === 'CALL_CLOSED', 'Verity to hang up', { after: 0 });
    assert.ok(!phone.events.some((e) => e.type === 'CALL_DTMF_START'), 'no RFC 4733 events were involved');
    await assertHeard(phone.heardSoFar(), { kind: 'say', text: CALL_PROMPTS[LOCALE].codeAccepted, locale: LOCALE }, 0, { last: true });
    assert.deepEqual(await waitForEvents(inband, sid, 'completed'), ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'approved', 'prompt_played', 'completed']);
    assert.equal(await statusOf(inband, sid), 'approved');
  });

  it('linphonec as the phone: registers with kamailio, auto-answers, and keys in the code shown on screen', async (t) => {
    const to = PHONES.linphone;
    const { user, password } = account('linphone');
    const phone = await startLinphone({ user, registrar: { host: trunk.host, port: trunk.port, password } });
    t.after(async () => {
      // linphonec's own recording is not sample-accurate (about 0.3 correlation): its console log is kept instead.
      mkdirSync(join(OUTPUT, 'linphone'), { recursive: true });
      writeFileSync(join(OUTPUT, 'linphone', 'linphonec.log'), phone.log());
      await phone.stop();
    });
    await trunk.waitForRegistration(user);
    const created = await create(v, serviceSid, { To: to, Channel: 'call', VoiceFlow: 'keypad_code' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sid = created.body.sid as string;
    await phone.waitForLine(/Call \d+ with .* connected/, 'linphonec to answer', { timeoutMs: 20_000 });
    // A key interrupts the prompt (call-script.ts): the caller types as soon as Verity starts asking.
    await waitForEvents(v, sid, 'prompt_played');
 await phone.sendDigits(created.body.display_code as string);
    const events = await waitForEvents(v, sid, 'completed', 30_000);
    await phone.waitForLine(/Call \d+ with .* ended/, 'Verity to hang up', { timeoutMs: 30_000 });
    assert.deepEqual(events, ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'approved', 'prompt_played', 'completed']);
    assert.equal(await statusOf(v, sid), 'approved');
  });
});
