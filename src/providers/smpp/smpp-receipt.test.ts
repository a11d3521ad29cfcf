import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReceipt, parseReceipt, receiptIdKey, submitIdKey } from './smpp-receipt.ts';

/** The receipt text of SMPP 3.4 Appendix B, with the fields an SMSC fills in. */
const appendixB = (id: string, stat: string, err = '000') =>
  `id:${id} sub:001 dlvrd:001 submit date:2612061200 done date:2612061201 stat:${stat} err:${err} text:Your code is 1`;

describe('SMPP delivery receipts', () => {
  it('tells receipts (esm_class message type 0001 or 1000) from messages sent by phones', () => {
    assert.equal(isReceipt({ esm_class: 0x04 }), true);
    assert.equal(isReceipt({ esm_class: 0x20 }), true, 'intermediate delivery notification');
    assert.equal(isReceipt({ esm_class: 0x44 }), true, 'with the UDHI bit as well');
    assert.equal(isReceipt({ esm_class: 0x00 }), false);
    assert.equal(isReceipt({ esm_class: 0x40 }), false, 'a long MO message');
    assert.equal(isReceipt({ esm_class: 0x08 }), false, 'an SME delivery acknowledgement is not an SMSC receipt');
  });

  it('reads the Appendix B text: id, stat and a non-zero err', () => {
    assert.deepEqual(parseReceipt({ esm_class: 4, short_message: { message: appendixB('p000001', 'DELIVRD') } }), { messageId: 'p000001', stat: 'DELIVRD', status: 'delivered' });
    assert.deepEqual(parseReceipt({ esm_class: 4, short_message: { message: appendixB('0A1B', 'UNDELIV', '005') } }), { messageId: '0A1B', stat: 'UNDELIV', status: 'undelivered', errorCode: '005' });
  });

  it('maps every Appendix B state: final ones to delivered or undelivered, ACCEPTD and ENROUTE to sent, UNKNOWN to nothing', () => {
    const expected = { DELIVRD: 'delivered', UNDELIV: 'undelivered', EXPIRED: 'undelivered', DELETED: 'undelivered', REJECTD: 'undelivered', ACCEPTD: 'sent', ENROUTE: 'sent', UNKNOWN: undefined };
    for (const [stat, status] of Object.entries(expected)) assert.equal(parseReceipt({ esm_class: 4, short_message: { message: appendixB('1', stat) } })?.status, status, stat);
  });

  it('prefers the TLVs receipted_message_id and message_state to the text', () => {
    const receipt = parseReceipt({ esm_class: 4, receipted_message_id: 'tlv-id\0', message_state: 5, short_message: { message: appendixB('text-id', 'DELIVRD') } });
    assert.deepEqual(receipt, { messageId: 'tlv-id', stat: 'UNDELIV', status: 'undelivered' });
    assert.deepEqual(parseReceipt({ esm_class: 4, receipted_message_id: 'only-tlv', message_state: 2 }), { messageId: 'only-tlv', stat: 'DELIVRD', status: 'delivered' });
  });

  it('reads field names in any case and the raw octets some SMSCs leave undecoded', () => {
    const text = 'ID:abc SUB:001 DLVRD:001 SUBMIT DATE:2612061200 DONE DATE:2612061201 STAT:delivrd ERR:000 TEXT:';
    assert.deepEqual(parseReceipt({ esm_class: 4, short_message: Buffer.from(text, 'latin1') }), { messageId: 'abc', stat: 'DELIVRD', status: 'delivered' });
  });

  it('answers nothing for a receipt that names no message', () => {
    assert.equal(parseReceipt({ esm_class: 4, short_message: { message: 'stat:DELIVRD err:000' } }), undefined);
    assert.equal(parseReceipt({ esm_class: 4 }), undefined);
    assert.equal(parseReceipt({ esm_class: 0, short_message: { message: appendixB('1', 'DELIVRD') } }), undefined, 'not a receipt at all');
  });

  it('matches ids written differently in receipts and responses (Kannel msg-id-type)', () => {
    // hex in receipts, decimal in submit_sm_resp
    assert.equal(receiptIdKey('1F', 'hex-to-dec'), submitIdKey('31', 'hex-to-dec'));
    assert.equal(receiptIdKey('000000ff', 'hex-to-dec'), '255');
    // decimal in receipts, hex in submit_sm_resp (any case, leading zeros)
    assert.equal(receiptIdKey('3735928559', 'dec-to-hex'), submitIdKey('00DEADBEEF', 'dec-to-hex'));
    assert.equal(receiptIdKey('18446744073709551615', 'dec-to-hex'), 'ffffffffffffffff', 'beyond 2^53');
    assert.equal(receiptIdKey('p-1', 'hex-to-dec'), 'p-1', 'an id that is not a number stays as it is');
    assert.equal(receiptIdKey('0A', 'same'), '0A');
    assert.equal(submitIdKey('0A', 'same'), '0A');
  });
});
