import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRtpPacket, serializeRtpPacket } from './rtp-packet.ts';

/** RFC 3550 §5.1 headers as bytes: what each field must read as. */
const VECTORS = [
  {
    name: 'PCMU, marker, no CSRC (a first packet of a talkspurt)',
    hex: '80 80 1a 2b 00 00 a0 00 de ad be ef ff ff 7f',
    expect: { payloadType: 0, marker: true, sequenceNumber: 0x1a2b, timestamp: 0xa000, ssrc: 0xdeadbeef, csrcs: [], payload: 'ffff7f' },
  },
  {
    name: 'telephone-event PT 101, maximum sequence and timestamp',
    hex: '80 65 ff ff ff ff ff ff 00 00 00 01 09 8a 03 20',
    expect: { payloadType: 101, marker: false, sequenceNumber: 0xffff, timestamp: 0xffffffff, ssrc: 1, csrcs: [], payload: '098a0320' },
  },
  {
    name: 'two CSRCs (CC = 2, a mixer)',
    hex: '82 08 00 01 00 00 00 02 00 00 00 03 11 11 11 11 22 22 22 22 d5 d5',
    expect: { payloadType: 8, marker: false, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [0x11111111, 0x22222222], payload: 'd5d5' },
  },
  {
    name: 'header extension (X = 1, one word, RFC 3550 §5.3.1) is skipped',
    hex: '90 00 00 05 00 00 00 06 00 00 00 07 be de 00 01 10 aa 00 00 ff',
    expect: { payloadType: 0, marker: false, sequenceNumber: 5, timestamp: 6, ssrc: 7, csrcs: [], payload: 'ff' },
  },
  {
    name: 'padding (P = 1, last octet counts itself)',
    hex: 'a0 00 00 05 00 00 00 06 00 00 00 07 ff fe 00 00 03',
    expect: { payloadType: 0, marker: false, sequenceNumber: 5, timestamp: 6, ssrc: 7, csrcs: [], payload: 'fffe' },
  },
];

const bytes = (hex: string) => Buffer.from(hex.replaceAll(' ', ''), 'hex');

test('RTP headers parse field by field (RFC 3550 §5.1)', () => {
  for (const vector of VECTORS) {
    const packet = parseRtpPacket(bytes(vector.hex));
    assert.ok(packet, `${vector.name}: parsed`);
    const { payload, ...fields } = vector.expect;
    assert.deepEqual(
      { payloadType: packet.payloadType, marker: packet.marker, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, ssrc: packet.ssrc, csrcs: packet.csrcs },
      fields,
      vector.name,
    );
    assert.equal(packet.payload.toString('hex'), payload, vector.name);
  }
});

test('serialize writes the same bytes back (padding aside)', () => {
  for (const vector of VECTORS.filter((v) => !v.name.startsWith('padding'))) {
    assert.equal(serializeRtpPacket(parseRtpPacket(bytes(vector.hex))!).toString('hex'), vector.hex.replaceAll(' ', ''), vector.name);
  }
});

test('malformed datagrams are null, never an exception', () => {
  const malformed: Record<string, string> = {
    empty: '',
    'shorter than the fixed header': '80 00 00 01 00 00 00 02 00 00 00',
    'version 1': '40 00 00 01 00 00 00 02 00 00 00 03 ff',
    'version 0 (a STUN message)': '00 01 00 00 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 00',
    'CSRC count beyond the datagram': '8f 00 00 01 00 00 00 02 00 00 00 03 00 00 00 01',
    'extension header cut short': '90 00 00 01 00 00 00 02 00 00 00 03 be de',
    'extension length beyond the datagram': '90 00 00 01 00 00 00 02 00 00 00 03 be de 00 09 00 00 00 00',
    'padding count 0': 'a0 00 00 01 00 00 00 02 00 00 00 03 ff 00',
    'padding count beyond the payload': 'a0 00 00 01 00 00 00 02 00 00 00 03 ff 09',
    'RTCP receiver report on the RTP port (PT 201 → 73)': '81 c9 00 07 00 00 00 01 00 00 00 02 00 00 00 00',
  };
  for (const [name, hex] of Object.entries(malformed)) assert.equal(parseRtpPacket(bytes(hex)), null, name);
  // Seeded random bytes: whatever comes in, parsing returns (a packet or null) and never throws.
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 5000; i++) {
    const datagram = Buffer.from(Array.from({ length: next() % 40 }, next));
    const packet = parseRtpPacket(datagram);
    if (packet) assert.ok(packet.payload.length <= datagram.length, 'payload within the datagram');
  }
});

test('serialize refuses what RTP cannot carry', () => {
  const base = { payloadType: 0, marker: false, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcs: [], payload: Buffer.alloc(0) };
  assert.throws(() => serializeRtpPacket({ ...base, payloadType: 128 }), RangeError);
  assert.throws(() => serializeRtpPacket({ ...base, csrcs: Array.from({ length: 16 }, () => 1) }), RangeError);
  assert.throws(() => serializeRtpPacket({ ...base, extension: { profile: 0xbede, data: Buffer.alloc(3) } }), RangeError);
  // Sequence numbers and timestamps wrap rather than overflow.
  const wrapped = parseRtpPacket(serializeRtpPacket({ ...base, sequenceNumber: 0x10001, timestamp: 2 ** 32 + 5 }))!;
  assert.equal(wrapped.sequenceNumber, 1);
  assert.equal(wrapped.timestamp, 5);
});
