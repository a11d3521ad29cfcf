import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequenceBuffer, ServerSentEventParser } from '@verity/sdk';

describe('SequenceBuffer', () => {
  it('releases in order, holds after a gap and drops duplicates and stale sequences', () => {
    const buffer = new SequenceBuffer<string>();
    assert.deepEqual(buffer.accept(1, 'a'), ['a']);
    assert.deepEqual(buffer.accept(3, 'c'), []);
    assert.equal(buffer.waiting, true);
    assert.deepEqual(buffer.accept(3, 'c again'), [], 'a duplicate of a held event');
    assert.deepEqual(buffer.accept(1, 'a again'), [], 'at or below the last released');
    assert.deepEqual(buffer.accept(2, 'b'), ['b', 'c']);
    assert.equal(buffer.waiting, false);
    assert.equal(buffer.lastReleased, 3);
  });

  it('flush gives up on the gap: held events come out in order and late ones are dropped', () => {
    const buffer = new SequenceBuffer<string>(1);
    buffer.accept(5, 'e');
    buffer.accept(3, 'c');
    assert.deepEqual(buffer.flush(), ['c', 'e']);
    assert.equal(buffer.lastReleased, 5);
    assert.deepEqual(buffer.accept(2, 'b'), []);
    assert.deepEqual(buffer.accept(4, 'd'), []);
    assert.deepEqual(buffer.accept(6, 'f'), ['f']);
    assert.deepEqual(buffer.flush(), []);
  });
});

describe('ServerSentEventParser', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('parses fields, comments, multi-line data and every line ending, whatever the chunking', () => {
    const stream = bytes('\uFEFF: connected\r\nid: 7\nevent: ringing\ndata: {"a":\ndata: 1}\r\rretry: 250\ndata:plain\n\nid: 8\ndata: é\n\ndata: unfinished\n');
    // Feed one byte at a time: a CRLF and a two-byte character are split across chunks.
    const parser = new ServerSentEventParser();
    const events = [...stream].flatMap((byte) => parser.feed(Uint8Array.of(byte)));
    events.push(...parser.end());
    assert.deepEqual(events, [
      { event: 'ringing', data: '{"a":\n1}', id: '7' },
      { event: 'message', data: 'plain', id: '7', retry: 250 },
      { event: 'message', data: 'é', id: '8' },
    ]);
  });
});
