import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeGsm7, encodeGsm7, gsm7Septets, isGsm7 } from './gsm7.ts';
import { concatenationUdh, encodeSms, MAX_PARTS, type EncodedSms } from './sms-encoding.ts';

interface Gsm7Vectors {
  defaultAlphabetColumns: (string | null)[][];
  extensionTable: { code: string; char: string; name: string }[];
}
const VECTORS = JSON.parse(readFileSync(new URL('../../../test/vectors/3gpp-ts-23038-gsm7.json', import.meta.url), 'utf8')) as Gsm7Vectors;
const char = (hex: string) => String.fromCodePoint(Number.parseInt(hex, 16));

/** The text of parts as the handset reassembles it: each part's UDH stripped, parts in UDH order. */
function reassemble(sms: EncodedSms): string {
  const bodies = sms.parts.map((part) => (sms.udhi ? part.subarray(1 + (part[0] as number)) : part));
  return bodies.map((body) => (sms.coding === 'gsm7' ? decodeGsm7(body) : Buffer.from(body).swap16().toString('utf16le'))).join('');
}

describe('GSM 7-bit alphabet (3GPP TS 23.038 §6.2.1)', () => {
  it('maps every character of the default alphabet to its septet, and back', () => {
    VECTORS.defaultAlphabetColumns.forEach((column, c) =>
      column.forEach((hex, row) => {
        const septet = c * 16 + row;
        if (hex === null) return assert.equal(septet, 0x1b, 'only ESC maps to no character');
        assert.deepEqual(gsm7Septets(char(hex)), [septet], `U+${hex} is septet 0x${septet.toString(16)}`);
        assert.equal(decodeGsm7(Uint8Array.of(septet)), char(hex));
      }),
    );
  });

  it('sends each extension-table character as ESC and its code (two septets), and reads it back', () => {
    for (const { code, char: hex, name } of VECTORS.extensionTable) {
      assert.deepEqual([...encodeGsm7(char(hex))], [0x1b, Number.parseInt(code, 16)], name);
      assert.equal(decodeGsm7(Uint8Array.of(0x1b, Number.parseInt(code, 16))), char(hex), name);
    }
  });

  it('knows exactly the 127 + 10 characters of the two tables', () => {
    let count = 0;
    for (let cp = 0; cp <= 0xffff; cp++) if (gsm7Septets(String.fromCharCode(cp))) count++;
    assert.equal(count, 127 + 10);
  });

  it('refuses what is not GSM-7', () => {
    assert.equal(isGsm7('Your code is 123456'), true);
    assert.equal(isGsm7('Код'), false);
    assert.equal(isGsm7('ç'), false, 'only capital Ç (0x09) is in the table');
    assert.equal(isGsm7('`'), false);
    assert.throws(() => encodeGsm7('a😀'), /U\+1F600 is not in the GSM 7-bit alphabet/);
  });

  it('reads an ESC with no known code after it as §6.2.1.1 says: the default character, or a space at the end', () => {
    assert.equal(decodeGsm7(Uint8Array.of(0x1b, 0x41)), 'A');
    assert.equal(decodeGsm7(Uint8Array.of(0x41, 0x1b)), 'A ');
  });
});

