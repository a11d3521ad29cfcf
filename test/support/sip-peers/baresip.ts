/**
 * Starts baresip (Debian `baresip-core` 1.0.0) as the user's phone, from a config generated in a
 * temp folder (test/fixtures/sip/baresip/config.template, settings tried on Debian 12): no sound card
 * (ALSA `null` plays), its microphone a WAV file (aufile), both directions of each call recorded as
 * 8 kHz WAV (sndfile: `…-enc.wav` is what the phone sent, `…-dec.wav` what it heard), and the
 * ctrl_tcp interface on a free port, driven with netstrings (commands `dial`, `hangup`, `accept`,
 * `sndcode <digit>` — an RFC 4733 event; events CALL_INCOMING, CALL_RINGING, CALL_ESTABLISHED,
 * CALL_CLOSED, CALL_DTMF_START …).
 *
 * aufile hangs the call up when its WAV ends (1.0.0), so the microphone file is padded with silence
 * to `callSeconds`.
 *
 * @example
 * const phone = await startBaresip({ user: 'phone', registrar: { host: trunk.host, port: trunk.port, password: 'pw' } });
 * t.after(() => phone.stop());
 * const incoming = await phone.waitFor((e) => e.type === 'CALL_ESTABLISHED', 'the call to be answered');
 * await phone.sendDigits('123456');
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { samplesSoFar } from './audio-checks.ts';
import { freePortBlock, startPeerProcess } from './peer-process.ts';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/sip/baresip/config.template', import.meta.url));
const MODULE_PATHS = ['/usr/lib/baresip/modules', '/usr/lib/x86_64-linux-gnu/baresip/modules', '/usr/local/lib/baresip/modules'];

/** True when baresip and the modules the tests need are installed (apt-get install baresip-core). */
export function baresipAvailable(): boolean {
  return existsSync('/usr/bin/baresip') && MODULE_PATHS.some((dir) => existsSync(join(dir, 'ctrl_tcp.so')) && existsSync(join(dir, 'sndfile.so')));
}

/** One JSON event from baresip's ctrl_tcp (`{"event":true,"type":"CALL_ESTABLISHED",…}`). */
export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: 'incoming' | 'outgoing';
  peeruri?: string;
  id?: string;
  param?: string;
  [key: string]: unknown;
}

export interface BaresipOptions {
  /** The account's user part: its AOR is `sip:<user>@<registrar>` (or `@127.0.0.1:<own port>` without one). */
  user: string;
  /** REGISTER with this registrar (every 60 s), answering its digest challenge with `password`; startBaresip resolves once it has. */
  registrar?: { host: string; port: number; password: string };
  /** `auto`: answers at once; `manual`: rings until `accept()` (flash calls). Default `auto`. */
  answerMode?: 'auto' | 'manual';
  /** The phone's microphone: a WAV file (any rate; made 8 kHz mono 16-bit), padded with silence. Default: silence. */
  microphone?: string;
  /** How long the microphone file lasts (the call hangs up when it ends). Default 120 s. */
  callSeconds?: number;
  /** Offered codecs, baresip names. Default `PCMU,PCMA`. */
  codecs?: string;
}

export interface RecordedCall {
  /** What the phone sent (its microphone). */
  enc: string;
  /** What the phone heard. */
  dec: string;
}

export interface Baresip {
  /** The account's AOR. */
  aor: string;
  /** Where it listens: `sip:<user>@127.0.0.1:<port>` (a direct call, without the registrar). */
  contactUri: string;
  /** Every ctrl_tcp event so far, in order. */
  readonly events: readonly BaresipEvent[];
  /**
   * Resolves with the first event from index `after` on (default: the next one) that `predicate` accepts,
   * seen already or to come; rejects after `timeoutMs` (default 20 s) or when baresip exits.
   */
  waitFor(predicate: (event: BaresipEvent) => boolean, what: string, options?: { after?: number; timeoutMs?: number }): Promise<BaresipEvent>;
  /**
   * Resolves with the caller's URI (`sip:+44…@domain`: the caller id) of the next incoming call, from
   * the CALL_INCOMING event or baresip's own "Incoming call from:" line, whichever comes first: 1.0.0's
   * ctrl_tcp now and then does not deliver CALL_INCOMING for a call that is cancelled while it rings.
   */
  waitForIncomingCall(what: string, options?: { after?: number; timeoutMs?: number }): Promise<string>;
  /** Sends a ctrl_tcp command and resolves with its response's data (rejects when it is not ok). */
  command(name: string, params?: string): Promise<string>;
  dial(uri: string): Promise<string>;
  accept(): Promise<string>;
  hangup(): Promise<string>;
  /** One RFC 4733 key press. */
  sndcode(digit: string): Promise<string>;
  /** Key presses `gapMs` apart (a person's pace; RFC 4733 events need a gap to be told apart). */
  sendDigits(digits: string, gapMs?: number): Promise<void>;
  /**
   * Speaks into the call: the microphone becomes `wav` (made 8 kHz mono, padded with silence to
   * `callSeconds`) from now on, through the `ausrc` command (menu module: switches the audio source
   * of the running call).
   */
  speak(wav: string): Promise<void>;
  /** What the phone has heard so far on its latest call (its `dec` recording, read while it is written). */
  heardSoFar(): Int16Array;
  /** Resolves once `check` accepts what the phone has heard so far (checked every 50 ms); rejects after `timeoutMs` (default 30 s). */
  waitForHeard(check: (heard: Int16Array) => boolean, what: string, timeoutMs?: number): Promise<Int16Array>;
  /** The calls recorded so far (oldest first): both WAVs of each. */
  recordings(): RecordedCall[];
  /** Copies the recorded WAVs into `dir` (made if missing) as `<prefix>-<n>-{sent,heard}.wav`, and its log as `<prefix>-baresip.log`; answers the WAVs' paths. */
  keepRecordings(dir: string, prefix: string): string[];
  log(): string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** Makes `source` (or silence) an 8 kHz mono 16-bit WAV of exactly `seconds` (sox), so aufile never reaches its end mid-call. */
export async function phoneMicrophone(source: string | undefined, seconds: number, out: string): Promise<void> {
  const format = ['-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer'];
  if (source === undefined) await run('sox', ['-n', ...format, out, 'trim', '0', String(seconds)]);
  else await run('sox', [source, ...format, out, 'pad', '0', String(seconds), 'trim', '0', String(seconds)]);
}

/** A netstring (`<len>:<json>,`) reader and writer over baresip's ctrl_tcp socket. */
class ControlConnection {
  private buffer = Buffer.alloc(0);
  private pending: Array<{ resolve: (data: string) => void; reject: (error: Error) => void; token: string }> = [];
  private tokens = 0;

