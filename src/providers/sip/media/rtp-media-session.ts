import { randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import sdpTransform from 'sdp-transform';
import { decodeG711, encodeG711, STATIC_PAYLOAD_TYPE } from './g711-codec.ts';
import { dtmfTone, GoertzelDtmfDetector } from './goertzel-dtmf-detector.ts';
import {
  MediaError,
  type DigitSource,
  type G711Codec,
  type MediaSession,
  type MediaSessionOptions,
  type MediaStats,
} from './media-session.ts';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from './rtp-packet.ts';
import { sharedPacer, type RtpPacer } from './rtp-pacer.ts';
import { eventForDigit, serializeTelephoneEvent, TelephoneEventReceiver } from './telephone-event.ts';

/**
 * The RTP side of one call (RFC 3550, G.711 per RFC 3551, telephone-events per RFC 4733), written
 * on `node:dgram` because no npm package does plain RTP for a server without WebRTC:
 *
 * - Sending: one 20 ms frame per tick of the process-wide pacer (rtp-pacer.ts). Between prompts it
 *   sends G.711 silence, so the stream never stops (NAT bindings stay open, the far end's jitter
 *   buffer does not reset); queued digits go before prompt audio.
 * - Symmetric RTP (RFC 4961): once answered, the first valid packet's source address becomes where
 *   we send (the SDP address is often a private one behind NAT). After that, packets from another
 *   source with another SSRC are dropped (stray or injected streams); the same SSRC from a new
 *   source is a NAT rebinding and is followed.
 * - Receiving: G.711 frames are decoded for the recorder and the in-band detector; telephone-events
 *   become digits. Anything else (garbage, RTCP, unknown payload types) is counted and dropped; the
 *   socket handler never throws.
 */

/** Dynamic payload type we offer for telephone-event (the answer's number is used to send). */
const OFFER_TELEPHONE_EVENT_PT = 101;
const SAMPLES_PER_FRAME = 160;
const CLOCK_RATE = 8000;
/**
 * With both DTMF modes on, the same digit heard the other way while the first is still going on (an
 * event's packets still arriving, the tone still sounding) or within this long after it is the same
 * key press. Short, so "55" with the usual 100 ms pause is still two presses.
 */
const DUAL_MODE_WINDOW_MS = 60;
/** RFC 4733 §2.5.1.4: the end packet is sent three times. */
const END_REPEATS = 3;

export interface RtpMediaSessionOptions extends MediaSessionOptions {
  /** The clock to send on. Default: the process-wide pacer. */
  pacer?: RtpPacer;
}

export interface SendDigitsOptions {
  /** `rfc4733` (telephone-events; needs the answer to accept them) or `inband` (tones in the audio). Default rfc4733. */
  mode?: 'rfc4733' | 'inband';
  /** Tone or event length. Default 100 ms. */
  durationMs?: number;
  /** Silence after each digit. Default 100 ms. */
  gapMs?: number;
}

/** MediaStats plus what a call's logs want to know about a misbehaving far end. */
export interface RtpMediaStats extends MediaStats {
  /** Garbage, unknown payload types, packets from a foreign source, duplicates. */
  packetsDropped: number;
  localPort: number;
  remote: string | null;
}

type OutgoingItem =
  | { kind: 'event'; event: number; frames: number; sent: number; endsSent: number; startTimestamp: number | null }
  | { kind: 'audio'; samples: Int16Array; position: number }
  | { kind: 'done'; resolve: () => void };

interface Playback {
  samples: Int16Array;
  position: number;
  resolve: (result: 'done' | 'interrupted') => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Negotiated {
  codec: G711Codec;
  payloadType: number;
  telephoneEventPt: number | null;
  /** Payload types we decode (the answer may map PCMU and PCMA both). */
  decode: Map<number, G711Codec>;
  address: string;
  port: number;
}

/**
 * Opens the RTP socket of one call on an even port of `options.portRange` (RFC 3550 §11: RTP on
 * even, RTCP on the next odd port), trying further ports while they are taken.
 *
 * @example
 * const media = await openMediaSession({ bindAddress: '127.0.0.2', publicAddress: '127.0.0.2', portRange: { min: 20000, max: 20999 }, codecs: ['PCMU', 'PCMA'], dtmf: { rfc4733: true, inband: true } });
 * invite.sdp = media.offer(); … media.applyAnswer(answerSdp); await media.play(samples);
 */
export async function openMediaSession(options: RtpMediaSessionOptions): Promise<RtpMediaSession> {
  if (options.codecs.length === 0) throw new MediaError('no codec to offer');
  const first = options.portRange.min + (options.portRange.min % 2);
  const count = Math.floor((options.portRange.max - first) / 2) + 1;
  if (count < 1) throw new MediaError(`no even port in ${options.portRange.min}-${options.portRange.max}`);
  // A random start spreads concurrent calls over the range instead of all fighting for the first port.
  const start = randomInt(count);
  for (let i = 0; i < count; i++) {
    const port = first + 2 * ((start + i) % count);
    const socket = dgram.createSocket({ type: isIP(options.bindAddress) === 6 ? 'udp6' : 'udp4' });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ address: options.bindAddress, port, exclusive: true }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      socket.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' || (error as NodeJS.ErrnoException).code === 'EACCES') continue;
      throw new MediaError(`cannot bind RTP on ${options.bindAddress}: ${(error as Error).message}`);
    }
    return new RtpMediaSession(socket, port, options);
  }
  throw new MediaError(`no free RTP port in ${options.portRange.min}-${options.portRange.max}`);
}

