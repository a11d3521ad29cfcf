import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import sdpTransform from 'sdp-transform';
import { g711RoundTrip, encodeG711 } from './g711-codec.ts';
import { dtmfTone } from './goertzel-dtmf-detector.ts';
import { MediaError, type DigitSource, type G711Codec, type DtmfModes } from './media-session.ts';
import { openMediaSession, type RtpMediaSession } from './rtp-media-session.ts';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from './rtp-packet.ts';
import { serializeTelephoneEvent } from './telephone-event.ts';

const RANGE = { min: 31000, max: 31999 };

async function session(t: TestContext, address: string, codecs: G711Codec[] = ['PCMU', 'PCMA'], dtmf: DtmfModes = { rfc4733: true, inband: true }): Promise<RtpMediaSession> {
  const media = await openMediaSession({ bindAddress: address, publicAddress: address, portRange: RANGE, codecs, dtmf });
  t.after(() => media.close());
  return media;
}

/** Verity on 127.0.0.2, the phone on 127.0.0.1, each given the other's SDP. */
async function pair(t: TestContext, options: { verity?: G711Codec[]; phone?: G711Codec[]; dtmf?: DtmfModes } = {}) {
  const verity = await session(t, '127.0.0.2', options.verity, options.dtmf);
  const phone = await session(t, '127.0.0.1', options.phone);
  verity.applyAnswer(phone.offer());
  phone.applyAnswer(verity.offer());
  return { verity, phone };
}

/** A plain UDP socket as the far end: sees exactly what the session sends. */
async function rawPeer(t: TestContext, address = '127.0.0.1') {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, address);
  await once(socket, 'listening');
  t.after(() => socket.close());
  const port = socket.address().port;
  return {
    socket,
    port,
    answer: (payloads = '0 8 101', extra = 'a=rtpmap:101 telephone-event/8000\r\n') =>
      `v=0\r\no=- 1 1 IN IP4 ${address}\r\ns=-\r\nc=IN IP4 ${address}\r\nt=0 0\r\nm=audio ${port} RTP/AVP ${payloads}\r\n${extra}`,
    /** Resolves with the first `count` RTP packets matching `filter`. */
    collect(count: number, filter: (p: RtpPacket) => boolean = () => true): Promise<RtpPacket[]> {
      return new Promise((resolve) => {
        const packets: RtpPacket[] = [];
        const onMessage = (message: Buffer) => {
          const packet = parseRtpPacket(message);
          if (!packet || !filter(packet)) return;
          packets.push({ ...packet, payload: Buffer.from(packet.payload) });
          if (packets.length === count) {
            socket.off('message', onMessage);
            resolve(packets);
          }
        };
        socket.on('message', onMessage);
      });
    },
    send(packet: RtpPacket, port: number, from = socket): Promise<void> {
      return new Promise((resolve) => from.send(serializeRtpPacket(packet), port, '127.0.0.2', () => resolve()));
    },
  };
}

function digits(media: RtpMediaSession, count: number): Promise<[string, DigitSource][]> {
  return new Promise((resolve) => {
    const heard: [string, DigitSource][] = [];
    const stop = media.onDigit((digit, source) => {
      heard.push([digit, source]);
      if (heard.length === count) {
        stop();
        resolve(heard);
      }
    });
  });
}

// -- SDP ---------------------------------------------------------------------------------------

