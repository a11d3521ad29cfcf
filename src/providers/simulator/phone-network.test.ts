import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../crypto/clock.ts';
import type { CallEnd, CallInstruction, Gather, Record } from '../../voice/call-script.ts';
import type { CallEvents, PlaceCallRequest } from '../../voice/voice-provider.ts';
import { type ScheduleTimer, SimulatorPhoneError, SimulatorPhoneNetwork } from './phone-network.ts';
import type { PromptAudio } from '../../audio/prompt-audio.ts';
import { waitUntil } from '../../../test/support/wait-for.ts';
import { readWav, writeWav } from '../../audio/line-audio.ts';

const PHONE = '+14155552671';

/** Timers that fire only when the test says so. */
class ManualTimers {
  private readonly pending: { ms: number; callback: () => void; cancelled: boolean }[] = [];
  readonly schedule: ScheduleTimer = (callback, ms) => {
    const timer = { ms, callback, cancelled: false };
    this.pending.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  /** Delays of the timers still pending. */
  active(): number[] {
    return this.pending.filter((t) => !t.cancelled).map((t) => t.ms);
  }
  fire(ms: number): void {
    const timer = this.pending.find((t) => !t.cancelled && t.ms === ms);
    assert.ok(timer, `a pending ${ms} ms timer (pending: ${this.active().join(', ')})`);
    timer.cancelled = true;
    timer.callback();
  }
}

const gather = (overrides: Partial<Gather> = {}): Gather => ({
  kind: 'gather',
  prompt: [{ kind: 'say', text: 'Enter the code.', locale: 'en' }],
  maxDigits: 6,
  timeoutSeconds: 5,
  finishOnKey: null,
  ...overrides,
});
const record = (overrides: Partial<Record> = {}): Record => ({
  kind: 'record',
  prompt: [{ kind: 'say', text: 'Say your passphrase.', locale: 'en' }],
  maxSeconds: 2,
  silenceSeconds: 1,
  ...overrides,
});
const goodbye: CallInstruction = { prompts: [{ kind: 'say', text: 'Goodbye.', locale: 'en' }], then: { kind: 'hangup' } };

/** A scripted engine: answers with a welcome and `first`, then says goodbye; records every event. */
class ScriptedEngine implements CallEvents {
  readonly log: string[] = [];
  readonly recordings: Buffer[] = [];
  first: Gather | Record = gather();
  onAnswered: (sid: string) => Promise<CallInstruction> = async () => ({ prompts: [{ kind: 'say', text: 'Welcome to Verity.', locale: 'en' }], then: this.first });
  onRinging: (sid: string) => Promise<void> = async () => undefined;
  onDigits: (digits: string) => Promise<CallInstruction> = async () => goodbye;

  async ringing(sid: string): Promise<void> {
    this.log.push(`ringing ${sid}`);
    await this.onRinging(sid);
  }
  async answered(sid: string): Promise<CallInstruction> {
    this.log.push(`answered ${sid}`);
    return this.onAnswered(sid);
  }
  async digits(sid: string, digits: string): Promise<CallInstruction> {
    this.log.push(`digits ${sid} '${digits}'`);
    return this.onDigits(digits);
  }
  async recording(sid: string, wav: Buffer): Promise<CallInstruction> {
    this.log.push(`recording ${sid} ${wav.length}`);
    this.recordings.push(wav);
    return goodbye;
  }
  async ended(sid: string, how: CallEnd): Promise<void> {
    this.log.push(`ended ${sid} ${how}`);
  }
}

let counter = 0;
function setup(options: { audio?: PromptAudio; keepEndedCalls?: number; eventTimeoutMs?: number } = {}) {
  const engine = new ScriptedEngine();
  const timers = new ManualTimers();
  const errors: unknown[] = [];
  const logger = { info: () => undefined, warn: () => undefined, error: (o: unknown) => void errors.push(o) } as never;
  const network = new SimulatorPhoneNetwork({
    clock: new ManualClock(),
    events: () => engine,
    timers: timers.schedule,
    speechCharsPerSecond: Infinity,
    logger,
    ...options,
  });
  const place = async (overrides: Partial<PlaceCallRequest> = {}): Promise<string> => {
    const callSid = `CL${String(++counter).padStart(32, '0')}`;
    const { providerCallId } = await network.placeCall({
      callSid,
      verificationSid: 'VE00000000000000000000000000000000',
      to: PHONE,
      from: '+15005550006',
      ringTimeoutSeconds: 30,
      flash: false,
      ...overrides,
    });
    assert.equal(providerCallId, `SIM${callSid.slice(2)}`);
    await network.idle();
    return callSid;
  };
  return { engine, timers, network, place, errors };
}

function sine(sampleRate: number, seconds: number): Int16Array {
  const samples = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate));
  return samples;
}