export class RtpMediaSession implements MediaSession {
  readonly localPort: number;
  private readonly socket: dgram.Socket;
  private readonly options: RtpMediaSessionOptions;
  private readonly leavePacer: () => void;
  private readonly ssrc = randomBytes(4).readUInt32BE(0);
  private readonly sdpSessionId = randomInt(1, 2 ** 47);
  private sequence = randomInt(0x10000);
  private timestamp = randomBytes(4).readUInt32BE(0);
  private marker = true;
  private negotiated: Negotiated | null = null;
  /** Where we send: the SDP address until the callee's own packets tell us better. */
  private target: { address: string; port: number } | null = null;
  private latched: { address: string; port: number; ssrc: number } | null = null;
  private readonly playbacks: Playback[] = [];
  private readonly outgoing: OutgoingItem[] = [];
  private readonly digitListeners = new Set<(digit: string, source: DigitSource) => void>();
  private readonly audioListeners = new Set<(frame: Int16Array) => void>();
  private readonly events = new TelephoneEventReceiver();
  private readonly detector: GoertzelDtmfDetector | null;
  private recentEvent: { digit: string; until: number } | null = null;
  private recentTone: { digit: string; until: number } | null = null;
  private jitter = 0;
  private lastTransit: number | null = null;
  private lastSequence: number | null = null;
  private closed = false;
  private readonly counters = { sent: 0, received: 0, dropped: 0, firstAudioAt: null as number | null };
  private readonly silence = new Map<G711Codec, Buffer>();

  /** Use openMediaSession. */
  constructor(socket: dgram.Socket, port: number, options: RtpMediaSessionOptions) {
    this.socket = socket;
    this.localPort = port;
    this.options = options;
    this.detector = options.dtmf.inband ? new GoertzelDtmfDetector() : null;
    socket.on('message', (message, rinfo) => {
      try {
        this.receive(message, rinfo);
      } catch {
        this.counters.dropped++;
      }
    });
    // ICMP port unreachable and the like surface here: a call's audio problem, never a crash.
    socket.on('error', () => undefined);
    this.leavePacer = (options.pacer ?? sharedPacer).join((skipped) => this.tick(skipped));
  }

