import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { readServerSentEvents, type ServerSentEvent } from '../../src/authenticator/sse-reader.ts';
import type { AppContext } from '../../src/context.ts';
import { createContext } from '../../src/create-context.ts';
import { challengeEventsToken } from '../../src/factors/challenge-progress.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { factorCallTopic } from '../../src/voice/factor-calls/factor-call-progress.ts';
import { DATABASES, startVerity, type SimCall, type TestVerity } from '../support/start-verity.ts';
import { nextSubscription } from '../support/wait-for.ts';

const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;

/** espeak-ng speaking `text` at 8 kHz (a phone line), each take a little faster and higher, as a person's repeats differ. */
function speak(text: string, take: number): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', 'en-us+m3', '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', text], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', '8000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024 });
}

const PHRASE = 'my voice is my password, verify me';

/** Reads a stream to its end, or until `deadlineMs` (then `ended` is false). */
async function readToEnd(url: string, headers: Record<string, string> = {}, deadlineMs = 60_000): Promise<{ ended: boolean; events: ServerSentEvent[] }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadlineMs);
  const events: ServerSentEvent[] = [];
  try {
    const res = await fetch(url, { signal: abort.signal, headers });
    assert.equal(res.status, 200);
    for await (const event of readServerSentEvents(res.body as AsyncIterable<Uint8Array>)) events.push(event);
    return { ended: true, events };
  } catch (error) {
    if (abort.signal.aborted) return { ended: false, events };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Nothing a progress event says may be a score, a threshold or audio. */
function assertNoSecrets(events: ServerSentEvent[]): void {
  for (const event of events) {
    assert.doesNotMatch(event.data, /"score"|threshold|llr|"audio"|RIFF|UklGR/i, `event ${event.event} leaks: ${event.data}`);
    const data = (JSON.parse(event.data) as { data?: Record<string, unknown> }).data ?? {};
    for (const [key, value] of Object.entries(data)) assert.ok(typeof value !== 'number' || Number.isInteger(value), `event ${event.event} has a fractional ${key}: a score?`);
  }
}

for (const database of DATABASES) {
  describe(`voiceprint call progress (${database.name})`, { timeout: 240_000, skip: hasSpeech ? false : 'espeak-ng and sox are not installed' }, () => {
    let v: TestVerity;
    /** A second node on the same database (PostgreSQL only): its streams hear the first node's calls over LISTEN/NOTIFY. */
    let b: { ctx: AppContext; server: RunningServer } | undefined;
    let serviceSid: string;
    const identity = `caller-${Date.now().toString(36)}`;
    const to = `+1415558${String(Date.now() % 10_000).padStart(4, '0')}`;
    const base = () => `/v2/Services/${serviceSid}/Entities/${identity}`;
    let factorSid = '';

    before(async () => {
      v = await startVerity({ env: { VERITY_SIMULATOR_TIME_SCALE: '0.1' }, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme' })).sid;
      if (database.postgresUrl) {
        const ctx = await createContext(v.ctx.config, { logDestination: new Writable({ write: (_c, _e, cb) => cb() }) });
        b = { ctx, server: await startServer(ctx, { port: 0, host: '127.0.0.1' }) };
      }
      const totpFactor = await v.api('POST', `${base()}/Factors`, { FriendlyName: 'app', FactorType: 'totp' });
      const code = totp(base32Decode(totpFactor.body.binding.secret as string), Date.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
      assert.equal((await v.api('POST', `${base()}/Factors/${totpFactor.body.sid as string}`, { AuthPayload: code })).body.status, 'verified');
    });
    after(async () => {
      await b?.server.close();
      await v?.close();
    });

    const speakInto = async (call: SimCall, wav: Buffer): Promise<SimCall> => {
      const res = await fetch(`${v.url}/sim/v1/phones/${encodeURIComponent(to)}/calls/${call.sid}/speak`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(wav) });
      return (await res.json()) as SimCall;
    };

    it('numbers an enrolment call\'s events (queued … approved, completed) and streams them live, resumable with Last-Event-ID', async () => {
      const factor = await v.api('POST', `${base()}/Factors`, { FriendlyName: 'phone voice', FactorType: 'voiceprint' });
      factorSid = factor.body.sid as string;
      const placed = await v.api('POST', `${base()}/Factors/${factorSid}/Calls`, { To: to });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const callSid = placed.body.call_sid as string;
      const events = placed.body.links.events as string;
      assert.match(events, new RegExp(`/events/v1/Calls/${callSid}/[A-Za-z0-9_-]{32}$`));
      // On PostgreSQL the stream is opened on the other node: it hears this node's call over the cluster bus.
      const streamNode = b ? { bus: b.ctx.bus, url: events.replace(v.url, b.server.url) } : { bus: v.ctx.bus, url: events };
      const subscribed = nextSubscription(streamNode.bus, factorCallTopic(callSid));
      const stream = readToEnd(streamNode.url);
      await subscribed;

      const phone = v.phone(to);
      let call = await phone.answer((await phone.latestCall()).sid);
      for (let take = 0; take < 3; take++) call = await speakInto(call, speak(PHRASE, take));
      assert.equal(call.prompts.at(-1)?.text, 'Your voiceprint is ready. Goodbye.', phone.heard(call));
      const { ended, events: received } = await stream;
      assert.ok(ended, `the stream ended with the call: ${received.map((e) => e.event).join(', ')}`);
      const names = received.map((e) => e.event);
      assert.deepEqual(received.map((e) => Number(e.id)), received.map((_e, i) => i + 1), 'ids are the sequence numbers 1, 2, 3…');
      assert.equal(names[0], 'queued');
      assert.ok(names.indexOf('answered') > 0 && names.indexOf('answered') < names.indexOf('prompt_played'), names.join(','));
      assert.equal(names.filter((n) => n === 'recording').length, 3, names.join(','));
      assert.equal(names.filter((n) => n === 'scored').length, 3, names.join(','));
      assert.ok(names.indexOf('approved') > names.lastIndexOf('scored'), names.join(','));
      assert.equal(names.at(-1), 'completed', names.join(','));
      const lastScored = JSON.parse([...received].reverse().find((e) => e.event === 'scored')?.data ?? '{}') as { data: Record<string, unknown> };
      assert.deepEqual(lastScored.data, { decision: 'kept', accepted: 3, needed: 3 });
      assertNoSecrets(received);

      // A reconnecting client (Last-Event-ID: 3) gets only what followed; the call has ended, so the stream ends too.
      const resumed = await readToEnd(events, { 'last-event-id': '3' });
      assert.ok(resumed.ended, 'the resumed stream ends: the call is over');
      assert.deepEqual(resumed.events.map((e) => e.id), received.slice(3).map((e) => e.id));
    });

    it('streams a check call\'s decision (never its score) on the call\'s stream and relays it on the challenge\'s', async () => {
      const challenge = await v.api('POST', `${base()}/Challenges`, { FactorSid: factorSid, 'Details.Message': 'Sign in?' });
      const challengeSid = challenge.body.sid as string;
      const challengeStream = readToEnd(`${v.url}/events/v1/Challenges/${challengeSid}/${challengeEventsToken(v.ctx, challengeSid)}`);
      const placed = await v.api('POST', `${base()}/Challenges/${challengeSid}/Calls`, { To: to });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const callSid = placed.body.call_sid as string;
      const subscribed = nextSubscription(v.ctx.bus, factorCallTopic(callSid));
      const callStream = readToEnd(placed.body.links.events as string);
      await subscribed;
      const phone = v.phone(to);
      let call = await phone.answer((await phone.latestCall()).sid);
      call = await speakInto(call, speak(PHRASE, 4));
      assert.equal(call.prompts.at(-1)?.text, 'Thank you. Your voice is verified. Goodbye.');

      const { events } = await callStream;
      const names = events.map((e) => e.event);
      assert.deepEqual(names.filter((n) => n !== 'ringing'), ['queued', 'answered', 'prompt_played', 'recording', 'scored', 'approved', 'prompt_played', 'completed']);
      assert.deepEqual((JSON.parse(events.find((e) => e.event === 'scored')?.data ?? '{}') as { data: unknown }).data, { decision: 'match' });
      assertNoSecrets(events);

      const relayed = await challengeStream;
      assert.ok(relayed.ended, 'the challenge stream ends with its outcome');
      const relayedNames = relayed.events.filter((e) => e.event === 'call_progress').map((e) => (JSON.parse(e.data) as { event: string }).event);
      assert.ok(relayedNames.includes('scored'), `the challenge stream relays its call's events: ${relayed.events.map((e) => e.event).join(', ')}`);
      assert.equal(relayed.events.at(-1)?.event, 'approved');
      assertNoSecrets(relayed.events);
    });

    it('refuses another call\'s token, a verification call and a second live call to the number', async () => {
      const challenge = await v.api('POST', `${base()}/Challenges`, { FactorSid: factorSid, 'Details.Message': 'Sign in?' });
      const challengeSid = challenge.body.sid as string;
      const first = await v.api('POST', `${base()}/Challenges/${challengeSid}/Calls`, { To: to });
      assert.equal(first.status, 201);
      const second = await v.api('POST', `${base()}/Challenges/${challengeSid}/Calls`, { To: to });
      assert.equal(second.body.code, 60212, 'one live call per number: pressing again places no parallel call');
      const [, , firstSid, firstToken] = new URL(first.body.links.events as string).pathname.split('/').slice(2);
      void firstSid;
      const otherSid = `CL${'0'.repeat(32)}`;
      assert.equal((await fetch(`${v.url}/events/v1/Calls/${otherSid}/${firstToken as string}`)).status, 404, 'a token opens its own call only');
      assert.equal((await fetch(`${v.url}/events/v1/Calls/${first.body.call_sid as string}/${'A'.repeat(32)}`)).status, 404);
      const phone = v.phone(to);
      await phone.reject((await phone.latestCall()).sid);
      const { events } = await readToEnd(first.body.links.events as string);
      assert.deepEqual(events.map((e) => e.event).filter((n) => n !== 'ringing'), ['queued', 'rejected']);
    });
  });
}
