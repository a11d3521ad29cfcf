/**
 * Starts linphonec (Debian `linphone-cli` 5.1) as a second softphone (liblinphone/belle-sip: another
 * SIP stack than baresip's). Setup tried on Debian 12: its own
 * HOME with `.local/share/linphone` (else the core never opens its SIP socket), a linphonerc from
 * test/fixtures/sip/linphone/linphonerc.template with free ports, auto-answer (`-a`), no sound card
 * (`soundcard use files`: it plays a WAV into the call). It is driven through its standard input
 * rather than linphonecsh, whose socket (/tmp/linphonec-<uid>) would be shared by every instance;
 * during a call a digit typed as a command is sent as an RFC 4733 event.
 *
 * Its own `record` of received audio is not sample-accurate (about 0.3 correlation with what was sent): tests check what Verity
 * heard, and linphone's progress lines, rather than its recording.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { phoneMicrophone } from './baresip.ts';
import { freePortBlock, startPeerProcess } from './peer-process.ts';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/sip/linphone/linphonerc.template', import.meta.url));

export function linphonecAvailable(): boolean {
  return existsSync('/usr/bin/linphonec');
}

export interface LinphoneOptions {
  user: string;
  /** REGISTER as `sip:<user>@host:port` with this password (digest). */
  registrar: { host: string; port: number; password: string };
  /** The WAV played into each call (made 8 kHz mono, padded with silence). Default: silence. */
  microphone?: string;
  callSeconds?: number;
}

export interface Linphone {
  aor: string;
  /** Resolves with the first output line from `from` on that matches `pattern`. */
  waitForLine(pattern: RegExp, what: string, options?: { timeoutMs?: number; from?: number }): Promise<string>;
  /** How much output there is so far (a `from` for waitForLine). */
  mark(): number;
  /** Types a linphonec command (`terminate`, `answer`, a DTMF digit during a call …). */
  command(line: string): void;
  /** Key presses `gapMs` apart, each a digit command (RFC 4733 during a call). */
  sendDigits(digits: string, gapMs?: number): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

export async function startLinphone(options: LinphoneOptions): Promise<Linphone> {
  if (!linphonecAvailable()) throw new Error('linphonec is not installed (apt-get install linphone-cli)');
  const home = mkdtempSync(join(tmpdir(), 'verity-linphone-'));
  mkdirSync(join(home, '.local/share/linphone'), { recursive: true });
  const sipPort = await freePortBlock(1);
  const rtpPort = await freePortBlock(2);
  const microphone = join(home, 'microphone.wav');
  await phoneMicrophone(options.microphone, options.callSeconds ?? 120, microphone);
  const rc = join(home, 'linphonerc');
  const fields: Record<string, string> = { SIP_PORT: String(sipPort), RTP_PORT: String(rtpPort) };
  writeFileSync(rc, readFileSync(TEMPLATE, 'utf8').replace(/@@([A-Z_]+)@@/g, (_, name: string) => fields[name] ?? `@@${name}@@`));
  const peer = startPeerProcess({
    name: `linphonec ${options.user}`,
    // Line-buffered: linphonec prints with stdio, which holds a pipe's output back until exit.
    command: 'stdbuf',
    args: ['-oL', '-eL', '/usr/bin/linphonec', '-a', '-S', '-c', rc, '-d', '1', '-l', join(home, 'linphone-debug.log')],
    cwd: home,
    env: { ...process.env, HOME: home },
    logFile: join(home, 'linphonec.log'),
    stdin: true,
  });
  const stop = async () => {
    peer.writeLine('quit');
    await peer.stop(['SIGTERM'], 2000);
    rmSync(home, { recursive: true, force: true });
  };
  const { host, port, password } = options.registrar;
  const aor = `sip:${options.user}@${host}:${port}`;
  try {
    await peer.waitForLine(/video is disabled in linphonec/, 'linphonec to start', { timeoutMs: 15_000 });
    peer.writeLine('soundcard use files');
    peer.writeLine(`play ${microphone}`);
    peer.writeLine(`register ${aor} sip:${host}:${port} ${password}`);
    // linphonec prints nothing when a registration succeeds: ask until it says so.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const from = peer.output().length;
      peer.writeLine('status register');
      const answer = await peer.waitForLine(/^(linphonec> )*(registered, identity=|registered=|unregistered)/, 'linphonec to tell its registration state', { from });
      if (answer.includes('registered, identity=')) break;
      if (Date.now() > deadline) throw new Error(`linphonec did not register as ${options.user}: ${answer}\n${peer.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    aor,
    waitForLine: (pattern, what, opts) => peer.waitForLine(pattern, what, opts),
    mark: () => peer.output().length,
    command: (line) => peer.writeLine(line),
    async sendDigits(digits, gapMs = 300) {
      for (const [i, digit] of [...digits].entries()) {
        if (!/^[0-9*#]$/.test(digit)) throw new Error(`not a DTMF key: ${digit}`);
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        peer.writeLine(digit);
      }
    },
    log: () => peer.output(),
    stop,
  };
}

