import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test, type TestContext } from 'node:test';
import { readWav } from '../../../audio/line-audio.ts';
import { mulberry32 } from '../../../factors/voiceprint/audio/prng.ts';
import type { CallInstruction, Prompt } from '../../../voice/call-script.ts';
import { playInstruction, type RenderPrompt } from './instruction-player.ts';
import { openMediaSession, type RtpMediaSession } from './rtp-media-session.ts';

// Verity's session on 127.0.0.2 and the phone's on 127.0.0.1, real RTP over loopback.
async function call(t: TestContext) {
  const options = (address: string) => ({ bindAddress: address, publicAddress: address, portRange: { min: 32000, max: 32999 }, codecs: ['PCMU', 'PCMA'] as const, dtmf: { rfc4733: true, inband: false } });
  const verity = await openMediaSession({ ...options('127.0.0.2'), codecs: ['PCMU', 'PCMA'] });
  const phone = await openMediaSession({ ...options('127.0.0.1'), codecs: ['PCMU'] });
  t.after(() => {
    verity.close();
    phone.close();
  });
  verity.applyAnswer(phone.offer());
  phone.applyAnswer(verity.offer());
  return { verity, phone };
}

/** Prompt audio: `<n>ms` renders n ms of a quiet 400 Hz tone (quiet, so the phone can tell the beep); anything else has no audio. */
const render: RenderPrompt = async (text) => {
  const match = /^(\d+)ms$/.exec(text);
  if (!match) return null;
  return Int16Array.from({ length: (Number(match[1]) * 8000) / 1000 }, (_, i) => Math.round(600 * Math.sin((2 * Math.PI * 400 * i) / 8000)));
};

const say = (text: string): Prompt => ({ kind: 'say', text, locale: 'en' });
const gather = (prompts: Prompt[], maxDigits: number, timeoutSeconds: number, finishOnKey: string | null = null, before: Prompt[] = []): CallInstruction => ({
  prompts: before,
  then: { kind: 'gather', prompt: prompts, maxDigits, timeoutSeconds, finishOnKey },
});

function player(verity: RtpMediaSession, instruction: CallInstruction, signal = new AbortController().signal) {
  const prompts: { text: string; at: number }[] = [];
  const started = performance.now();
  const outcome = playInstruction(verity, instruction, { render, signal, onPrompt: (text) => prompts.push({ text, at: performance.now() - started }) });
  return { outcome, prompts, started, elapsed: () => performance.now() - started };
}

/** Resolves when the `n`-th prompt starts. */
function promptStarted(prompts: { text: string }[], n: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => prompts.length >= n && (clearInterval(poll), resolve()), 5);
  });
}

test('gather: digits typed after the prompts, input ends at maxDigits without waiting for the timeout', async (t) => {
  const { verity, phone } = await call(t);
  const run = player(verity, gather([say('300ms')], 4, 5));
  const heardDone = run.outcome;
  await promptStarted(run.prompts, 1);
  await phone.sendDigits('1234', { durationMs: 60, gapMs: 40 });
  const outcome = await heardDone;
  assert.deepEqual(outcome, { kind: 'digits', digits: '1234' });
  assert.ok(run.elapsed() < 2000, `ended on the 4th digit, not the 5 s timeout (${run.elapsed().toFixed(0)} ms)`);
});

test('gather: a key interrupts the prompts (the next ones are not played) and counts', async (t) => {
  const { verity, phone } = await call(t);
  const run = player(verity, gather([say('3000ms'), say('3000ms')], 2, 5, null, [say('2000ms')]));
  await promptStarted(run.prompts, 1);
  await phone.sendDigits('5');
  await phone.sendDigits('6');
  assert.deepEqual(await run.outcome, { kind: 'digits', digits: '56' });
  assert.equal(run.prompts.length, 1, 'the key stopped the first prompt and the rest never started');
  assert.ok(run.elapsed() < 1500, `well before the 8 s of prompts (${run.elapsed().toFixed(0)} ms)`);
});