test('ring, answer, prompts, digits up to maxDigits, the next instruction, then the script hangs up: completed', async () => {
  const { engine, network, place } = setup();
  const sid = await place();
  assert.deepEqual(engine.log, [`ringing ${sid}`]);
  assert.equal(network.call(PHONE, sid).status, 'ringing');

  const answered = await network.answer(PHONE, sid);
  assert.equal(answered.status, 'in-progress');
  assert.deepEqual(
    answered.prompts.map((p) => p.text),
    ['Welcome to Verity.', 'Enter the code.'],
  );
  assert.equal(answered.prompts[0]?.audio_url, null);
  assert.equal(answered.waiting_for, 'digits');

  await network.dtmf(PHONE, sid, '12');
  assert.equal(engine.log.length, 2, 'no digits reported before maxDigits');
  // Digits past maxDigits are dropped.
  const after = await network.dtmf(PHONE, sid, '34567');
  assert.deepEqual(engine.log.slice(2), [`digits ${sid} '123456'`, `ended ${sid} completed`]);
  assert.equal(after.status, 'completed');
  assert.equal(after.waiting_for, null);
  assert.deepEqual(
    after.prompts.map((p) => p.text),
    ['Welcome to Verity.', 'Enter the code.', 'Goodbye.'],
  );
});

test('finishOnKey ends the input early and is not part of the digits', async () => {
  const { engine, network, place } = setup();
  engine.first = gather({ maxDigits: 10, finishOnKey: '#' });
  const sid = await place();
  await network.answer(PHONE, sid);
  await network.dtmf(PHONE, sid, '12');
  await network.dtmf(PHONE, sid, '3#9');
  assert.ok(engine.log.includes(`digits ${sid} '123'`), "expected engine.log.includes(`digits ${sid} '123'`)");
  assert.equal(network.call(PHONE, sid).status, 'completed');
});

test('finishOnKey alone reports no digits', async () => {
  const { engine, network, place } = setup();
  engine.first = gather({ finishOnKey: '#' });
  const sid = await place();
  await network.answer(PHONE, sid);
  await network.dtmf(PHONE, sid, '#');
  assert.ok(engine.log.includes(`digits ${sid} ''`), "expected engine.log.includes(`digits ${sid} ''`)");
});

test('unanswered until the ring timeout: no-answer', async () => {
  const { engine, network, place, timers } = setup();
  const sid = await place({ ringTimeoutSeconds: 20 });
  timers.fire(20_000);
  await network.idle();
  assert.deepEqual(engine.log, [`ringing ${sid}`, `ended ${sid} no-answer`]);
  assert.equal(network.call(PHONE, sid).status, 'no-answer');
  await assert.rejects(network.answer(PHONE, sid), (e: unknown) => e instanceof SimulatorPhoneError && e.kind === 'invalid-state' && /not ringing.*ended: no-answer/.test(e.message));
});

