import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readServerSentEvents, type ServerSentEvent } from '../../src/authenticator/sse-reader.ts';

async function* chunks(parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function parse(parts: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(chunks(parts))) events.push(event);
  return events;
}

/** Every way of cutting `text` in two: the parser must not depend on where the network splits it. */
async function parseEverySplit(text: string): Promise<ServerSentEvent[]> {
  const whole = await parse([text]);
  const bytes = new TextEncoder().encode(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    const events: ServerSentEvent[] = [];
    async function* two() {
      yield bytes.slice(0, cut);
      yield bytes.slice(cut);
    }
    for await (const event of readServerSentEvents(two())) events.push(event);
    assert.deepEqual(events, whole, `split at byte ${cut}`);
  }
  return whole;
}

describe('server-sent events reader', () => {
  it('reads named events, ignores comments and keeps the last id', async () => {
    const events = await parseEverySplit(': connected\n\nevent: challenge\ndata: {"sid":"YC1"}\n\n: keep-alive\n\nid: 7\nevent: approved\ndata: {"sequence":7}\n\ndata: plain\n\n');
    assert.deepEqual(events, [
      { event: 'challenge', data: '{"sid":"YC1"}', id: '' },
      { event: 'approved', data: '{"sequence":7}', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });

  it('accepts CRLF, CR and LF line ends, even a CRLF split across chunks', async () => {
    const events = await parseEverySplit('event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n');
    assert.deepEqual(events.map((e) => [e.event, e.data]), [['a', '1'], ['b', '2'], ['c', '3']]);
  });

  it('joins data lines with LF, drops only one space after the colon, and reads fields without a colon', async () => {
    const events = await parseEverySplit('data:  two spaces\ndata:none\ndata\n\nretry: 1500\ndata: x\n\n');
    assert.deepEqual(events, [
      { event: 'message', data: ' two spaces\nnone\n', id: '' },
      { event: 'message', data: 'x', id: '', retry: 1500 },
    ]);
  });

  it('dispatches nothing for an event without data, and discards an event the stream cut off', async () => {
    assert.deepEqual(await parse(['event: lonely\n\n', 'event: cut\ndata: {"sid":']), []);
  });

  it('decodes UTF-8 split inside a character and strips a leading BOM', async () => {
    const events = await parseEverySplit('\uFEFFdata: Paiement de 42 € à Zoë\n\n');
    assert.deepEqual(events, [{ event: 'message', data: 'Paiement de 42 € à Zoë', id: '' }]);
  });
});