  offer(): string {
    const ipVer = isIP(this.options.publicAddress) === 6 ? 6 : 4;
    const payloads = this.options.codecs.map((codec) => STATIC_PAYLOAD_TYPE[codec]);
    const rtp: { payload: number; codec: string; rate: number }[] = this.options.codecs.map((codec) => ({ payload: STATIC_PAYLOAD_TYPE[codec], codec, rate: CLOCK_RATE }));
    const fmtp: { payload: number; config: string }[] = [];
    if (this.options.dtmf.rfc4733) {
      payloads.push(OFFER_TELEPHONE_EVENT_PT);
      rtp.push({ payload: OFFER_TELEPHONE_EVENT_PT, codec: 'telephone-event', rate: CLOCK_RATE });
      fmtp.push({ payload: OFFER_TELEPHONE_EVENT_PT, config: '0-16' });
    }
    return sdpTransform.write({
      version: 0,
      // RFC 4566 §5.2: the session id stays for the session's life; the version changes with the SDP (it never does here).
      origin: { username: 'verity', sessionId: this.sdpSessionId, sessionVersion: this.sdpSessionId, netType: 'IN', ipVer, address: this.options.publicAddress },
      name: 'Verity',
      connection: { version: ipVer, ip: this.options.publicAddress },
      timing: { start: 0, stop: 0 },
      media: [
        {
          type: 'audio',
          port: this.localPort,
          protocol: 'RTP/AVP',
          payloads: payloads.join(' '),
          rtp,
          fmtp,
          ptime: 20,
          direction: 'sendrecv',
        },
      ],
    });
  }

