/**
 * Wire timestamps for bench/sip-calls.ts: tcpdump captures UDP on the loopback interface to a pcap
 * file and this module reads it back. The kernel stamps each datagram as it crosses `lo`, so the
 * times are when Verity's packets really left, measured outside the process that sent them (its
 * own clock would share its stalls). The pcap format is 24 bytes of file header then, per packet,
 * 16 bytes of record header and the frame; reading it by hand is shorter than a dependency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface UdpDatagram {
  /** Capture time, ms since the epoch (microsecond resolution). */
  atMs: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  payload: Buffer;
}

export interface Capture {
  /** Stops tcpdump (SIGINT: it flushes the file) and reads every UDP datagram captured. */
  stop(): Promise<UdpDatagram[]>;
  /** What tcpdump printed (its drop counters). */
  report(): string;
}

const TCPDUMP = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump'].find((path) => existsSync(path));

/** True when tcpdump is installed (apt-get install tcpdump). */
export function tcpdumpAvailable(): boolean {
  return TCPDUMP !== undefined;
}

/**
 * Captures on `lo` what `filter` (a BPF expression) selects, `snaplen` bytes of each frame. `-U`
 * writes each packet as it comes; `-Z root` keeps tcpdump able to write into a root-only temp folder.
 */
export async function startCapture(file: string, filter: string, snaplen = 0): Promise<Capture> {
  if (!TCPDUMP) throw new Error('tcpdump is not installed');
  const child: ChildProcess = spawn(TCPDUMP, ['-i', 'lo', '-n', '-U', '-Z', 'root', '-B', '16384', '-s', String(snaplen), '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('listening on')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`tcpdump exited (${code}) before listening: ${text.trim()}`)));
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      return readPcap(file);
    },
    report: () => text.trim(),
  };
}

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;

/** The UDP/IPv4 datagrams of a pcap file (classic format, either byte order, µs or ns timestamps). */
function readPcap(file: string): UdpDatagram[] {
  const data = readFileSync(file);
  if (data.length < 24) return [];
  const magic = data.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && data.readUInt32BE(0) !== 0xa1b2c3d4 && data.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${file}: not a pcap file`);
  const u32 = (offset: number) => (little ? data.readUInt32LE(offset) : data.readUInt32BE(offset));
  const nanos = (little ? magic : data.readUInt32BE(0)) === 0xa1b23c4d;
  const linkType = u32(20) & 0x0fffffff;
  const linkHeader =
    linkType === LINKTYPE_ETHERNET ? 14 : linkType === LINKTYPE_LINUX_SLL ? 16 : linkType === LINKTYPE_LINUX_SLL2 ? 20 : linkType === LINKTYPE_RAW ? 0 : -1;
  if (linkHeader < 0) throw new Error(`${file}: link type ${linkType} is not read here`);
  const out: UdpDatagram[] = [];
  for (let offset = 24; offset + 16 <= data.length; ) {
    const seconds = u32(offset);
    const fraction = u32(offset + 4);
    const captured = u32(offset + 8);
    const frame = data.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
    const ip = frame.subarray(linkHeader);
    if (ip.length < 28 || ip[0]! >> 4 !== 4 || ip[9] !== 17) continue;
    const ipHeader = (ip[0]! & 0x0f) * 4;
    const udp = ip.subarray(ipHeader);
    if (udp.length < 8) continue;
    const address = (at: number) => `${ip[at]}.${ip[at + 1]}.${ip[at + 2]}.${ip[at + 3]}`;
    out.push({
      atMs: seconds * 1000 + (nanos ? fraction / 1e6 : fraction / 1e3),
      src: address(12),
      dst: address(16),
      srcPort: udp.readUInt16BE(0),
      dstPort: udp.readUInt16BE(2),
      payload: udp.subarray(8, Math.min(udp.length, udp.readUInt16BE(4))),
    });
  }
  return out;
}
