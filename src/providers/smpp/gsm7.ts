/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1 and §6.2.1.1),
 * as SMPP carries it with `data_coding` 0: one septet per octet, unpacked (SMPP 3.4 §5.2.19 leaves
 * packing to the SMSC). A character of the extension table is sent as ESC (0x1B) and its code,
 * two septets that count as two and must stay in one part of a long message.
 */

/** The default alphabet: the character at index `n` is septet `n` (0x1B, ESC, maps to no character). */
const DEFAULT_ALPHABET =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table's characters and their codes after ESC (§6.2.1.1). */
const EXTENSION: ReadonlyArray<readonly [string, number]> = [
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
];

const GSM7_ESCAPE = 0x1b;

const BASIC = new Map<string, number>();
for (let septet = 0; septet < DEFAULT_ALPHABET.length; septet++) {
  if (septet !== GSM7_ESCAPE) BASIC.set(DEFAULT_ALPHABET[septet] as string, septet);
}
const EXTENDED = new Map<string, number>(EXTENSION);
const EXTENDED_DECODE = new Map<number, string>(EXTENSION.map(([char, code]) => [code, char]));

/**
 * The septets of one character (one UTF-16 code unit): one for the default alphabet, two (ESC, code)
 * for the extension table; undefined when it is not in GSM-7.
 */
export function gsm7Septets(char: string): readonly number[] | undefined {
  const basic = BASIC.get(char);
  if (basic !== undefined) return [basic];
  const extended = EXTENDED.get(char);
  return extended === undefined ? undefined : [GSM7_ESCAPE, extended];
}

/** True when every character of `text` is in the default alphabet or the extension table. */
export function isGsm7(text: string): boolean {
  for (const char of text) if (gsm7Septets(char) === undefined) return false;
  return true;
}

/** `text` as unpacked septets (one per octet); throws on a character outside GSM-7 (check with isGsm7 first). */
export function encodeGsm7(text: string): Buffer {
  const out: number[] = [];
  for (const char of text) {
    const septets = gsm7Septets(char);
    if (!septets) throw new RangeError(`U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')} is not in the GSM 7-bit alphabet`);
    out.push(...septets);
  }
  return Buffer.from(out);
}

/**
 * Unpacked septets back to text: an unknown extension code reads as its default-alphabet
 * character, a lone ESC at the end as a space (§6.2.1.1's fallback for a receiving entity).
 */
export function decodeGsm7(septets: Uint8Array): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const septet = (septets[i] as number) & 0x7f;
    if (septet !== GSM7_ESCAPE) {
      text += DEFAULT_ALPHABET[septet];
      continue;
    }
    const next = septets[++i];
    if (next === undefined) text += ' ';
    else text += EXTENDED_DECODE.get(next & 0x7f) ?? (next === GSM7_ESCAPE ? ' ' : DEFAULT_ALPHABET[next & 0x7f]);
  }
  return text;
}
