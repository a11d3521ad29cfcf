/**
 * Verity's SMPP provider against Kannel's `drive_smpp` (Debian kannel-extras, installed by .ci/run):
 * an SMSC built on Kannel's own C PDU codec. It takes bind_transmitter and bind_receiver (not
 * bind_transceiver), answers submit_sm with an empty message_id, sends numbered mobile-originated
 * deliver_sm to a receiver bind, and never sends receipts.
 *
 * drive_smpp also plays an smsbox: it connects to 127.0.0.1:13001 (fixed in its source) and panics
 * without a listener there, so this file listens on 13001 itself, and its tests run one after the
 * other in this one file (nothing else in the suite uses 13001: the Kannel test takes free ports).
 * It quits as soon as any SMPP connection closes, so each test starts its own.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { OutboundMessage } from '../../src/providers/provider.ts';
import { createSmppProvider, type SmppProvider, type SmppProviderOptions } from '../../src/providers/smpp/smpp-provider.ts';
import { RecordingStatusSink } from '../providers/recording-status-sink.ts';
import { capturedLogger } from '../support/captured-logger.ts';
import { freePort } from '../support/kannel-gateway.ts';
import { waitUntil } from '../support/wait-for.ts';

const DRIVE_SMPP = '/usr/lib/kannel/test/drive_smpp';
const SMSBOX_PORT = 13001;
const MO_MESSAGES = 3;

const available = existsSync(DRIVE_SMPP);
if (!available) console.error(`\n*** test/interop/smpp-drive-smpp.test.ts: SKIPPED: ${DRIVE_SMPP} is missing (apt-get install kannel-extras). CI installs it and fails here instead. ***\n`);
// In CI a missing drive_smpp is a failure, not a skip.
const skip = !available && !process.env['CI'] ? 'kannel-extras (drive_smpp) is not installed' : false;

/**
 * Resolves once a socket listens on `port` (Linux /proc/net/tcp, state 0A). Not by connecting: a
 * connection that closes makes drive_smpp quit.
 */
async function listening(port: number, child: ChildProcess): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  await waitUntil(`drive_smpp listening on ${port}`, () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`drive_smpp exited (${child.exitCode ?? child.signalCode})`);
    return ['/proc/net/tcp', '/proc/net/tcp6'].some((file) => existsSync(file) && readFileSync(file, 'utf8').split('\n').some((line) => line.includes(hex) && line.split(/\s+/)[4] === '0A'));
  }, { timeoutMs: 5000, intervalMs: 20 });
}

const message = (body: string, attemptId: string): OutboundMessage => ({ channel: 'sms', to: '+15551234567', body, locale: 'en', verificationSid: 'VE00000000000000000000000000000001', attemptId });