test('the ring timeout is real by default (unref setTimeout)', async () => {
  const engine = new ScriptedEngine();
  const network = new SimulatorPhoneNetwork({ clock: new ManualClock(), events: () => engine });
  await network.placeCall({ callSid: 'CLreal', verificationSid: 'VE1', to: PHONE, from: '+15005550006', ringTimeoutSeconds: 0.05, flash: false });
  // The real 50 ms timer ends the call on its own; the test only waits (bounded) for that to happen.
  await waitUntil('the unanswered call ends', () => engine.log.includes('ended CLreal no-answer'), { timeoutMs: 5_000, intervalMs: 5 });
  await network.idle();
  assert.deepEqual(engine.log, ['ringing CLreal', 'ended CLreal no-answer']);
});

test('answering cancels the ring timer', async () => {
  const { network, place, timers } = setup();
  const sid = await place({ ringTimeoutSeconds: 20 });
  await network.answer(PHONE, sid);
  assert.ok(!timers.active().includes(20_000), 'expected !timers.active().includes(20_000)');
});

test('reject while ringing: rejected; reject after answering is refused', async () => {
  const { engine, network, place } = setup();
  const sid = await place();
  const view = await network.reject(PHONE, sid);
  assert.equal(view.status, 'rejected');
  assert.deepEqual(engine.log, [`ringing ${sid}`, `ended ${sid} rejected`]);

  const other = await place();
  await network.answer(PHONE, other);
  await assert.rejects(network.reject(PHONE, other), (e: unknown) => e instanceof SimulatorPhoneError && e.kind === 'invalid-state');
});

test('a busy phone ends every call at once as busy, without ringing', async () => {
  const { engine, network, place } = setup();
  network.setBusy(PHONE, true);
  assert.equal(network.isBusy(PHONE), true);
  const busy = await place();
  assert.deepEqual(engine.log, [`ended ${busy} busy`]);
  assert.equal(network.call(PHONE, busy).status, 'busy');

  network.setBusy(PHONE, false);
  const ringing = await place();
  assert.equal(network.call(PHONE, ringing).status, 'ringing');
});

test('the callee hangs up mid-gather: completed, reported once, and the gather timer is dead', async () => {
  const { engine, network, place, timers } = setup();
  const sid = await place();
  await network.answer(PHONE, sid);
  await network.dtmf(PHONE, sid, '1');
  const view = await network.calleeHangup(PHONE, sid);
  assert.equal(view.status, 'completed');
  assert.deepEqual(timers.active(), []);
  network.hangup(sid, `SIM${sid.slice(2)}`).catch(assert.fail);
  await network.idle();
  assert.deepEqual(
    engine.log.filter((line) => line.startsWith('ended')),
    [`ended ${sid} completed`],
  );
  assert.equal(engine.log.filter((line) => line.startsWith('digits')).length, 0);
  await assert.rejects(network.calleeHangup(PHONE, sid), /already ended/);
});

test('gather timeout: no digits reports an empty string; partial digits are reported as typed', async () => {
  const { engine, network, place, timers } = setup();
  engine.onDigits = async () => ({ prompts: [], then: gather() });
  const sid = await place();
  await network.answer(PHONE, sid);
  timers.fire(5_000);
  await network.idle();
  assert.equal(engine.log.at(-1), `digits ${sid} ''`);
  assert.equal(network.call(PHONE, sid).waiting_for, 'digits');

  await network.dtmf(PHONE, sid, '42');
  timers.fire(5_000);
  await network.idle();
  assert.equal(engine.log.at(-1), `digits ${sid} '42'`);
});

test('record, then speak: the recording is delivered, an 8 kHz mono WAV unchanged', async () => {
  const { engine, network, place } = setup();
  engine.first = record();
  const sid = await place();
  const answered = await network.answer(PHONE, sid);
  assert.equal(answered.waiting_for, 'recording');
  const wav = writeWav({ sampleRate: 8000, samples: sine(8000, 1) });
  const view = await network.speak(PHONE, sid, wav);
  assert.deepEqual(engine.recordings, [wav]);
  assert.equal(view.status, 'completed');
});

