/**
 * What bench/sip-calls.ts reads from a loopback capture (sip-pcap.ts): each call's SIP milestones as
 * they crossed the wire, when its first prompt audio left, and how steadily each RTP stream was
 * sent. These numbers come from the kernel's timestamps, beside the ones Verity measures itself.
 */
import type { UdpDatagram } from './sip-pcap.ts';

export interface WireCall {
  callId: string;
  /** Verity's first INVITE of the call (before any digest challenge). */
  inviteAt: number;
  /** The first 180/183 that reached Verity. */
  ringingAt: number | null;
  /** The first 2xx to the INVITE that reached Verity. */
  answeredAt: number | null;
  /** Verity's RTP port, from the SDP offer. */
  rtpPort: number | null;
  /** A 401/407 digest challenge came back before the call went on. */
  challenged: boolean;
}

function header(text: string, names: string[]): string | undefined {
  const head = text.slice(0, text.indexOf('\r\n\r\n') >>> 0);
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && names.includes(line.slice(0, colon).trim().toLowerCase())) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** The SIP calls Verity (at `verity`) placed, by Call-ID, from the datagrams to and from its SIP socket. */
export function sipCalls(datagrams: readonly UdpDatagram[], verity: string): Map<string, WireCall> {
  const calls = new Map<string, WireCall>();
  for (const datagram of datagrams) {
    const text = datagram.payload.toString('latin1');
    const startLine = text.slice(0, text.indexOf('\r\n'));
    const callId = header(text, ['call-id', 'i']);
    const cseq = header(text, ['cseq']);
    if (!callId || !cseq) continue;
    if (datagram.src === verity && startLine.startsWith('INVITE ')) {
      if (calls.has(callId)) continue;
      const media = /\r\nm=audio (\d+) /.exec(text);
      calls.set(callId, { callId, inviteAt: datagram.atMs, ringingAt: null, answeredAt: null, rtpPort: media ? Number(media[1]) : null, challenged: false });
      continue;
    }
    const call = calls.get(callId);
    const status = /^SIP\/2\.0 (\d{3}) /.exec(startLine);
    if (!call || datagram.dst !== verity || !status || !/ INVITE$/i.test(cseq)) continue;
    const code = Number(status[1]);
    if (code === 401 || code === 407) call.challenged = true;
    if ((code === 180 || code === 183) && call.ringingAt === null) call.ringingAt = datagram.atMs;
    if (code >= 200 && code < 300 && call.answeredAt === null) call.answeredAt = datagram.atMs;
  }
  return calls;
}

/** When the first RTP packet of G.711 audio that is not silence (`silence`, per payload type) left `verity:port` after `after`. */
export function firstAudioSent(datagrams: readonly UdpDatagram[], verity: string, port: number, after: number, silence: Map<number, number>): number | null {
  for (const datagram of datagrams) {
    if (datagram.src !== verity || datagram.srcPort !== port || datagram.atMs < after || datagram.payload.length < 12 + 160) continue;
    const silent = silence.get(datagram.payload[1]! & 0x7f);
    if (silent === undefined) continue;
    const payload = datagram.payload.subarray(12 + 4 * (datagram.payload[0]! & 0x0f));
    if (payload.some((byte) => byte !== silent)) return datagram.atMs;
  }
  return null;
}

export interface StreamPacing {
  /** |Δ departure − 20 ms·Δ sequence| of consecutive packets, ms, every stream together. */
  deviationsMs: number[];
  /** RFC 3550 §A.8 interarrival jitter of each stream's audio packets, as the far end computes it (ms), at the end. */
  jitterMs: number[];
  /** The same estimate after every audio packet of every stream (what an RTCP report could have carried at any moment). */
  jitterSamplesMs: number[];
  packets: number;
  streams: number;
  /** Sequence gaps: packets never sent (the pacer skipped ticks) or lost before the capture. */
  missing: number;
}

/**
 * Sending steadiness of every RTP stream Verity sent (source `verity`) to `farPort`, in [from, to]. A
 * packet leaves per 20 ms tick, telephone-events included, so two packets `n` sequence numbers apart
 * should leave 20·n ms apart; audio packets carry their sampling instant in the RTP timestamp, which
 * gives the receiver's view (RFC 3550 jitter, with the capture time as arrival: loopback adds nothing).
 */
export function rtpPacing(datagrams: readonly UdpDatagram[], verity: string, farPort: number, from: number, to: number, audioTypes: ReadonlySet<number>): StreamPacing {
  const streams = new Map<number, UdpDatagram[]>();
  for (const datagram of datagrams) {
    if (datagram.src !== verity || datagram.dstPort !== farPort || datagram.atMs < from || datagram.atMs > to || datagram.payload.length < 12) continue;
    if (datagram.payload[0]! >> 6 !== 2) continue;
    let list = streams.get(datagram.srcPort);
    if (!list) streams.set(datagram.srcPort, (list = []));
    list.push(datagram);
  }
  const result: StreamPacing = { deviationsMs: [], jitterMs: [], jitterSamplesMs: [], packets: 0, streams: streams.size, missing: 0 };
  for (const list of streams.values()) {
    result.packets += list.length;
    let jitter = 0;
    let lastTransit: number | null = null;
    for (let i = 0; i < list.length; i++) {
      const packet = list[i]!;
      if (i > 0) {
        const previous = list[i - 1]!;
        const steps = (packet.payload.readUInt16BE(2) - previous.payload.readUInt16BE(2)) & 0xffff;
        if (steps === 0 || steps > 1000) continue;
        result.missing += steps - 1;
        result.deviationsMs.push(Math.abs(packet.atMs - previous.atMs - 20 * steps));
      }
      if (!audioTypes.has(packet.payload[1]! & 0x7f)) continue;
      // Transit in timestamp units (8 kHz); a wrap of the 32-bit timestamp between two packets is undone below.
      const transit = packet.atMs * 8 - packet.payload.readUInt32BE(4);
      if (lastTransit !== null) {
        let d = transit - lastTransit;
        if (Math.abs(d) > 2 ** 31) d -= Math.sign(d) * 2 ** 32;
        jitter += (Math.abs(d) - jitter) / 16;
        result.jitterSamplesMs.push(jitter / 8);
      }
      lastTransit = transit;
    }
    result.jitterMs.push(jitter / 8);
  }
  return result;
}