describe('SMPP provider ↔ Kannel drive_smpp', { skip, concurrency: false }, () => {
  let dir: string;
  let smsboxStandIn: Server;
  const standInSockets = new Set<Socket>();
  let drive: ChildProcess;
  let port: number;
  const sink = new RecordingStatusSink();
  const { logger, lines } = capturedLogger();
  const opened: SmppProvider[] = [];
  const log = () => (existsSync(join(dir, 'drive.log')) ? readFileSync(join(dir, 'drive.log'), 'utf8') : '');

  const provider = (options: Partial<SmppProviderOptions> = {}): SmppProvider => {
    const built = createSmppProvider({
      url: `smpp://127.0.0.1:${port}`,
      systemId: 'verity',
      password: 'secret',
      bindMode: 'tx+rx',
      from: 'Verity',
      instance: 'smpp-drive',
      deliveryStatus: sink,
      logger,
      responseTimeoutMs: 3000,
      reconnectMinMs: 100,
      reconnectMaxMs: 500,
      ...options,
    });
    opened.push(built);
    return built;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verity-drive-smpp-'));
    // drive_smpp's smsbox side: something must accept on 13001. Taken already (another run, a local
    // Kannel)? Then that listener keeps drive_smpp alive instead.
    smsboxStandIn = createServer((socket) => {
      standInSockets.add(socket);
      socket.on('close', () => standInSockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve, reject) => {
      smsboxStandIn.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve() : reject(err)));
      smsboxStandIn.listen(SMSBOX_PORT, '127.0.0.1', resolve);
    });
  });

  beforeEach(async () => {
    rmSync(join(dir, 'drive.log'), { force: true });
    port = await freePort();
    drive = spawn(DRIVE_SMPP, ['-v', '0', '-l', join(dir, 'drive.log'), '-p', String(port), '-m', String(MO_MESSAGES)], { cwd: dir, detached: true, stdio: 'ignore' });
    await listening(port, drive);
  });

  afterEach(async () => {
    for (const p of opened.splice(0)) await p.close();
    if (drive.pid !== undefined && drive.exitCode === null && drive.signalCode === null) {
      const exited = new Promise((resolve) => drive.once('exit', resolve));
      // Its own process group: nothing it started outlives it.
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-drive.pid!, name);
        } catch {
          // gone meanwhile
        }
      };
      signal('SIGTERM');
      const kill = setTimeout(() => signal('SIGKILL'), 3000);
      await exited;
      clearTimeout(kill);
    }
    sink.clear();
    lines.length = 0;
  });

  after(async () => {
    for (const socket of standInSockets) socket.destroy();
    await new Promise((resolve) => (smsboxStandIn?.listening ? smsboxStandIn.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a transceiver bind is not answered (drive_smpp has none): ready() fails, nothing is sent', async () => {
    const p = provider({ bindMode: 'transceiver', bindWaitMs: 1500 });
    await assert.rejects(p.ready());
    assert.match(log(), /Unhandled SMPP PDU|bind_transceiver/i);
  });

  const answered = () => log().split('\n').filter((line) => line.includes('Handling SMPP PDU of type deliver_sm_resp')).length;

  // drive_smpp sends them right behind bind_receiver_resp, in the same read as it.
  it('binds as transmitter and receiver, and the mobile-originated deliver_sm are acknowledged and reported nowhere', async () => {
    const p = provider();
    await p.ready();
    await waitUntil('the transmitter and the receiver bound', () => p.binds.every((bind) => bind.state === 'bound'), { timeoutMs: 5000 });
    // drive_smpp sends MO_MESSAGES deliver_sm ("1", "2", …) as soon as the receiver is bound.
    await waitUntil(`${MO_MESSAGES} deliver_sm answered`, () => answered() >= MO_MESSAGES, { timeoutMs: 5000 }).catch((err: Error) => {
      throw new Error(`${err.message}\n${log().slice(-3000)}`);
    });
    assert.equal(lines.filter((l) => /message from a phone/.test(String(l['msg']))).length, MO_MESSAGES, 'each logged as a message from a phone');
    assert.deepEqual(sink.reports, [], 'a message from a phone is not a receipt');
    assert.equal(drive.exitCode, null, 'drive_smpp is still running');
  });

  it('submit_sm: Kannel\'s codec reads Verity\'s text, and an empty message_id still gives the attempt an id', async () => {
    const p = provider();
    await p.ready();
    const receipt = await p.send(message('Your Acme code is 834921', 'VL00000000000000000000000000000d01'));
    assert.equal(receipt.providerMessageId, 'verity-VL00000000000000000000000000000d01');
    assert.equal(receipt.status, 'sent');
    await waitUntil('drive_smpp to log the submit_sm', () => log().includes('submit_sm: short_message = <Your Acme code is 834921>'), { timeoutMs: 3000 });
  });

  it('a two-part message: two submit_sm, each accepted with an empty message_id, a distinct id for each part', async () => {
    const p = provider();
    await p.ready();
    const receipt = await p.send(message(`Your Acme code is 834921. ${'This text is long on purpose. '.repeat(6)}`, 'VL00000000000000000000000000000d02'));
    assert.equal(receipt.parts, 2);
    const ids = [receipt.providerMessageId, ...(receipt.partIds ?? [])];
    assert.equal(new Set(ids).size, ids.length, `distinct ids: ${ids.join(', ')}`);
  });
});
