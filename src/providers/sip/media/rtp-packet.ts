/**
 * RTP fixed header (RFC 3550 §5.1), read and written by hand: the format is 12 bytes plus CSRCs,
 * an optional extension and padding, and the npm RTP packages either pull in WebRTC stacks or do
 * not validate what a hostile peer sends. Parsing never throws: a malformed datagram is `null`.
 *
 *    0                   1                   2                   3
 *   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *   |                           timestamp                           |
 *   |           synchronization source (SSRC) identifier            |
 *   |            contributing source (CSRC) identifiers             | × CC
 *   | extension: profile-defined (16) |  length in 32-bit words (16)  | + words   (when X)
 *   | payload …                                  | padding … | count |  (when P)
 */

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  /** The header extension (RFC 3550 §5.3.1), kept so a packet round-trips; undefined when X = 0. */
  extension?: { profile: number; data: Buffer } | undefined;
  /** The payload without padding (a view on the received datagram). */
  payload: Buffer;
}

const RTP_VERSION = 2;
const FIXED_HEADER_BYTES = 12;

/** Parses one RTP datagram; null when it is not a well-formed RTP version 2 packet. */
export function parseRtpPacket(datagram: Buffer): RtpPacket | null {
  if (datagram.length < FIXED_HEADER_BYTES) return null;
  const first = datagram[0]!;
  if (first >> 6 !== RTP_VERSION) return null;
  const padding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  const second = datagram[1]!;
  const payloadType = second & 0x7f;
  // 72-76 would be RTCP SR/RR/SDES/BYE/APP sent to the RTP port (RFC 5761 §4): not media.
  if (payloadType >= 72 && payloadType <= 76) return null;
  let offset = FIXED_HEADER_BYTES + 4 * csrcCount;
  if (datagram.length < offset) return null;
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(datagram.readUInt32BE(FIXED_HEADER_BYTES + 4 * i));
  let extension: RtpPacket['extension'];
  if (hasExtension) {
    if (datagram.length < offset + 4) return null;
    const profile = datagram.readUInt16BE(offset);
    const words = datagram.readUInt16BE(offset + 2);
    const end = offset + 4 + 4 * words;
    if (datagram.length < end) return null;
    extension = { profile, data: datagram.subarray(offset + 4, end) };
    offset = end;
  }
  let end = datagram.length;
  if (padding) {
    // §5.1: the last octet counts the padding octets, itself included; 0 is invalid.
    const count = datagram[datagram.length - 1]!;
    if (count === 0 || count > end - offset) return null;
    end -= count;
  }
  return {
    payloadType,
    marker: (second & 0x80) !== 0,
    sequenceNumber: datagram.readUInt16BE(2),
    timestamp: datagram.readUInt32BE(4),
    ssrc: datagram.readUInt32BE(8),
    csrcs,
    extension,
    payload: datagram.subarray(offset, end),
  };
}

/** Writes an RTP packet (no padding: G.711 and telephone-events never need it). */
export function serializeRtpPacket(packet: RtpPacket): Buffer {
  if (packet.csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  if (!Number.isInteger(packet.payloadType) || packet.payloadType < 0 || packet.payloadType > 127) throw new RangeError('payload type must be 0-127');
  const extensionBytes = packet.extension ? 4 + packet.extension.data.length : 0;
  if (packet.extension && packet.extension.data.length % 4 !== 0) throw new RangeError('extension data must be whole 32-bit words');
  const header = FIXED_HEADER_BYTES + 4 * packet.csrcs.length;
  const out = Buffer.allocUnsafe(header + extensionBytes + packet.payload.length);
  out[0] = (RTP_VERSION << 6) | (packet.extension ? 0x10 : 0) | packet.csrcs.length;
  out[1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  out.writeUInt16BE(packet.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(packet.timestamp >>> 0, 4);
  out.writeUInt32BE(packet.ssrc >>> 0, 8);
  packet.csrcs.forEach((csrc, i) => out.writeUInt32BE(csrc >>> 0, FIXED_HEADER_BYTES + 4 * i));
  let offset = header;
  if (packet.extension) {
    out.writeUInt16BE(packet.extension.profile & 0xffff, offset);
    out.writeUInt16BE(packet.extension.data.length / 4, offset + 2);
    packet.extension.data.copy(out, offset + 4);
    offset += extensionBytes;
  }
  packet.payload.copy(out, offset);
  return out;
}