test('speak at another rate: the engine gets 8 kHz mono, cut at maxSeconds', async () => {
  const { engine, network, place } = setup();
  engine.first = record({ maxSeconds: 2 });
  const sid = await place();
  await network.answer(PHONE, sid);
  await network.speak(PHONE, sid, writeWav({ sampleRate: 22050, samples: sine(22050, 3) }));
  const delivered = readWav(engine.recordings[0]!);
  assert.equal(delivered.sampleRate, 8000);
  assert.equal(delivered.channels, 1);
  assert.equal(delivered.samples.length, 16000);
});

test('record timeout: an empty recording; speak that is not a WAV is refused', async () => {
  const { engine, network, place, timers } = setup();
  engine.first = record({ maxSeconds: 7 });
  const sid = await place();
  await network.answer(PHONE, sid);
  await assert.rejects(network.speak(PHONE, sid, Buffer.from('not audio')), (e: unknown) => e instanceof SimulatorPhoneError && e.kind === 'invalid-input');
  timers.fire(7_000);
  await network.idle();
  assert.deepEqual(engine.recordings, [Buffer.alloc(0)]);
});

test('an engine error ends the call as failed', async () => {
  const { engine, network, place, errors } = setup();
  engine.onAnswered = async () => {
    throw new Error('database is down');
  };
  const sid = await place();
  const view = await network.answer(PHONE, sid);
  assert.equal(view.status, 'failed');
  assert.deepEqual(engine.log, [`ringing ${sid}`, `answered ${sid}`, `ended ${sid} failed`]);
  assert.equal(errors.length, 1);
});

test('an engine that never answers ends the call as failed after eventTimeoutMs', async () => {
  const { engine, network, place } = setup({ eventTimeoutMs: 30 });
  engine.onDigits = () => new Promise(() => undefined);
  const sid = await place();
  await network.answer(PHONE, sid);
  const view = await network.dtmf(PHONE, sid, '123456');
  assert.equal(view.status, 'failed');
  assert.equal(engine.log.at(-1), `ended ${sid} failed`);
});

test('Verity hangs up a ringing call: canceled; an answered call: completed', async () => {
  const { engine, network, place } = setup();
  const ringing = await place();
  await network.hangup(ringing, `SIM${ringing.slice(2)}`);
  assert.equal(network.call(PHONE, ringing).status, 'canceled');
  await network.idle();
  assert.equal(engine.log.at(-1), `ended ${ringing} canceled`);
  await network.hangup(ringing, `SIM${ringing.slice(2)}`);
  await network.hangup('CLunknown', 'SIMunknown');

  const answered = await place();
  await network.answer(PHONE, answered);
  await network.hangup(answered, `SIM${answered.slice(2)}`);
  await network.idle();
  assert.equal(engine.log.at(-1), `ended ${answered} completed`);
  assert.equal(engine.log.filter((line) => line.startsWith('ended')).length, 2);
});

test('Verity may hang up from inside an event handler (a flash call) without deadlock', async () => {
  const { engine, network, place } = setup();
  engine.onRinging = async (sid) => network.hangup(sid, `SIM${sid.slice(2)}`);
  const sid = await place({ flash: true });
  await network.idle();
  assert.deepEqual(engine.log, [`ringing ${sid}`, `ended ${sid} canceled`]);
});

test('Verity hangs up while the engine is answering: the instruction is dropped, ended follows the event', async () => {
  const { engine, network, place } = setup();
  let release: () => void = () => undefined;
  engine.onAnswered = async (sid) => {
    await network.hangup(sid, 'x');
    await new Promise<void>((resolve) => (release = resolve));
    return { prompts: [{ kind: 'say', text: 'too late', locale: 'en' }], then: gather() };
  };
  const sid = await place();
  const answering = network.answer(PHONE, sid);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(engine.log.at(-1), `answered ${sid}`, 'ended waits for the event in flight');
  release();
  const view = await answering;
  assert.equal(view.status, 'completed');
  assert.deepEqual(view.prompts, []);
  await network.idle();
  assert.equal(engine.log.at(-1), `ended ${sid} completed`);
});

