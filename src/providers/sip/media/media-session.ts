/**
 * The audio of one call: an RTP stream with G.711 (µ-law or A-law, 8 kHz), sent every 20 ms by a
 * steady clock, and the digits the caller presses (RFC 4733 events or in-band tones). The SIP voice
 * provider creates one per call, puts `offer()` in the INVITE and gives it the answer.
 */

export type G711Codec = 'PCMU' | 'PCMA';

/** How digits may arrive: RFC 4733 telephone-events (offered in SDP), in-band tones (Goertzel), or both. */
export interface DtmfModes {
  rfc4733: boolean;
  inband: boolean;
}

export interface MediaSessionOptions {
  /** Local address the RTP socket binds. */
  bindAddress: string;
  /** The address written into SDP (c=). */
  publicAddress: string;
  /** RTP ports to pick from (an even port; RTCP would be the next). */
  portRange: { min: number; max: number };
  /** Codecs offered, in order of preference. */
  codecs: readonly G711Codec[];
  dtmf: DtmfModes;
}

export interface MediaStats {
  codec: G711Codec | null;
  packetsSent: number;
  packetsReceived: number;
  /** RFC 3550 interarrival jitter of received packets, ms. */
  jitterMs: number;
  /** When the first packet of audio (not silence) left, as performance.now(); null before. */
  firstAudioAt: number | null;
}

export type DigitSource = 'rfc4733' | 'inband';

export interface MediaSession {
  /** The SDP offer for the INVITE. */
  offer(): string;
  /**
   * Applies an answer (or a 183's early-media SDP): the codec the callee chose and where to send.
   * Throws MediaError when the answer has no codec in common or no usable address.
   */
  applyAnswer(sdp: string): void;
  /**
   * Sends 8 kHz 16-bit audio, 20 ms per packet on the steady clock. Resolves `done` after the last
   * packet, `interrupted` when `signal` aborts first (a key pressed during a prompt).
   */
  play(samples: Int16Array, signal?: AbortSignal): Promise<'done' | 'interrupted'>;
  /** Each digit once, however it arrived (RFC 4733's repeated end packets counted once). Returns the unsubscribe. */
  onDigit(listener: (digit: string, source: DigitSource) => void): () => void;
  /** Every received 20 ms frame, decoded to 16-bit linear at 8 kHz (for recording). Returns the unsubscribe. */
  onAudio(listener: (frame: Int16Array) => void): () => void;
  stats(): MediaStats;
  /** Stops sending and closes the socket; idempotent. */
  close(): void;
}

/** The answer or offer cannot be used (no common codec, no address). */
export class MediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaError';
  }
}