test('the offer: even port, codecs in the configured order, telephone-event 0-16, ptime 20, sendrecv', async (t) => {
  const media = await openMediaSession({ bindAddress: '127.0.0.2', publicAddress: '203.0.113.7', portRange: RANGE, codecs: ['PCMA', 'PCMU'], dtmf: { rfc4733: true, inband: false } });
  t.after(() => media.close());
  const offer = sdpTransform.parse(media.offer());
  const audio = offer.media[0]!;
  assert.equal(offer.connection?.ip, '203.0.113.7', 'c= is the public address');
  assert.equal(audio.port % 2, 0, 'RTP on an even port');
  assert.ok(audio.port >= RANGE.min && audio.port <= RANGE.max, 'port within the range');
  assert.equal(audio.protocol, 'RTP/AVP');
  assert.equal(audio.payloads, '8 0 101');
  assert.deepEqual(audio.rtp.map((r) => `${r.payload} ${r.codec}/${r.rate}`), ['8 PCMA/8000', '0 PCMU/8000', '101 telephone-event/8000']);
  assert.deepEqual(audio.fmtp, [{ payload: 101, config: '0-16' }]);
  assert.equal(audio.ptime, 20);
  assert.equal(audio.direction, 'sendrecv');

  const inbandOnly = await openMediaSession({ bindAddress: '127.0.0.2', publicAddress: '127.0.0.2', portRange: RANGE, codecs: ['PCMU'], dtmf: { rfc4733: false, inband: true } });
  t.after(() => inbandOnly.close());
  assert.equal(String(sdpTransform.parse(inbandOnly.offer()).media[0]!.payloads), '0', 'no telephone-event offered without rfc4733');
});

test('the answer decides: PCMA-only, the first common codec in the answer\'s order, static types without rtpmap', async (t) => {
  const peer = await rawPeer(t);
  const media = await session(t, '127.0.0.2');
  media.applyAnswer(peer.answer('8', ''));
  assert.equal(media.stats().codec, 'PCMA');
  media.applyAnswer(peer.answer('8 0', ''));
  assert.equal(media.stats().codec, 'PCMA', 'the answer lists its preference first');
  media.applyAnswer(peer.answer('0', ''));
  assert.equal(media.stats().codec, 'PCMU');
  const [packet] = await peer.collect(1);
  assert.equal(packet!.payloadType, 0, 'sends with the answered payload type');
  assert.equal(media.stats().remote, `127.0.0.1:${peer.port}`);
});

test('unusable answers throw MediaError', async (t) => {
  const peer = await rawPeer(t);
  const pcmuOnly = await session(t, '127.0.0.2', ['PCMU']);
  assert.throws(() => pcmuOnly.applyAnswer(peer.answer('8', '')), MediaError, 'no common codec');
  assert.throws(() => pcmuOnly.applyAnswer(peer.answer('18', 'a=rtpmap:18 G729/8000\r\n')), MediaError, 'G.729 only');
  assert.throws(() => pcmuOnly.applyAnswer(peer.answer('0', 'a=rtpmap:0 PCMU/16000\r\n')), MediaError, 'wrong clock rate');
  assert.throws(() => pcmuOnly.applyAnswer(peer.answer('0').replace(`m=audio ${peer.port}`, 'm=audio 0')), MediaError, 'audio refused (port 0)');
  assert.throws(() => pcmuOnly.applyAnswer(peer.answer('0').replace('c=IN IP4 127.0.0.1\r\n', '')), MediaError, 'no address');
  assert.throws(() => pcmuOnly.applyAnswer(peer.answer('0').replace('c=IN IP4 127.0.0.1', 'c=IN IP4 0.0.0.0')), MediaError, 'hold address');
  assert.throws(() => pcmuOnly.applyAnswer('this is not SDP'), MediaError, 'garbage');
  assert.throws(() => pcmuOnly.applyAnswer(peer.answer('0').replace('RTP/AVP', 'RTP/SAVP')), MediaError, 'SRTP only');
});

for (const pt of [96, 101]) {
  test(`telephone-event on the answered payload type ${pt} (sent and received)`, async (t) => {
    const peer = await rawPeer(t);
    const media = await session(t, '127.0.0.2');
    media.applyAnswer(peer.answer(`0 ${pt}`, `a=rtpmap:${pt} telephone-event/8000\r\na=fmtp:${pt} 0-15\r\n`));
    const events = peer.collect(4, (p) => p.payloadType === pt);
    void media.sendDigits('7', { durationMs: 40 });
    const packets = await events;
    // Digit 7, volume 10: a start packet (160 samples), then the end packet (320) three times (RFC 4733 §2.5.1.4).
    assert.deepEqual(packets.map((p) => p.payload.toString('hex')), ['070a00a0', '078a0140', '078a0140', '078a0140']);
    assert.equal(packets[0]!.marker, true, 'the first packet of the event has the marker');
    assert.ok(packets.slice(0, 4).every((p) => p.timestamp === packets[0]!.timestamp), 'one timestamp for the whole event');
    // Received on the answered type too.
    const heard = digits(media, 1);
    await peer.send({ payloadType: pt, marker: true, sequenceNumber: 1, timestamp: 1, ssrc: 9, csrcs: [], payload: serializeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 }) }, media.localPort);
    assert.deepEqual(await heard, [['#', 'rfc4733']]);
  });
}

