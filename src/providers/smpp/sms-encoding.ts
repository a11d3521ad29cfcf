import { encodeGsm7, gsm7Septets } from './gsm7.ts';

/**
 * How Verity puts a text into SMPP `short_message`s: GSM-7 when every character is in the GSM
 * alphabet, else UCS-2 (3GPP TS 23.038 §5 data coding; SMPP 3.4 §5.2.19 `data_coding` 0 and 8).
 * Verity sets `data_coding` itself (node-smpp's own "ASCII" encoder would send 1, IA5, which many
 * SMSCs read differently) and hands the library finished octets.
 *
 * A text longer than one SMS is split into parts, each with a concatenation UDH (3GPP TS 23.040
 * §9.2.3.24.1: IEI 00, 8-bit reference, number of parts, this part's number), which takes 6 octets
 * of the 140: 153 septets or 67 UCS-2 units remain. An escaped GSM character (two septets) and a
 * UTF-16 surrogate pair (an emoji) are never cut across two parts.
 */

/** SMPP `data_coding` values Verity sends. */
const DATA_CODING = { gsm7: 0x00, ucs2: 0x08 } as const;
type SmsCoding = keyof typeof DATA_CODING;

/** Units (septets or UTF-16 code units) that fit: alone, or as one part of a concatenated message. */
const SMS_CAPACITY = { gsm7: { single: 160, part: 153 }, ucs2: { single: 70, part: 67 } } as const;

/** The most parts an 8-bit concatenation reference can number. */
export const MAX_PARTS = 255;

/** `esm_class` bit saying short_message starts with a UDH (SMPP 3.4 §5.2.12, UDHI). */
export const ESM_CLASS_UDHI = 0x40;

export interface EncodedSms {
  coding: SmsCoding;
  dataCoding: number;
  /** Each part's `short_message`: the UDH (when more than one part) followed by the encoded text. */
  parts: Buffer[];
  /** True when the parts carry a UDH (set ESM_CLASS_UDHI). */
  udhi: boolean;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
}

export interface EncodeOptions {
  /** The concatenation reference (0–255) shared by the parts of one message; pick a new one per message. */
  reference: number;
  /** Send UCS-2 even when the text fits GSM-7 (carriers that mangle GSM-7). */
  forceUcs2?: boolean;
}

/** A chunk of text and its length in units. */
interface Chunk {
  text: string;
  units: number;
}

/** Cuts `text` into chunks of at most `limit` units, a character's units never spread over two chunks. */
function chunks(text: string, unitsOf: (char: string) => number, limit: number): Chunk[] {
  const out: Chunk[] = [];
  let current: Chunk = { text: '', units: 0 };
  // for…of walks code points, so a surrogate pair comes as one 2-unit character.
  for (const char of text) {
    const units = unitsOf(char);
    if (current.units + units > limit) {
      out.push(current);
      current = { text: '', units: 0 };
    }
    current.text += char;
    current.units += units;
  }
  if (current.units > 0 || out.length === 0) out.push(current);
  return out;
}

function gsm7Units(char: string): number {
  return gsm7Septets(char)?.length ?? Number.NaN;
}

function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** The 6-octet concatenation UDH: length 5, IEI 00 (8-bit reference), IE length 3, reference, total, sequence (1-based). */
export function concatenationUdh(reference: number, total: number, sequence: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, sequence]);
}

/** The text as the `short_message` of each part, with the `data_coding` to send them with. */
export function encodeSms(text: string, options: EncodeOptions): EncodedSms {
  let gsmUnits = 0;
  for (const char of text) gsmUnits += gsm7Units(char);
  const coding: SmsCoding = !options.forceUcs2 && !Number.isNaN(gsmUnits) ? 'gsm7' : 'ucs2';
  const units = coding === 'gsm7' ? gsmUnits : text.length;
  const capacity = SMS_CAPACITY[coding];
  const encode = coding === 'gsm7' ? encodeGsm7 : ucs2;
  if (units <= capacity.single) return { coding, dataCoding: DATA_CODING[coding], parts: [encode(text)], udhi: false, units };

  const pieces = chunks(text, coding === 'gsm7' ? gsm7Units : (char) => char.length, capacity.part);
  if (pieces.length > MAX_PARTS) throw new RangeError(`the text needs ${pieces.length} parts; an SMS can have at most ${MAX_PARTS}`);
  const parts = pieces.map((piece, index) => Buffer.concat([concatenationUdh(options.reference, pieces.length, index + 1), encode(piece.text)]));
  return { coding, dataCoding: DATA_CODING[coding], parts, udhi: true, units };
}