test('gather: the timeout counts from the end of the last prompt, then between digits', async (t) => {
  const { verity, phone } = await call(t);
  const nothing = player(verity, gather([say('600ms')], 4, 0.4));
  assert.deepEqual(await nothing.outcome, { kind: 'digits', digits: '' });
  assert.ok(nothing.elapsed() >= 600 + 400 - 40, `prompt + timeout (${nothing.elapsed().toFixed(0)} ms)`);
  // Upper bounds in these tests only tell the right behaviour from a wrong one seconds away (a loaded
  // machine delays timers, never advances them): here, a timeout that restarted would take 1.4 s more.
  assert.ok(nothing.elapsed() < 600 + 400 + 1200, `not much more (${nothing.elapsed().toFixed(0)} ms)`);

  const one = player(verity, gather([say('200ms')], 4, 0.5));
  await promptStarted(one.prompts, 1);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the prompt is over
  const typed = performance.now();
  await phone.sendDigits('7', { durationMs: 40, gapMs: 20 });
  assert.deepEqual(await one.outcome, { kind: 'digits', digits: '7' }, 'what was typed is submitted on timeout');
  const afterDigit = performance.now() - typed;
  assert.ok(afterDigit >= 450, `the timeout restarted at the digit (${afterDigit.toFixed(0)} ms after typing)`);
});

test('gather: finishOnKey ends input and is not part of the digits', async (t) => {
  const { verity, phone } = await call(t);
  const run = player(verity, gather([say('100ms')], 10, 5, '#'));
  await promptStarted(run.prompts, 1);
  await phone.sendDigits('42#9');
  assert.deepEqual(await run.outcome, { kind: 'digits', digits: '42' });
});

test('pauses wait; prompts without audio are reported and skipped', async (t) => {
  const { verity, phone } = await call(t);
  const run = player(verity, { prompts: [{ kind: 'pause', seconds: 0.3 }, say('no audio for this text'), say('100ms')], then: { kind: 'hangup' } });
  assert.deepEqual(await run.outcome, { kind: 'hangup' });
  assert.deepEqual(run.prompts.map((p) => p.text), ['no audio for this text', '100ms']);
  assert.ok(run.prompts[0]!.at >= 280, `the pause came first (${run.prompts[0]!.at.toFixed(0)} ms)`);
  assert.ok(run.elapsed() >= 380, 'the last prompt was played to its end');
  void phone;
});

/** The phone waits for Verity's beep (loud, unlike the quiet prompts) to end, then speaks `voice`. */
function speakAfterBeep(phone: RtpMediaSession, voice: Int16Array): Promise<'done' | 'interrupted'> {
  return new Promise((resolve) => {
    let beeping = false;
    const stop = phone.onAudio((frame) => {
      const rms = Math.sqrt(frame.reduce((s, v) => s + v * v, 0) / frame.length);
      if (rms > 3000) beeping = true;
      else if (beeping) {
        stop();
        resolve(phone.play(voice));
      }
    });
  });
}

/** Seeded noise bursts: syllables of "speech" (50-250 ms of sound, 20-100 ms pauses) for `seconds`. */
function speech(seconds: number, seed = 1): Int16Array {
  const random = mulberry32(seed);
  const out = new Int16Array(seconds * 8000);
  for (let i = 0; i < out.length; ) {
    const sound = Math.round((0.05 + 0.2 * random()) * 8000);
    for (let j = 0; j < sound && i < out.length; j++, i++) out[i] = Math.round((random() - 0.5) * 8000);
    i += Math.round((0.02 + 0.08 * random()) * 8000);
  }
  return out;
}

test('record: after the beep, until silenceSeconds of silence; the WAV holds what was said', async (t) => {
  const { verity, phone } = await call(t);
  const voice = speech(1);
  const speaking = speakAfterBeep(phone, voice);
  const run = player(verity, { prompts: [say('200ms')], then: { kind: 'record', prompt: [say('100ms')], maxSeconds: 10, silenceSeconds: 0.6 } });
  const outcome = await run.outcome;
  assert.equal(await speaking, 'done');
  assert.equal(outcome.kind, 'recording');
  if (outcome.kind !== 'recording') return;
  const wav = readWav(outcome.wav);
  assert.equal(wav.sampleRate, 8000);
  assert.equal(wav.channels, 1);
  const seconds = wav.samples.length / 8000;
  assert.ok(seconds >= 0.95 && seconds <= 1.6, `about the second spoken, the ending silence trimmed (${seconds.toFixed(2)} s)`);
  assert.ok(run.elapsed() < 300 + 250 + 1000 + 600 + 1000, `ended by the silence, not maxSeconds (${run.elapsed().toFixed(0)} ms)`);
  const loud = wav.samples.filter((v) => Math.abs(v) > 1000).length;
  assert.ok(loud > 2000, 'the voice is in the recording');
});