test('DTMF while not gathering is refused with a clear error; bad digits are invalid input', async () => {
  const { engine, network, place } = setup();
  const sid = await place();
  await assert.rejects(network.dtmf(PHONE, sid, '1'), (e: unknown) => e instanceof SimulatorPhoneError && e.kind === 'invalid-state' && e.message === 'The call is not waiting for digits (the call is ringing)');
  engine.first = record();
  await network.answer(PHONE, sid);
  await assert.rejects(network.dtmf(PHONE, sid, '1'), /not waiting for digits \(the call is waiting for a recording\)/);
  await assert.rejects(network.dtmf(PHONE, sid, '12a'), (e: unknown) => e instanceof SimulatorPhoneError && e.kind === 'invalid-input');
  await assert.rejects(network.answer(PHONE, sid), /not ringing/);
  await assert.rejects(network.dtmf('+14155550000', sid, '1'), (e: unknown) => e instanceof SimulatorPhoneError && e.kind === 'unknown-call');
});

test('DTMF typed while the engine is still answering waits for the gather', async () => {
  const { engine, network, place } = setup();
  let release: () => void = () => undefined;
  engine.onAnswered = async () => {
    await new Promise<void>((resolve) => (release = resolve));
    return { prompts: [], then: gather({ maxDigits: 4 }) };
  };
  const sid = await place();
  const answering = network.answer(PHONE, sid);
  const typing = network.dtmf(PHONE, sid, '9876');
  await new Promise((resolve) => setImmediate(resolve));
  release();
  await answering;
  const view = await typing;
  assert.ok(engine.log.includes(`digits ${sid} '9876'`), "expected engine.log.includes(`digits ${sid} '9876'`)");
  assert.equal(view.status, 'completed');
});

test('subscribers see every change of a phone\'s calls; lists are newest first and keep the last ended calls', async () => {
  const { network, place } = setup({ keepEndedCalls: 2 });
  const seen: string[] = [];
  const unsubscribe = network.subscribe(PHONE, (call) => seen.push(`${call.status}/${call.waiting_for ?? '-'}`));
  const first = await place();
  await network.answer(PHONE, first);
  await network.dtmf(PHONE, first, '123456');
  assert.deepEqual(seen, ['ringing/-', 'in-progress/-', 'in-progress/digits', 'in-progress/-', 'completed/-']);
  unsubscribe();
  const second = await place();
  await network.reject(PHONE, second);
  const third = await place();
  await network.reject(PHONE, third);
  const active = await place();
  assert.equal(seen.length, 5, 'no updates after unsubscribing');
  assert.deepEqual(
    network.calls(PHONE).map((c) => c.sid),
    [active, third, second],
    'the two newest ended calls and the ringing one',
  );
  assert.throws(() => network.call(PHONE, first), SimulatorPhoneError);
});

test('prompts carry the audio URL from PromptAudio', async () => {
  const audio: PromptAudio = {
    prepare: async (text, locale) => `${locale}-${text.length}`,
    get: async () => undefined,
  };
  const { network, place } = setup({ audio });
  const sid = await place();
  const view = await network.answer(PHONE, sid);
  assert.equal(view.prompts[0]?.audio_url, '/sim/v1/audio/en-18.wav');
  assert.equal(view.prompts[0]?.locale, 'en');
  assert.match(view.prompts[0]?.date ?? '', /^2026-01-01T00:00:00Z$/);
});

test('the same call SID cannot be placed twice', async () => {
  const { network, place } = setup();
  const sid = await place();
  await assert.rejects(network.placeCall({ callSid: sid, verificationSid: 'VE1', to: PHONE, from: '+1', ringTimeoutSeconds: 1, flash: false }), /already placed/);
});

