/**
 * The far end of bench/sip-calls.ts's concurrent calls: sipp (Debian `sip-tester`) as a UAS running
 * test/fixtures/sip/bench/uas-echo.xml (180, then 200 with PCMU + telephone-event 101, then it waits
 * for the BYE) with `-rtp_echo`, which sends every RTP datagram back to where it came from. One
 * echo port serves every call: each of Verity's streams comes back to its own socket.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortBlock, startPeerProcess } from '../../test/support/sip-peers/peer-process.ts';

const SCENARIO = fileURLToPath(new URL('../../test/fixtures/sip/bench/uas-echo.xml', import.meta.url));

export interface EchoUas {
  host: string;
  /** sipp's SIP port (UDP). */
  port: number;
  /** The RTP echo port written into its SDP. */
  mediaPort: number;
  pid: number;
  stop(): Promise<void>;
}

/** True while something holds `port` for UDP on `host`. */
function udpBound(host: string, port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(true));
    socket.bind(port, host, () => socket.close(() => resolve(false)));
  });
}

export async function startEchoUas(maxCalls: number): Promise<EchoUas> {
  const host = '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'verity-bench-sipp-'));
  const port = await freePortBlock(1, host);
  // -rtp_echo also echoes mediaPort + 2 (video): keep the block free.
  const mediaPort = await freePortBlock(4, host);
  const peer = startPeerProcess({
    name: 'sipp echo UAS',
    command: 'sipp',
    args: ['-sf', SCENARIO, '-i', host, '-p', String(port), '-mi', host, '-mp', String(mediaPort), '-rtp_echo', '-l', String(maxCalls + 10), '-nostdin', '-trace_err'],
    cwd: dir,
    logFile: join(dir, 'sipp.log'),
  });
  const stop = async () => {
    await peer.stop(['SIGTERM'], 1500);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // sipp's screen goes to a pipe it buffers, so it says nothing when ready: wait for its two sockets.
    const deadline = performance.now() + 10_000;
    while (!((await udpBound(host, port)) && (await udpBound(host, mediaPort)))) {
      if (peer.exited()) throw new Error(`sipp exited at start:\n${peer.output().slice(-2000)}`);
      if (performance.now() > deadline) throw new Error('sipp did not open its SIP and RTP echo ports within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host,
    port,
    mediaPort,
    pid: peer.child.pid!,
    stop,
  };
}
