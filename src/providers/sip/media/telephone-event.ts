/**
 * RFC 4733 telephone-events (§2.3), the DTMF digits most trunks send instead of tones. Written by
 * hand: the payload is 4 bytes and the only subtle part is counting an event once although its
 * end packet is sent three times (§2.5.1.4) and its start packet may be lost.
 *
 *   | event (8) |E|R| volume (6) |      duration (16, timestamp units)      |
 */

/** Event codes 0-15 (§3.2): the 16 keys of a DTMF keypad. */
export const DTMF_EVENTS = '0123456789*#ABCD';

export interface TelephoneEvent {
  event: number;
  end: boolean;
  /** Power level, 0 to −63 dBm0 written as 0-63. */
  volume: number;
  /** Samples since the event's timestamp. */
  duration: number;
}

/** The event code of a keypad digit (0-9 * # A-D), or undefined. */
export function eventForDigit(digit: string): number | undefined {
  const index = DTMF_EVENTS.indexOf(digit.toUpperCase());
  return digit.length === 1 && index >= 0 ? index : undefined;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

export function serializeTelephoneEvent(event: TelephoneEvent): Buffer {
  const out = Buffer.alloc(4);
  out[0] = event.event & 0xff;
  out[1] = (event.end ? 0x80 : 0) | (event.volume & 0x3f);
  out.writeUInt16BE(Math.min(0xffff, event.duration), 2);
  return out;
}

/**
 * Turns received telephone-event packets into digits, each once. Every packet of one event carries
 * the event's start timestamp (§2.5.1.1), so a digit is reported on the first packet of a timestamp
 * not seen before — the start packet, or an end packet when the start was lost — and the repeated
 * end packets and retransmissions of that timestamp are ignored. A few recent timestamps are kept,
 * so a late, reordered packet of an older event is not counted again.
 */
export class TelephoneEventReceiver {
  private readonly recent: string[] = [];

  /** The digit when this packet starts a new keypad event; null for repeats, other events (flash, tones) and garbage. */
  receive(ssrc: number, timestamp: number, payload: Uint8Array): string | null {
    const event = parseTelephoneEvent(payload);
    if (!event || event.event >= DTMF_EVENTS.length) return null;
    const key = `${ssrc}:${timestamp}`;
    if (this.recent.includes(key)) return null;
    this.recent.push(key);
    if (this.recent.length > 16) this.recent.shift();
    return DTMF_EVENTS[event.event]!;
  }
}