/** Prompt audio of a known length per prompt (8 kHz silence), rendered when the test says so. */
function audioOfLength(secondsByText: { [text: string]: number }) {
  let release: () => void = () => undefined;
  const rendered = new Promise<void>((resolve) => {
    release = resolve;
  });
  const audio: PromptAudio = {
    prepare: async (text) => text,
    get: async (id) => {
      await rendered;
      return writeWav({ sampleRate: 8000, samples: new Int16Array(Math.round(8000 * (secondsByText[id] ?? 0))) });
    },
  };
  return { audio, render: () => release() };
}

test('a gather times out only after its prompts have played (their real audio length) and its whole window', async () => {
  // A code call's prompts: 13.2 s of audio, then a 5 s window to press 1.
  const { audio, render } = audioOfLength({ 'Welcome to Verity.': 4.2, 'Your code is 1, 2, 3, 4, 5, 6.': 6.5, 'To hear it again, press 1.': 2.5 });
  const { engine, network, place, timers } = setup({ audio });
  engine.onAnswered = async () => ({
    prompts: [{ kind: 'say', text: 'Welcome to Verity.', locale: 'en' }, { kind: 'pause', seconds: 0.5 }, { kind: 'say', text: 'Your code is 1, 2, 3, 4, 5, 6.', locale: 'en' }],
    then: gather({ prompt: [{ kind: 'say', text: 'To hear it again, press 1.', locale: 'en' }], maxDigits: 1 }),
  });
  engine.onDigits = async (digits) => (digits === '1' ? { prompts: [{ kind: 'say', text: 'Your code is 1, 2, 3, 4, 5, 6.', locale: 'en' }], then: gather({ maxDigits: 1 }) } : goodbye);
  const sid = await place();
  const answered = await network.answer(PHONE, sid);
  assert.equal(answered.waiting_for, 'digits');
  // The window has not started while the audio is still being rendered.
  assert.deepEqual(timers.active(), []);
  render();
  await network.idle();
  assert.deepEqual(timers.active(), [(4.2 + 0.5 + 6.5 + 2.5 + 5) * 1000]);
  // Pressed 1 right after the last prompt ended (nothing has timed out): the code is read again.
  const repeated = await network.dtmf(PHONE, sid, '1');
  assert.equal(repeated.status, 'in-progress');
  assert.equal(repeated.prompts.at(-2)?.text, 'Your code is 1, 2, 3, 4, 5, 6.');
  assert.deepEqual(engine.log.slice(-1), [`digits ${sid} '1'`]);
});

test('without audio a prompt is estimated at 10 characters a second', async () => {
  const engine = new ScriptedEngine();
  const timers = new ManualTimers();
  const network = new SimulatorPhoneNetwork({ clock: new ManualClock(), events: () => engine, timers: timers.schedule });
  engine.onAnswered = async () => ({ prompts: [{ kind: 'say', text: 'x'.repeat(100), locale: 'en' }], then: gather({ prompt: [{ kind: 'say', text: 'y'.repeat(30), locale: 'en' }], timeoutSeconds: 8 }) });
  const callSid = `CL${'9'.repeat(32)}`;
  await network.placeCall({ callSid, verificationSid: 'VE1', to: PHONE, from: '+15005550006', ringTimeoutSeconds: 30, flash: false });
  await network.idle();
  await network.answer(PHONE, callSid);
  assert.deepEqual(timers.active().filter((ms) => ms !== 30_000), [(13 + 8) * 1000]);
});

test('a key typed while the audio renders keeps its inter-digit timer', async () => {
  const { audio, render } = audioOfLength({ 'Welcome to Verity.': 3, 'Enter the code.': 2 });
  const { engine, network, place, timers } = setup({ audio });
  const sid = await place();
  await network.answer(PHONE, sid);
  await network.dtmf(PHONE, sid, '12');
  render();
  await network.idle();
  assert.deepEqual(timers.active(), [5_000]);
  timers.fire(5_000);
  await network.idle();
  assert.ok(engine.log.includes(`digits ${sid} '12'`), engine.log.join(', '));
});