test('record: stops at maxSeconds while the caller keeps talking', async (t) => {
  const { verity, phone } = await call(t);
  const speaking = speakAfterBeep(phone, speech(4, 2));
  const run = player(verity, { prompts: [], then: { kind: 'record', prompt: [say('100ms')], maxSeconds: 1, silenceSeconds: 0.5 } });
  const outcome = await run.outcome;
  assert.equal(outcome.kind, 'recording');
  if (outcome.kind !== 'recording') return;
  const seconds = readWav(outcome.wav).samples.length / 8000;
  assert.ok(seconds >= 0.9 && seconds <= 1.05, `maxSeconds of audio (${seconds.toFixed(2)} s)`);
  phone.close();
  void speaking;
});

test('record: a silent caller ends the recording after silenceSeconds', async (t) => {
  const { verity } = await call(t);
  const run = player(verity, { prompts: [], then: { kind: 'record', prompt: [], maxSeconds: 10, silenceSeconds: 0.5 } });
  const outcome = await run.outcome;
  assert.equal(outcome.kind, 'recording');
  assert.ok(run.elapsed() >= 250 + 500 - 40 && run.elapsed() < 250 + 500 + 3000, `beep + silence, far from maxSeconds (${run.elapsed().toFixed(0)} ms)`);
});

test('the call ending aborts everything at once: {kind: hangup}', async (t) => {
  const { verity } = await call(t);
  for (const instruction of [
    gather([say('5000ms')], 4, 5),
    { prompts: [], then: { kind: 'record', prompt: [say('100ms')], maxSeconds: 10, silenceSeconds: 5 } } as CallInstruction,
    { prompts: [say('5000ms')], then: { kind: 'hangup' } } as CallInstruction,
  ]) {
    const ended = new AbortController();
    const run = player(verity, instruction, ended.signal);
    setTimeout(() => ended.abort(), 400);
    assert.deepEqual(await run.outcome, { kind: 'hangup' }, instruction.then.kind);
    assert.ok(run.elapsed() < 400 + 2000, `${instruction.then.kind}: at once, not after the 5 s prompt (${run.elapsed().toFixed(0)} ms)`);
  }
  const after = player(verity, gather([say('100ms')], 1, 1), AbortSignal.abort());
  assert.deepEqual(await after.outcome, { kind: 'hangup' }, 'an already ended call');
  assert.deepEqual(after.prompts, []);
  // Playing stopped: Verity sends silence again right away.
  const next = player(verity, { prompts: [say('100ms')], then: { kind: 'hangup' } });
  assert.deepEqual(await next.outcome, { kind: 'hangup' });
  assert.ok(next.elapsed() < 100 + 2000, 'no leftover prompt audio (seconds of it) queued before it');
});

test('a prompt that fails to render is skipped, never a rejection', async (t) => {
  const { verity } = await call(t);
  const outcome = await playInstruction(verity, { prompts: [say('x')], then: { kind: 'gather', prompt: [], maxDigits: 1, timeoutSeconds: 0.1, finishOnKey: null } }, {
    render: () => Promise.reject(new Error('espeak-ng crashed')),
    signal: new AbortController().signal,
  });
  assert.deepEqual(outcome, { kind: 'digits', digits: '' });
});

test('instructions leave no listener on the call\'s signal (one signal serves a whole call)', async (t) => {
  const { verity } = await call(t);
  const ended = new AbortController();
  for (let i = 0; i < 12; i++) {
    await playInstruction(verity, gather([say('20ms')], 1, 0.01), { render, signal: ended.signal });
  }
  assert.equal(EventEmitter.getEventListeners(ended.signal, 'abort').length, 0);
});
