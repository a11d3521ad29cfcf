import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventForDigit, parseTelephoneEvent, serializeTelephoneEvent, TelephoneEventReceiver } from './telephone-event.ts';

test('telephone-event payload (RFC 4733 §2.3): event, E bit, volume, duration', () => {
  // Digit 9, end, volume 10 (−10 dBm0), 800 samples (100 ms at 8 kHz).
  assert.deepEqual(parseTelephoneEvent(Buffer.from('098a0320', 'hex')), { event: 9, end: true, volume: 10, duration: 800 });
  assert.deepEqual(parseTelephoneEvent(Buffer.from('0b0000a0', 'hex')), { event: 11, end: false, volume: 0, duration: 160 });
  assert.equal(serializeTelephoneEvent({ event: 9, end: true, volume: 10, duration: 800 }).toString('hex'), '098a0320');
  assert.equal(parseTelephoneEvent(Buffer.from('0980', 'hex')), null, 'a short payload is no event');
});

test('the 16 keys map to events 0-15 (§3.2)', () => {
  assert.deepEqual([...'0123456789*#ABCD'].map(eventForDigit), [...Array(16).keys()]);
  assert.equal(eventForDigit('a'), 12, 'letters in either case');
  assert.equal(eventForDigit('E'), undefined);
  assert.equal(eventForDigit('12'), undefined);
});

test('an event counts once: start, updates and the end packet sent three times (§2.5.1.4)', () => {
  const receiver = new TelephoneEventReceiver();
  const packet = (event: number, end: boolean, duration: number) => serializeTelephoneEvent({ event, end, volume: 10, duration });
  const heard: (string | null)[] = [];
  // Digit 1 at timestamp 1000: start, two updates, end ×3.
  heard.push(receiver.receive(7, 1000, packet(1, false, 160)));
  heard.push(receiver.receive(7, 1000, packet(1, false, 320)));
  heard.push(receiver.receive(7, 1000, packet(1, false, 480)));
  for (let i = 0; i < 3; i++) heard.push(receiver.receive(7, 1000, packet(1, true, 800)));
  // The same key again is a new event with a new timestamp.
  heard.push(receiver.receive(7, 2600, packet(1, false, 160)));
  for (let i = 0; i < 3; i++) heard.push(receiver.receive(7, 2600, packet(1, true, 800)));
  // Digit # whose start and updates were lost: the first end packet reports it.
  for (let i = 0; i < 3; i++) heard.push(receiver.receive(7, 4200, packet(11, true, 800)));
  // A late duplicate of the first event (reordered) is not counted again.
  heard.push(receiver.receive(7, 1000, packet(1, true, 800)));
  assert.deepEqual(heard.filter((d) => d !== null), ['1', '1', '#']);
});

test('events other than the 16 keys (flash, tones) are not digits', () => {
  const receiver = new TelephoneEventReceiver();
  assert.equal(receiver.receive(1, 10, serializeTelephoneEvent({ event: 16, end: false, volume: 0, duration: 160 })), null);
  assert.equal(receiver.receive(1, 20, serializeTelephoneEvent({ event: 36, end: false, volume: 0, duration: 160 })), null);
  assert.equal(receiver.receive(1, 30, Buffer.alloc(2)), null);
});