describe('encodeSms', () => {
  it('sends a GSM text as data_coding 0, one septet per octet', () => {
    const sms = encodeSms('Your code is 123456', { reference: 1 });
    assert.equal(sms.coding, 'gsm7');
    assert.equal(sms.dataCoding, 0);
    assert.equal(sms.udhi, false);
    assert.deepEqual(sms.parts, [Buffer.from('Your code is 123456', 'latin1')]);
    assert.deepEqual([...(encodeSms('@ £ €', { reference: 1 }).parts[0] as Buffer)], [0x00, 0x20, 0x01, 0x20, 0x1b, 0x65]);
  });

  it('sends anything else as UCS-2 (UTF-16BE), data_coding 8', () => {
    const sms = encodeSms('Код 123456 €', { reference: 1 });
    assert.equal(sms.coding, 'ucs2');
    assert.equal(sms.dataCoding, 8);
    assert.equal((sms.parts[0] as Buffer).toString('hex'), '041a043e043400200031003200330034003500360020' + '20ac');
    assert.equal(encodeSms('Your code', { reference: 1, forceUcs2: true }).dataCoding, 8);
  });

  it('fits 160 GSM septets in one SMS; 161 become two parts of 153 and 8 with a concatenation UDH', () => {
    assert.equal(encodeSms('a'.repeat(160), { reference: 7 }).parts.length, 1);
    const sms = encodeSms('a'.repeat(161), { reference: 7 });
    assert.equal(sms.udhi, true);
    assert.deepEqual(sms.parts.map((p) => p.length), [6 + 153, 6 + 8]);
    assert.deepEqual([...(sms.parts[0] as Buffer).subarray(0, 6)], [0x05, 0x00, 0x03, 7, 2, 1]);
    assert.deepEqual([...(sms.parts[1] as Buffer).subarray(0, 6)], [0x05, 0x00, 0x03, 7, 2, 2]);
  });

  it('counts an escaped character as two septets: 159 + € is 161, two parts', () => {
    assert.equal(encodeSms(`${'a'.repeat(158)}€`, { reference: 1 }).parts.length, 1);
    const sms = encodeSms(`${'a'.repeat(159)}€`, { reference: 1 });
    assert.equal(sms.units, 161);
    assert.equal(sms.parts.length, 2);
  });

  it('never splits an escape sequence: ESC and its code land in the same part', () => {
    const sms = encodeSms(`${'a'.repeat(152)}€${'b'.repeat(10)}`, { reference: 1 });
    const [first, second] = sms.parts as [Buffer, Buffer];
    assert.equal(first.length, 6 + 152, 'the first part stops one septet short rather than cut the euro sign');
    assert.deepEqual([...second.subarray(6, 8)], [0x1b, 0x65]);
    assert.equal(reassemble(sms), `${'a'.repeat(152)}€${'b'.repeat(10)}`);
  });

  it('fits 70 UCS-2 units in one SMS; 71 become parts of 67 and 4', () => {
    assert.equal(encodeSms('Ж'.repeat(70), { reference: 1 }).parts.length, 1);
    const sms = encodeSms('Ж'.repeat(71), { reference: 3 });
    assert.deepEqual(sms.parts.map((p) => p.length), [6 + 134, 6 + 8]);
    assert.deepEqual([...(sms.parts[1] as Buffer).subarray(0, 6)], [0x05, 0x00, 0x03, 3, 2, 2]);
  });

  it('never splits a surrogate pair: an emoji at the boundary moves whole to the next part', () => {
    const text = `${'Ж'.repeat(66)}😀${'Ж'.repeat(3)}`;
    const sms = encodeSms(text, { reference: 1 });
    assert.equal(sms.units, 71);
    assert.deepEqual(sms.parts.map((p) => (p.length - 6) / 2), [66, 5]);
    assert.equal(reassemble(sms), text);
    assert.equal(encodeSms('😀'.repeat(35), { reference: 1 }).parts.length, 1, '35 emoji are 70 units');
  });

  it('refuses a text longer than 255 parts', () => {
    assert.equal(encodeSms('a'.repeat(153 * MAX_PARTS), { reference: 1 }).parts.length, MAX_PARTS);
    assert.throws(() => encodeSms('a'.repeat(153 * MAX_PARTS + 1), { reference: 1 }), /at most 255/);
  });

  it('numbers the UDH reference modulo 256', () => {
    assert.deepEqual([...concatenationUdh(256 + 9, 3, 2)], [5, 0, 3, 9, 3, 2]);
  });

  it('any text: every part fits 140 octets, the parts reassemble to the text, and GSM-7 is chosen exactly when it can be', () => {
    const gsmChars = fc.constantFrom(...'@£$¥èéÇ\nØΔ_ΦΓ !"#¤%&\'()*0129:;<=>?¡AZÄÖÑÜ§¿azäöñüà^{}\\[~]|€\f');
    const anyChars = fc.oneof(gsmChars, fc.constantFrom('Ж', 'ç', '😀', '中', '`', '👍🏽'));
    fc.assert(
      fc.property(fc.array(fc.oneof(gsmChars, anyChars), { maxLength: 700 }).map((a) => a.join('')), fc.integer({ min: 0, max: 255 }), (text, reference) => {
        const sms = encodeSms(text, { reference });
        for (const part of sms.parts) assert.ok(part.length <= 140, `a part of ${part.length} octets`);
        assert.equal(reassemble(sms), text);
        assert.equal(sms.coding === 'gsm7', isGsm7(text));
        if (sms.udhi) sms.parts.forEach((part, i) => assert.deepEqual([...part.subarray(0, 6)], [5, 0, 3, reference, sms.parts.length, i + 1]));
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
