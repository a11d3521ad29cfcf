import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { destinationAddress, sourceAddress } from './smpp-address.ts';
import { TokenBucket } from './token-bucket.ts';
import { ManualClock } from '../../crypto/clock.ts';
import { commandStatusName, isRetryableStatus } from './smpp-status.ts';

describe('SMPP addresses (TON/NPI, SMPP 3.4 §5.2.5–6)', () => {
  it('chooses the source TON/NPI from the sender', () => {
    assert.deepEqual(sourceAddress('Verity'), { addr: 'Verity', ton: 5, npi: 0 });
    assert.deepEqual(sourceAddress('+15005550006'), { addr: '15005550006', ton: 1, npi: 1 });
    assert.deepEqual(sourceAddress('12345'), { addr: '12345', ton: 3, npi: 0 });
    assert.deepEqual(sourceAddress('447700900123'), { addr: '447700900123', ton: 1, npi: 1 });
    assert.deepEqual(sourceAddress('Acme 2FA'), { addr: 'Acme 2FA', ton: 5, npi: 0 });
  });

  it('lets the account override either', () => {
    assert.deepEqual(sourceAddress('12345', { ton: 2, npi: 1 }), { addr: '12345', ton: 2, npi: 1 });
    assert.deepEqual(sourceAddress('+15005550006', { ton: 0 }), { addr: '15005550006', ton: 0, npi: 1 });
  });

  it('refuses a sender no handset can show', () => {
    assert.throws(() => sourceAddress('An alphanumeric id too long'), /at most 11 characters/);
    assert.throws(() => sourceAddress(''), /SMPP sender/);
  });

  it('sends E.164 destinations without the + as international/E.164', () => {
    assert.deepEqual(destinationAddress('+15551234567'), { addr: '15551234567', ton: 1, npi: 1 });
    assert.deepEqual(destinationAddress('+15551234567', { ton: 0, npi: 0 }), { addr: '15551234567', ton: 0, npi: 0 });
  });
});

describe('SMPP command statuses', () => {
  it('retries only throttling and a full queue', () => {
    assert.equal(isRetryableStatus(0x58), true);
    assert.equal(isRetryableStatus(0x14), true);
    for (const status of [0x01, 0x08, 0x0b, 0x45, 0x62, 0xff]) assert.equal(isRetryableStatus(status), false, commandStatusName(status));
  });

  it('names statuses as the specification does', () => {
    assert.equal(commandStatusName(0x58), 'ESME_RTHROTTLED (0x58)');
    assert.equal(commandStatusName(0x0e), 'ESME_RINVPASWD (0x0e)');
    assert.equal(commandStatusName(0x400), 'command status 0x400');
  });
});

describe('TokenBucket', () => {
  it('spends a burst, then refills at its rate', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, 3, clock);
    assert.deepEqual([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()], [true, true, true, false]);
    assert.equal(bucket.msUntilNext(), 100);
    clock.advance(50);
    assert.equal(bucket.tryTake(), false);
    assert.equal(bucket.msUntilNext(), 50);
    clock.advance(50);
    assert.equal(bucket.tryTake(), true);
    clock.advance(10_000);
    assert.equal([1, 2, 3, 4].filter(() => bucket.tryTake()).length, 3, 'never more than the burst saved up');
  });
});
