import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKannelDlrToken, kannelDlrReport, kannelDlrToken, kannelDlrUrl } from './kannel-dlr.ts';

const KEY = Buffer.alloc(32, 1);
const ATTEMPT = 'VL0123456789abcdef0123456789abcdef';

describe('Kannel dlr-url', () => {
  it('carries the attempt, its token and Kannel\'s escapes, under /messaging/<instance>/dlr', () => {
    const url = new URL(kannelDlrUrl('https://verity.example.com/', 'kannel-eu', KEY, ATTEMPT));
    assert.equal(url.origin + url.pathname, 'https://verity.example.com/messaging/kannel-eu/dlr');
    assert.equal(url.searchParams.get('attempt'), ATTEMPT);
    assert.equal(url.searchParams.get('token'), kannelDlrToken(KEY, ATTEMPT));
    assert.match(url.search, /&type=%d&answer=%A&ts=%T&smsc=%i$/);
  });

  it('a token is 256 bits, one per attempt and per key, and checked in full', () => {
    const token = kannelDlrToken(KEY, ATTEMPT);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(isKannelDlrToken(KEY, ATTEMPT, token), true);
    assert.equal(isKannelDlrToken(KEY, `${ATTEMPT.slice(0, -1)}0`, token), false, 'another attempt');
    assert.equal(isKannelDlrToken(Buffer.alloc(32, 2), ATTEMPT, token), false, 'another instance\'s key');
    assert.equal(isKannelDlrToken(KEY, ATTEMPT, token.slice(0, 42)), false, 'a prefix');
    assert.equal(isKannelDlrToken(KEY, ATTEMPT, ''), false, 'empty');
  });

  it('refuses instance names a URL would change', () => {
    assert.throws(() => kannelDlrUrl('https://v.example', 'kannel/eu', KEY, ATTEMPT), /instance name/);
    assert.throws(() => kannelDlrUrl('https://v.example', 'k%41', KEY, ATTEMPT), /instance name/);
  });
});

describe('Kannel report types and answers', () => {
  const report = (type: number, answer?: string, ts?: number) => kannelDlrReport('kannel', { attempt: ATTEMPT, type, answer, ts });

  it('maps each type Verity asks for (dlr-mask 31) to a delivery status', () => {
    assert.deepEqual(
      [1, 2, 4, 8, 16].map((type) => report(type)?.status),
      ['delivered', 'undelivered', 'sent', 'sent', 'failed'],
    );
    // Kannel ≥ 1.5: expired (0x22) and unknown (0x42) carry the failure bit.
    assert.equal(report(0x22)?.status, 'undelivered');
    assert.equal(report(0x42)?.status, 'undelivered');
    assert.equal(report(0x20), undefined);
    assert.equal(report(0), undefined);
  });

  it('reads the SMSC receipt\'s stat and err, never the message text it quotes', () => {
    const undelivered = report(2, 'id:p000002 sub:001 dlvrd:000 submit date:2612061240 done date:2612061240 stat:UNDELIV err:011 text:Your code is 123456', 1_796_000_000);
    assert.deepEqual(undelivered, { provider: 'kannel', attemptId: ATTEMPT, status: 'undelivered', errorCode: '011', errorMessage: 'UNDELIV', at: 1_796_000_000_000 });
    const delivered = report(1, 'id:p1 sub:001 dlvrd:001 submit date:2612061240 done date:2612061240 stat:DELIVRD err:000 text:err:999 stat:UNDELIV');
    assert.deepEqual(delivered, { provider: 'kannel', attemptId: ATTEMPT, status: 'delivered' });
    const quoted = report(2, 'id:p1 stat:EXPIRED err:000 text:err:999 stat:REJECTD');
    assert.equal(quoted?.errorCode, '000');
    assert.equal(quoted?.errorMessage, 'EXPIRED');
  });

  it('reads an SMSC rejection (NACK/<command_status>/<reason>) and an SMSC ack', () => {
    assert.deepEqual(report(16, 'NACK/0x0000000B/Invalid Destination Address'), {
      provider: 'kannel',
      attemptId: ATTEMPT,
      status: 'failed',
      errorCode: '0x0000000b',
      errorMessage: 'Invalid Destination Address',
    });
    assert.deepEqual(report(16, 'NACK/'), { provider: 'kannel', attemptId: ATTEMPT, status: 'failed' });
    assert.deepEqual(report(8, 'ACK/'), { provider: 'kannel', attemptId: ATTEMPT, status: 'sent' });
  });
});