  constructor(
    private readonly socket: Socket,
    private readonly onEvent: (event: BaresipEvent) => void,
  ) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => {
      for (const p of this.pending.splice(0)) p.reject(new Error('baresip closed its control connection'));
    });
    socket.on('error', () => undefined);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 1) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(length)) throw new Error(`baresip ctrl_tcp: bad netstring length ${this.buffer.subarray(0, colon).toString()}`);
      if (this.buffer.length < colon + 1 + length + 1) return;
      const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8')) as Record<string, unknown>;
      this.buffer = this.buffer.subarray(colon + 1 + length + 1);
      if (message['event'] === true) this.onEvent(message as unknown as BaresipEvent);
      else if (message['response'] === true) {
        const index = this.pending.findIndex((p) => p.token === message['token']);
        const [waiter] = index === -1 ? [] : this.pending.splice(index, 1);
        if (!waiter) continue;
        if (message['ok'] === true) waiter.resolve(String(message['data'] ?? ''));
        else waiter.reject(new Error(`baresip refused the command: ${String(message['data'] ?? '')}`));
      }
    }
  }

  send(command: string, params: string): Promise<string> {
    const token = `t${++this.tokens}`;
    const json = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, token });
      this.socket.write(`${Buffer.byteLength(json)}:${json},`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export async function startBaresip(options: BaresipOptions): Promise<Baresip> {
  const modules = MODULE_PATHS.find((dir) => existsSync(join(dir, 'ctrl_tcp.so')));
  if (!modules || !existsSync('/usr/bin/baresip')) throw new Error('baresip is not installed (apt-get install baresip-core)');
  const dir = mkdtempSync(join(tmpdir(), 'verity-baresip-'));
  const recordings = join(dir, 'recordings');
  mkdirSync(recordings);
  const host = '127.0.0.1';
  // SIP on UDP+TCP at `sipPort`, TLS at sipPort+1; the control port beside them.
  const sipPort = await freePortBlock(3, host);
  const controlPort = sipPort + 2;
  const rtpBase = await freePortBlock(20, host);
  const microphone = join(dir, 'microphone.wav');
  await phoneMicrophone(options.microphone, options.callSeconds ?? 120, microphone);
  const fields: Record<string, string> = {
    SIP_LISTEN: `${host}:${sipPort}`,
    ADDRESS: host,
    MICROPHONE: microphone,
    RTP_PORTS: `${rtpBase}-${rtpBase + 19}`,
    MODULES: modules,
    CONTROL_LISTEN: `${host}:${controlPort}`,
    RECORDINGS: recordings,
  };
  writeFileSync(join(dir, 'config'), readFileSync(TEMPLATE, 'utf8').replace(/@@([A-Z_]+)@@/g, (_, name: string) => fields[name] ?? `@@${name}@@`));
  const aor = options.registrar ? `sip:${options.user}@${options.registrar.host}:${options.registrar.port}` : `sip:${options.user}@${host}:${sipPort}`;
  const parameters = [
    `answermode=${options.answerMode ?? 'auto'}`,
    options.registrar ? 'regint=60' : 'regint=0',
    ...(options.registrar ? [`auth_pass=${options.registrar.password}`] : []),
    `audio_codecs=${options.codecs ?? 'PCMU,PCMA'}`,
    'ptime=20',
  ];
  writeFileSync(join(dir, 'accounts'), `<${aor}>;${parameters.join(';')}\n`);
  writeFileSync(join(dir, 'contacts'), '');

  const peer = startPeerProcess({ name: `baresip ${options.user}`, command: '/usr/bin/baresip', args: ['-f', dir, '-v'], cwd: dir, logFile: join(dir, 'baresip.log') });
  const events: BaresipEvent[] = [];
  const listeners = new Set<() => void>();
  let control: ControlConnection | undefined;
  const stop = async () => {
    control?.close();
    // The first SIGTERM un-registers and waits for the registrar; the second forces the exit.
    await peer.stop(['SIGTERM', 'SIGTERM'], 1500);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await peer.waitForLine(/ctrl_tcp: TCP socket listening/, 'baresip to open its control port');
    await peer.waitForLine(/baresip is ready/, 'baresip to be ready');
    // It registers at start-up, before the control connection exists (no REGISTER_OK event for us): its log says when.
    if (options.registrar) await peer.waitForLine(/: \{\d+\/UDP\/v4\} 200 OK .*\[\d+ binding/, `baresip ${options.user} to register`);
    const socket = connect(controlPort, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    control = new ControlConnection(socket, (event) => {
      events.push(event);
      for (const wake of listeners) wake();
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const connection = control;
  let spoken = 0;

  const listRecordings = (): RecordedCall[] =>
    existsSync(recordings)
      ? readdirSync(recordings)
          .filter((name) => name.endsWith('-dec.wav'))
          .sort()
          .map((name) => ({ dec: join(recordings, name), enc: join(recordings, name.replace(/-dec\.wav$/, '-enc.wav')) }))
      : [];

  const phone: Baresip = {
    aor,
    contactUri: `sip:${options.user}@${host}:${sipPort}`,
    events,
    waitFor(predicate, what, { after = events.length, timeoutMs = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        let next = after;
        const check = () => {
          for (; next < events.length; next++) if (predicate(events[next]!)) return done(() => resolve(events[next]!));
          if (peer.exited()) done(() => reject(new Error(`baresip exited before ${what}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`baresip ${options.user}: not within ${timeoutMs} ms: ${what}; events: ${events.slice(after).map((e) => `${e.type}${e.param ? ` (${e.param})` : ''}`).join(', ')}\n${phone.log().slice(-2500)}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async waitForIncomingCall(what, { after = events.length, timeoutMs = 20_000 } = {}) {
      const fromLog = peer.output().length;
      const viaEvent = phone.waitFor((e) => e.type === 'CALL_INCOMING', what, { after, timeoutMs }).then((e) => e.peeruri ?? '');
      const viaLog = peer.waitForLine(/Incoming call from:\s+\S+/, what, { timeoutMs, from: fromLog }).then((line) => /Incoming call from:\s+(\S+)/.exec(line)![1]!);
      viaEvent.catch(() => undefined);
      viaLog.catch(() => undefined);
      try {
        return await Promise.any([viaEvent, viaLog]);
      } catch (error) {
        throw (error as AggregateError).errors[0] as Error;
      }
    },
    command: (name, params = '') => connection.send(name, params),
    dial: (uri) => connection.send('dial', uri),
    accept: () => connection.send('accept', ''),
    hangup: () => connection.send('hangup', ''),
    sndcode: (digit) => {
      if (!/^[0-9*#A-D]$/.test(digit)) throw new Error(`not a DTMF key: ${digit}`);
      return connection.send('sndcode', digit);
    },
    async sendDigits(digits, gapMs = 250) {
      for (const [i, digit] of [...digits].entries()) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        await phone.sndcode(digit);
      }
    },
    async speak(wav) {
      const file = join(dir, `speech-${++spoken}.wav`);
      await phoneMicrophone(wav, options.callSeconds ?? 120, file);
      await connection.send('ausrc', `aufile,${file}`);
    },
    heardSoFar() {
      const latest = listRecordings().at(-1);
      return latest && existsSync(latest.dec) ? samplesSoFar(latest.dec) : new Int16Array(0);
    },
    async waitForHeard(check, what, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const heard = phone.heardSoFar();
        if (check(heard)) return heard;
        if (peer.exited()) throw new Error(`baresip exited before ${what}`);
        if (Date.now() > deadline) throw new Error(`baresip ${options.user}: not within ${timeoutMs} ms: ${what} (heard ${(heard.length / 8000).toFixed(1)} s)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    recordings: listRecordings,
    keepRecordings(target, prefix) {
      mkdirSync(target, { recursive: true });
      writeFileSync(join(target, `${prefix}-baresip.log`), phone.log());
      return listRecordings().flatMap((call, i) => {
        const kept = [join(target, `${prefix}-${i + 1}-sent.wav`), join(target, `${prefix}-${i + 1}-heard.wav`)];
        copyFileSync(call.enc, kept[0]!);
        copyFileSync(call.dec, kept[1]!);
        return kept;
      });
    },
    // Without the status line menu rewrites in place every 100 ms during a call.
    log: () => peer.output().replace(/\[\d+:\d\d:\d\d\] audio=\S+ \(bit\/s\)\s*/g, ''),
    stop,
  };
  return phone;
}