// -- RTP between two real sessions ----------------------------------------------------------------

test('audio arrives sample-exact after G.711, with continuous comfort silence around it', async (t) => {
  for (const codec of ['PCMU', 'PCMA'] as const) {
    const { verity, phone } = await pair(t, { phone: [codec] });
    assert.equal(verity.stats().codec, codec);
    const prompt = Int16Array.from({ length: 4000 }, (_, i) => Math.round(6000 * Math.sin(i / 7) + 2000 * Math.sin(i / 3.1)));
    const received: Int16Array[] = [];
    phone.onAudio((frame) => received.push(frame));
    // Silence flows before any prompt: the NAT binding and the far end's jitter buffer stay alive.
    await new Promise<void>((resolve) => {
      const stop = phone.onAudio(() => received.length >= 3 && (stop(), resolve()));
    });
    assert.ok(received.every((frame) => frame.every((v) => Math.abs(v) <= 8)), 'silence before the prompt');
    assert.equal(verity.stats().firstAudioAt, null, 'no audio sent yet');
    const before = performance.now();
    assert.equal(await verity.play(prompt), 'done');
    const elapsed = performance.now() - before;
    // Paced, not sent at once: never faster than the clock (a loaded machine only makes it slower; bench:rtp measures the steadiness).
    assert.ok(elapsed >= 420, `25 frames take about 500 ms on the 20 ms clock (${elapsed.toFixed(0)} ms)`);
    const firstAudioAt = verity.stats().firstAudioAt;
    assert.ok(firstAudioAt !== null && firstAudioAt >= before - 1, 'firstAudioAt set when the prompt started');
    // Wait for the prompt's last frame and a silence frame after it.
    await new Promise<void>((resolve) => {
      const stop = phone.onAudio(() => {
        const all = concat(received);
        if (indexOf(all, g711RoundTrip(codec, prompt)) >= 0) {
          stop();
          resolve();
        }
      });
    });
    const all = concat(received);
    const at = indexOf(all, g711RoundTrip(codec, prompt));
    assert.ok(at >= 0 && at % 160 === 0, 'the prompt is in the stream, frame-aligned, exactly as G.711 carries it');
  }
});

function concat(frames: Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}

function indexOf(haystack: Int16Array, needle: Int16Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i += 160) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

test('RFC 4733 digits both ways, every key once', async (t) => {
  const { verity, phone } = await pair(t, { dtmf: { rfc4733: true, inband: false } });
  const keys = '0123456789*#ABCD';
  const atVerity = digits(verity, keys.length);
  await phone.sendDigits(keys, { durationMs: 60, gapMs: 40 });
  assert.deepEqual((await atVerity).map(([d]) => d).join(''), keys);
  const atPhone = digits(phone, 3);
  await verity.sendDigits('911');
  assert.deepEqual(await atPhone, [['9', 'rfc4733'], ['1', 'rfc4733'], ['1', 'rfc4733']]);
});

test('in-band digits over RTP are heard only when in-band detection is on', async (t) => {
  const { verity, phone } = await pair(t, { dtmf: { rfc4733: false, inband: true } });
  const heard = digits(verity, 4);
  await phone.sendDigits('19#5', { mode: 'inband' });
  assert.deepEqual(await heard, [['1', 'inband'], ['9', 'inband'], ['#', 'inband'], ['5', 'inband']]);

  const deaf = await pair(t, { dtmf: { rfc4733: true, inband: false } });
  const got: string[] = [];
  deaf.verity.onDigit((d) => got.push(d));
  const marker = digits(deaf.verity, 1);
  await deaf.phone.sendDigits('19#5', { mode: 'inband' });
  await deaf.phone.sendDigits('0');
  await marker;
  assert.deepEqual(got, ['0'], 'the tones were not digits, the event after them was');
});

