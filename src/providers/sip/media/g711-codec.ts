import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../../audio/g711.ts';
import type { G711Codec } from './media-session.ts';

/**
 * G.711 for whole RTP frames through lookup tables built once from the bit-exact src/audio/g711.ts
 * (64 KiB per law to encode, 256 entries to decode): 50 calls × 8 000 samples/s in both directions
 * stay a few array reads per sample.
 */

/** RFC 3551 §6 static payload types. */
export const STATIC_PAYLOAD_TYPE: Record<G711Codec, number> = { PCMU: 0, PCMA: 8 };

interface Tables {
  encode: Uint8Array;
  decode: Int16Array;
}

const tables = new Map<G711Codec, Tables>();

function tablesFor(codec: G711Codec): Tables {
  let t = tables.get(codec);
  if (!t) {
    const toLaw = codec === 'PCMU' ? linearToUlaw : linearToAlaw;
    const fromLaw = codec === 'PCMU' ? ulawToLinear : alawToLinear;
    const encode = new Uint8Array(65536);
    for (let i = 0; i < 65536; i++) encode[i] = toLaw(i - 32768);
    const decode = new Int16Array(256);
    for (let i = 0; i < 256; i++) decode[i] = fromLaw(i);
    t = { encode, decode };
    tables.set(codec, t);
  }
  return t;
}

/** 16-bit linear → G.711 bytes (one byte per sample). */
export function encodeG711(codec: G711Codec, samples: Int16Array): Buffer {
  const { encode } = tablesFor(codec);
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = encode[samples[i]! + 32768]!;
  return out;
}

/** G.711 bytes → 16-bit linear. */
export function decodeG711(codec: G711Codec, bytes: Uint8Array): Int16Array {
  const { decode } = tablesFor(codec);
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = decode[bytes[i]!]!;
  return out;
}

/** Encodes and decodes again: what the far end hears (tests and benchmarks). */
export function g711RoundTrip(codec: G711Codec, samples: Int16Array): Int16Array {
  return decodeG711(codec, encodeG711(codec, samples));
}