  applyAnswer(sdp: string): void {
    let parsed: sdpTransform.SessionDescription;
    try {
      parsed = sdpTransform.parse(sdp);
    } catch (error) {
      throw new MediaError(`unreadable SDP answer: ${(error as Error).message}`);
    }
    const audio = (parsed.media ?? []).find((m) => m.type === 'audio' && m.port > 0 && /^RTP\/AVP$/i.test(m.protocol));
    if (!audio) throw new MediaError('the answer accepts no RTP/AVP audio stream');
    const address = audio.connection?.ip ?? parsed.connection?.ip;
    if (address === undefined || isIP(address) === 0 || address === '0.0.0.0' || address === '::') throw new MediaError('the answer has no usable audio address');
    if (audio.port > 65535) throw new MediaError('the answer has an invalid audio port');
    const names = new Map<number, { codec: string; rate: number | undefined }>();
    for (const entry of audio.rtp ?? []) names.set(entry.payload, { codec: entry.codec.toUpperCase(), rate: entry.rate });
    const decode = new Map<number, G711Codec>();
    let chosen: { codec: G711Codec; payloadType: number } | null = null;
    let telephoneEventPt: number | null = null;
    for (const payloadType of String(audio.payloads ?? '').trim().split(/\s+/).map(Number)) {
      if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 127) continue;
      const named = names.get(payloadType);
      // Static payload types (RFC 3551 table 4) need no rtpmap.
      const name = named?.codec ?? (payloadType === 0 ? 'PCMU' : payloadType === 8 ? 'PCMA' : undefined);
      const rate = named?.rate ?? CLOCK_RATE;
      if (rate !== CLOCK_RATE) continue;
      if ((name === 'PCMU' || name === 'PCMA') && this.options.codecs.includes(name)) {
        decode.set(payloadType, name);
        // RFC 3264 §6.1: the answer lists the codecs in its preference; send with the first.
        chosen ??= { codec: name, payloadType };
      } else if (name === 'TELEPHONE-EVENT' && this.options.dtmf.rfc4733) telephoneEventPt ??= payloadType;
    }
    if (!chosen) throw new MediaError(`no codec in common (offered ${this.options.codecs.join(', ')})`);
    const previous = this.negotiated;
    this.negotiated = { ...chosen, telephoneEventPt, decode, address, port: audio.port };
    if (!previous || previous.address !== address || previous.port !== audio.port) {
      this.target = { address, port: audio.port };
      this.latched = null;
    }
  }

  play(samples: Int16Array, signal?: AbortSignal): Promise<'done' | 'interrupted'> {
    if (this.closed || signal?.aborted) return Promise.resolve('interrupted');
    return new Promise((resolve) => {
      const playback: Playback = {
        samples,
        position: 0,
        signal,
        resolve,
        onAbort: () => this.finishPlayback(playback, 'interrupted'),
      };
      signal?.addEventListener('abort', playback.onAbort, { once: true });
      this.playbacks.push(playback);
    });
  }

  /**
   * Sends keypad digits after what is already queued (before further prompt audio): RFC 4733
   * events with the answer's telephone-event payload type, or in-band tones. For tests, benches
   * and a callee role; resolves when the last digit's gap has been sent (or the session closed); rejects with
   * RangeError for a key that is not 0-9 * # A-D and MediaError for RFC 4733 when the answer has no telephone-event.
   */
  sendDigits(digits: string, options: SendDigitsOptions = {}): Promise<void> {
    const mode = options.mode ?? 'rfc4733';
    const frames = Math.max(1, Math.round((options.durationMs ?? 100) / 20));
    const gapFrames = Math.max(1, Math.round((options.gapMs ?? 100) / 20));
    // Rejects (never throws) before queueing anything, so a caller's .catch sees every refusal.
    const events: { digit: string; event: number }[] = [];
    for (const digit of digits) {
      const event = eventForDigit(digit);
      if (event === undefined) return Promise.reject(new RangeError(`not a DTMF key: ${digit}`));
      events.push({ digit, event });
    }
    if (mode === 'rfc4733' && this.negotiated?.telephoneEventPt == null) return Promise.reject(new MediaError('the answer accepted no telephone-event payload type'));
    if (this.closed) return Promise.resolve();
    for (const { digit, event } of events) {
      if (mode === 'rfc4733') {
        this.outgoing.push({ kind: 'event', event, frames, sent: 0, endsSent: 0, startTimestamp: null });
      } else this.outgoing.push({ kind: 'audio', samples: dtmfTone(digit, frames * SAMPLES_PER_FRAME), position: 0 });
      this.outgoing.push({ kind: 'audio', samples: new Int16Array(gapFrames * SAMPLES_PER_FRAME), position: 0 });
    }
    return new Promise((resolve) => this.outgoing.push({ kind: 'done', resolve }));
  }

  onDigit(listener: (digit: string, source: DigitSource) => void): () => void {
    this.digitListeners.add(listener);
    return () => this.digitListeners.delete(listener);
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  stats(): RtpMediaStats {
    return {
      codec: this.negotiated?.codec ?? null,
      packetsSent: this.counters.sent,
      packetsReceived: this.counters.received,
      jitterMs: this.jitter / (CLOCK_RATE / 1000),
      firstAudioAt: this.counters.firstAudioAt,
      packetsDropped: this.counters.dropped,
      localPort: this.localPort,
      remote: this.target ? `${this.target.address}:${this.target.port}` : null,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.leavePacer();
    for (const playback of [...this.playbacks]) this.finishPlayback(playback, 'interrupted');
    for (const item of this.outgoing.splice(0)) if (item.kind === 'done') item.resolve();
    this.digitListeners.clear();
    this.audioListeners.clear();
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
  }

  // -- sending ---------------------------------------------------------------------------------

  private tick(skipped: number): void {
    if (this.closed) return;
    if (skipped > 0) {
      // The loop stalled past catch-up: those frames' time is gone. Keep the timestamp on real time
      // and drop the audio that would have played in it, so prompts stay in sync with the clock.
      this.timestamp = (this.timestamp + skipped * SAMPLES_PER_FRAME) >>> 0;
      const playback = this.playbacks[0];
      if (playback) playback.position += skipped * SAMPLES_PER_FRAME;
    }
    const packet = this.nextPacket();
    this.timestamp = (this.timestamp + SAMPLES_PER_FRAME) >>> 0;
    if (!packet || !this.target) return;
    this.sequence = (this.sequence + 1) & 0xffff;
    this.counters.sent++;
    this.socket.send(serializeRtpPacket(packet), this.target.port, this.target.address, () => undefined);
  }

  /** This tick's packet: a digit being sent, else prompt audio, else silence; null before the answer. */
  private nextPacket(): RtpPacket | null {
    const negotiated = this.negotiated;
    while (this.outgoing[0]?.kind === 'done') (this.outgoing.shift() as { resolve: () => void }).resolve();
    const item = this.outgoing[0];
    if (item && negotiated) {
      if (item.kind === 'event' && negotiated.telephoneEventPt !== null) return this.eventPacket(item, negotiated.telephoneEventPt);
      if (item.kind === 'audio') {
        const frame = item.samples.subarray(item.position, item.position + SAMPLES_PER_FRAME);
        item.position += SAMPLES_PER_FRAME;
        if (item.position >= item.samples.length) this.outgoing.shift();
        return this.audioPacket(negotiated, frame);
      }
      this.outgoing.shift();
    }
    const playback = this.playbacks[0];
    if (playback) {
      const frame = playback.samples.subarray(playback.position, playback.position + SAMPLES_PER_FRAME);
      playback.position += SAMPLES_PER_FRAME;
      if (playback.position >= playback.samples.length) this.finishPlayback(playback, 'done');
      if (!negotiated || frame.length === 0) return negotiated ? this.silencePacket(negotiated) : null;
      if (this.target) this.counters.firstAudioAt ??= performance.now();
      return this.audioPacket(negotiated, frame);
    }
    return negotiated ? this.silencePacket(negotiated) : null;
  }

  private eventPacket(item: Extract<OutgoingItem, { kind: 'event' }>, payloadType: number): RtpPacket {
    // §2.5.1.1: every packet of an event carries its start timestamp; the duration grows.
    const first = item.startTimestamp === null;
    item.startTimestamp ??= this.timestamp;
    item.sent++;
    const end = item.sent >= item.frames;
    if (end) item.endsSent++;
    if (item.endsSent >= END_REPEATS) this.outgoing.shift();
    this.marker = false;
    return {
      payloadType,
      marker: first,
      sequenceNumber: this.sequence,
      timestamp: item.startTimestamp,
      ssrc: this.ssrc,
      csrcs: [],
      payload: serializeTelephoneEvent({ event: item.event, end, volume: 10, duration: Math.min(item.sent, item.frames) * SAMPLES_PER_FRAME }),
    };
  }

  private audioPacket(negotiated: Negotiated, frame: Int16Array): RtpPacket {
    let samples = frame;
    if (samples.length < SAMPLES_PER_FRAME) {
      samples = new Int16Array(SAMPLES_PER_FRAME);
      samples.set(frame);
    }
    return this.mediaPacket(negotiated, encodeG711(negotiated.codec, samples));
  }

  private silencePacket(negotiated: Negotiated): RtpPacket {
    let payload = this.silence.get(negotiated.codec);
    if (!payload) {
      payload = encodeG711(negotiated.codec, new Int16Array(SAMPLES_PER_FRAME));
      this.silence.set(negotiated.codec, payload);
    }
    return this.mediaPacket(negotiated, payload);
  }

  private mediaPacket(negotiated: Negotiated, payload: Buffer): RtpPacket {
    // The marker flags the first packet of the stream (RFC 3551 §4.1); the stream never pauses after it.
    const marker = this.marker;
    this.marker = false;
    return { payloadType: negotiated.payloadType, marker, sequenceNumber: this.sequence, timestamp: this.timestamp, ssrc: this.ssrc, csrcs: [], payload };
  }

  private finishPlayback(playback: Playback, result: 'done' | 'interrupted'): void {
    const index = this.playbacks.indexOf(playback);
    if (index < 0) return;
    this.playbacks.splice(index, 1);
    playback.signal?.removeEventListener('abort', playback.onAbort);
    playback.resolve(result);
  }

  // -- receiving -------------------------------------------------------------------------------

  private receive(message: Buffer, source: dgram.RemoteInfo): void {
    const negotiated = this.negotiated;
    const packet = parseRtpPacket(message);
    if (this.closed || !packet || !negotiated) {
      this.counters.dropped++;
      return;
    }
    const codec = negotiated.decode.get(packet.payloadType);
    const isEvent = packet.payloadType === negotiated.telephoneEventPt;
    if (codec === undefined && !isEvent) {
      this.counters.dropped++;
      return;
    }
    if (!this.acceptSource(packet.ssrc, source)) {
      this.counters.dropped++;
      return;
    }
    this.counters.received++;
    if (isEvent) {
      const digit = this.events.receive(packet.ssrc, packet.timestamp, packet.payload);
      const now = performance.now();
      // Every packet of an ongoing event keeps its in-band twin (if any) a duplicate.
      if (digit !== null) this.emitDigit(digit, 'rfc4733', now);
      else if (this.recentEvent) this.recentEvent.until = Math.max(this.recentEvent.until, now + DUAL_MODE_WINDOW_MS);
      return;
    }
    if (this.lastSequence !== null) {
      const delta = (packet.sequenceNumber - this.lastSequence) & 0xffff;
      // A duplicate or a packet older than the last one played: dropped rather than recorded twice.
      if (delta === 0 || delta > 0x8000) {
        this.counters.dropped++;
        return;
      }
    }
    this.lastSequence = packet.sequenceNumber;
    this.updateJitter(packet.timestamp);
    const frame = decodeG711(codec!, packet.payload);
    if (this.detector) {
      const now = performance.now();
      for (const digit of this.detector.push(frame)) this.emitDigit(digit, 'inband', now);
      const sounding = this.detector.current;
      if (sounding !== null) this.recentTone = { digit: sounding, until: now + DUAL_MODE_WINDOW_MS };
    }
    for (const listener of [...this.audioListeners]) listener(frame);
  }

  /** Symmetric RTP latching; false for a packet that is not from the callee's stream. */
  private acceptSource(ssrc: number, source: dgram.RemoteInfo): boolean {
    const latched = this.latched;
    if (!latched) {
      this.latched = { address: source.address, port: source.port, ssrc };
      this.target = { address: source.address, port: source.port };
      return true;
    }
    const sameSource = latched.address === source.address && latched.port === source.port;
    if (sameSource) {
      if (latched.ssrc !== ssrc) this.restartStream(ssrc);
      return true;
    }
    if (latched.ssrc !== ssrc) return false;
    // The callee's own stream from a new address: its NAT rebound the mapping. Follow it.
    this.latched = { address: source.address, port: source.port, ssrc };
    this.target = { address: source.address, port: source.port };
    return true;
  }

  private restartStream(ssrc: number): void {
    this.latched = { ...this.latched!, ssrc };
    this.lastSequence = null;
    this.lastTransit = null;
    this.detector?.reset();
  }

  /** RFC 3550 §6.4.1 / A.8: J += (|D| − J) / 16, in timestamp units. */
  private updateJitter(rtpTimestamp: number): void {
    const arrival = (performance.now() * CLOCK_RATE) / 1000;
    const transit = arrival - rtpTimestamp;
    if (this.lastTransit !== null) {
      let d = transit - this.lastTransit;
      // The RTP timestamp wrapped (2³² samples) between two packets.
      if (Math.abs(d) > 2 ** 31) d -= Math.sign(d) * 2 ** 32;
      this.jitter += (Math.abs(d) - this.jitter) / 16;
    }
    this.lastTransit = transit;
  }

  private emitDigit(digit: string, source: DigitSource, now: number): void {
    if (this.options.dtmf.rfc4733 && this.options.dtmf.inband) {
      // Both modes on: a trunk that sends events and leaves the tones in the audio presses each key once.
      const twin = source === 'inband' ? this.recentEvent : this.recentTone;
      if (twin && twin.digit === digit && now <= twin.until) return;
    }
    if (source === 'rfc4733') this.recentEvent = { digit, until: now + DUAL_MODE_WINDOW_MS };
    else this.recentTone = { digit, until: now + DUAL_MODE_WINDOW_MS };
    for (const listener of [...this.digitListeners]) listener(digit, source);
  }
}