test('both modes on: a key sent as an event and as a tone at once counts once', async (t) => {
  const peer = await rawPeer(t);
  const media = await session(t, '127.0.0.2', ['PCMU'], { rfc4733: true, inband: true });
  media.applyAnswer(peer.answer('0 101'));
  const heard: [string, DigitSource][] = [];
  media.onDigit((digit, source) => heard.push([digit, source]));
  // A trunk that sends events and leaves the tone in the audio: each 20 ms an audio packet with
  // the tone and an event packet, then silence. Key 4, then key 4 again after a pause, then key 8.
  let sequence = 0;
  let timestamp = 0;
  const ssrc = 77;
  const press = async (digit: string, event: number) => {
    const tone = dtmfTone(digit, 160 * 6);
    const start = timestamp;
    for (let frame = 0; frame < 6; frame++) {
      await peer.send({ payloadType: 0, marker: false, sequenceNumber: sequence++, timestamp, ssrc, csrcs: [], payload: encodeG711('PCMU', tone.subarray(frame * 160, frame * 160 + 160)) }, media.localPort);
      const end = frame === 5;
      for (let r = 0; r < (end ? 3 : 1); r++) await peer.send({ payloadType: 101, marker: frame === 0, sequenceNumber: sequence++, timestamp: start, ssrc, csrcs: [], payload: serializeTelephoneEvent({ event, end, volume: 10, duration: (frame + 1) * 160 }) }, media.localPort);
      timestamp += 160;
      await new Promise((resolve) => setTimeout(resolve, 20)); // the far end's own 20 ms clock
    }
    for (let frame = 0; frame < 8; frame++) {
      await peer.send({ payloadType: 0, marker: false, sequenceNumber: sequence++, timestamp, ssrc, csrcs: [], payload: encodeG711('PCMU', new Int16Array(160)) }, media.localPort);
      timestamp += 160;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const three = digits(media, 3);
  await press('4', 4);
  await press('4', 4);
  await press('8', 8);
  assert.deepEqual((await three).map(([d]) => d), ['4', '4', '8']);
  assert.equal(heard.length, 3, `each press once (${JSON.stringify(heard)})`);
});

test('symmetric RTP: latches onto the callee\'s source, ignores a foreign stream, follows a NAT rebinding', async (t) => {
  const signalled = await rawPeer(t);
  const actual = await rawPeer(t);
  const foreign = await rawPeer(t);
  const media = await session(t, '127.0.0.2', ['PCMU']);
  media.applyAnswer(signalled.answer('0'));
  assert.equal(media.stats().remote, `127.0.0.1:${signalled.port}`, 'sends to the SDP address first');
  const audio: Int16Array[] = [];
  media.onAudio((frame) => audio.push(frame));
  const frame = (ssrc: number, sequenceNumber: number, level: number): RtpPacket => ({ payloadType: 0, marker: false, sequenceNumber, timestamp: sequenceNumber * 160, ssrc, csrcs: [], payload: encodeG711('PCMU', new Int16Array(160).fill(level)) });
  // The callee's packets come from another port (its NAT): we now send there.
  const toActual = actual.collect(2);
  await actual.send(frame(1111, 1, 1000), media.localPort, actual.socket);
  await toActual;
  assert.equal(media.stats().remote, `127.0.0.1:${actual.port}`);
  // Another SSRC from another source: dropped (an injected or stray stream).
  const dropped = media.stats().packetsDropped;
  await foreign.send(frame(2222, 2, 3000), media.localPort, foreign.socket);
  // Garbage, an unknown payload type and RTCP: counted and dropped, the session keeps working.
  await new Promise<void>((resolve) => actual.socket.send(Buffer.from('not rtp at all'), media.localPort, '127.0.0.2', () => resolve()));
  await actual.send({ ...frame(1111, 3, 0), payloadType: 18 }, media.localPort, actual.socket);
  const heard = new Promise<void>((resolve) => {
    const stop = media.onAudio(() => (stop(), resolve()));
  });
  await actual.send(frame(1111, 4, 2000), media.localPort, actual.socket);
  await heard;
  assert.equal(media.stats().packetsDropped, dropped + 3, 'foreign stream, garbage and unknown payload type dropped');
  assert.deepEqual(audio.map((f) => f[0]), [g711RoundTrip('PCMU', Int16Array.of(1000))[0], g711RoundTrip('PCMU', Int16Array.of(2000))[0]], 'only the callee\'s audio');
  // The callee's SSRC from a new address: its NAT rebound; follow it.
  const toSignalled = signalled.collect(2);
  await signalled.send(frame(1111, 5, 1000), media.localPort, signalled.socket);
  await toSignalled;
  assert.equal(media.stats().remote, `127.0.0.1:${signalled.port}`);
  assert.equal(media.stats().packetsReceived, 3);
  assert.ok(media.stats().jitterMs >= 0 && Number.isFinite(media.stats().jitterMs), 'jitter is a number');
});

test('ports: even, from the range, the next one when taken; MediaError when the range is full', async (t) => {
  // A range of two even ports whose first one another socket holds (found free at run time).
  const { blocker, base } = await blockedRange();
  t.after(() => blocker.close());
  const opened: RtpMediaSession[] = [];
  t.after(() => opened.forEach((m) => m.close()));
  const options = { bindAddress: '127.0.0.2', publicAddress: '127.0.0.2', portRange: { min: base - 1, max: base + 3 }, codecs: ['PCMU'] as G711Codec[], dtmf: { rfc4733: true, inband: false } };
  opened.push(await openMediaSession(options));
  assert.equal(opened[0]!.localPort, base + 2, 'the only free even port (base is taken, base ± 1 and base + 3 are odd)');
  await assert.rejects(openMediaSession(options), MediaError);
});

test('play: interrupted by its signal at once, and by close', async (t) => {
  const { verity } = await pair(t);
  const long = new Int16Array(8000 * 10);
  const controller = new AbortController();
  const playing = verity.play(long, controller.signal);
  const started = performance.now();
  setTimeout(() => controller.abort(), 100);
  assert.equal(await playing, 'interrupted');
  assert.ok(performance.now() - started < 100 + 3000, 'stopped at the abort, not after the 10 s prompt');
  assert.equal(await verity.play(long, AbortSignal.abort()), 'interrupted', 'an aborted signal plays nothing');
  const closing = verity.play(long);
  verity.close();
  assert.equal(await closing, 'interrupted');
  verity.close(); // idempotent
  assert.equal(await verity.play(long), 'interrupted', 'a closed session plays nothing');
});

/** Binds an even port `base` on 127.0.0.2 whose neighbour base + 2 is free too. */
async function blockedRange(): Promise<{ blocker: dgram.Socket; base: number }> {
  const bind = (port: number) =>
    new Promise<dgram.Socket | null>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(null);
      });
      socket.bind(port, '127.0.0.2', () => resolve(socket));
    });
  for (;;) {
    const base = 40000 + 2 * Math.floor(Math.random() * 10000);
    const blocker = await bind(base);
    if (!blocker) continue;
    const probe = await bind(base + 2);
    if (probe) {
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return { blocker, base };
    }
    blocker.close();
  }
}

test('sendDigits refuses what cannot be sent, before queueing anything', async (t) => {
  const peer = await rawPeer(t);
  const media = await session(t, '127.0.0.2');
  media.applyAnswer(peer.answer('0', ''));
  await assert.rejects(media.sendDigits('12'), MediaError, 'the answer has no telephone-event');
  await assert.rejects(media.sendDigits('1E', { mode: 'inband' }), RangeError);
  const [packet] = await peer.collect(1);
  assert.ok(packet!.payload.every((byte) => byte === 0xff), 'only silence went out (nothing of the refused digits)');
});
