import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authenticateDlr, DLR_TIMESTAMP_TOLERANCE_MS, readVonageDlr } from './vonage-dlr.ts';
import { vonageSignature } from './vonage-signature.ts';

/** A DLR as developer.vonage.com/messaging/sms/guides/delivery-receipts shows one. */
const DLR = {
  msisdn: '447700900000',
  to: 'AcmeInc',
  'network-code': '12345',
  messageId: '0A0000001234567B',
  price: '0.03330000',
  status: 'delivered',
  scts: '2001011400',
  'err-code': '0',
  'api-key': 'abcd1234',
  'message-timestamp': '2020-01-01 12:00:00',
  'client-ref': 'VL0123456789abcdef0123456789abcdef',
};

describe('Vonage DLRs', () => {
  it('maps each DLR status', () => {
    const status = (s: string) => {
      const dlr = readVonageDlr({ ...DLR, status: s });
      return dlr.kind === 'report' ? dlr.report.status : dlr.kind;
    };
    assert.deepEqual(['accepted', 'buffered', 'delivered', 'expired', 'failed', 'rejected', 'unknown', 'teleported'].map(status), [
      'sent', 'sent', 'delivered', 'undelivered', 'undelivered', 'failed', 'ignored', 'malformed',
    ]);
  });

  it('reports the part\'s id, the carrier\'s time, and no error for err-code 0', () => {
    assert.deepEqual(readVonageDlr(DLR), { kind: 'report', report: { providerMessageId: '0A0000001234567B', status: 'delivered', at: Date.UTC(2020, 0, 1, 12, 0, 0) } });
  });

  it('names the DLR error code', () => {
    const dlr = readVonageDlr({ ...DLR, status: 'failed', 'err-code': '3' });
    assert.equal(dlr.kind === 'report' ? dlr.report.errorCode : undefined, '3');
    assert.equal(dlr.kind === 'report' ? dlr.report.errorMessage : undefined, 'Absent Subscriber - Permanent');
  });

  it('refuses what is not a DLR', () => {
    for (const params of [{ ...DLR, messageId: '' }, { ...DLR, messageId: 'x' }, { ...DLR, status: '' }, { ...DLR, 'err-code': '3a' }, { ...DLR, price: 'free' }]) {
      assert.equal(readVonageDlr(params).kind, 'malformed', JSON.stringify(params));
    }
    assert.equal(readVonageDlr(Object.fromEntries(Object.entries(DLR).filter(([name]) => name !== 'messageId'))).kind, 'malformed');
  });

  describe('authenticity', () => {
    const secret = 'test-signature-secret-0123456789';
    const at = Date.UTC(2026, 11, 6, 12, 0, 0);
    const signed = (timestampMs: number, extra: Record<string, string> = {}) => {
      const params: Record<string, string> = { ...DLR, timestamp: String(Math.floor(timestampMs / 1000)), nonce: 'a1b2c3d4e5f60718', ...extra };
      return { ...params, sig: vonageSignature(params, secret, 'sha512') };
    };

    it('takes a DLR signed with the secret within the tolerance, either side of now', () => {
      assert.deepEqual(authenticateDlr(signed(at), secret, 'sha512', at), { ok: true });
      assert.deepEqual(authenticateDlr(signed(at - DLR_TIMESTAMP_TOLERANCE_MS), secret, 'sha512', at), { ok: true });
      assert.deepEqual(authenticateDlr(signed(at + DLR_TIMESTAMP_TOLERANCE_MS), secret, 'sha512', at), { ok: true });
    });

    it('refuses one outside the tolerance, even correctly signed (a replay)', () => {
      assert.deepEqual(authenticateDlr(signed(at - DLR_TIMESTAMP_TOLERANCE_MS - 1000), secret, 'sha512', at), { ok: false, why: 'stale' });
      assert.deepEqual(authenticateDlr(signed(at + DLR_TIMESTAMP_TOLERANCE_MS + 1000), secret, 'sha512', at), { ok: false, why: 'stale' });
      assert.deepEqual(authenticateDlr(signed(at, { timestamp: 'soon' }), secret, 'sha512', at), { ok: false, why: 'stale' });
    });

    it('refuses a missing or wrong signature, and a changed parameter', () => {
      assert.deepEqual(authenticateDlr(DLR, secret, 'sha512', at), { ok: false, why: 'missing' });
      assert.deepEqual(authenticateDlr(signed(at), 'another-secret-0123456789', 'sha512', at), { ok: false, why: 'invalid' });
      assert.deepEqual(authenticateDlr({ ...signed(at), status: 'failed' }, secret, 'sha512', at), { ok: false, why: 'invalid' });
      assert.deepEqual(authenticateDlr(signed(at), secret, 'sha256', at), { ok: false, why: 'invalid' });
    });
  });
});
