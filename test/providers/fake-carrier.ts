import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What every fake carrier API keeps: what it received, how it answers, the recording it serves. */
export interface FakeCarrier<Request, Behaviour extends string> {
  apiBase: string;
  /** Every request that passed validation, in order. */
  received: Request[];
  /** What the fake does after validating a request; `accept` is the normal answer. */
  behaviour: Behaviour | 'accept';
  /** How many recording downloads answer 404 before the media is there. */
  recordingMissingFor: number;
  /** The bytes every recording download answers. */
  readonly wav: Buffer;
  /** Back to `accept`, no missing recordings, nothing received. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A fake carrier API on a free local port: `answer` gets the fake's state, each request with its
 * whole body read as UTF-8 text, and the response to write (or leave open, to hang).
 */
export async function startFakeCarrier<Request, Behaviour extends string>(
  answer: (fake: FakeCarrier<Request, Behaviour>, req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<FakeCarrier<Request, Behaviour>> {
  const fake: FakeCarrier<Request, Behaviour> = {
    apiBase: '',
    received: [],
    behaviour: 'accept',
    recordingMissingFor: 0,
    wav: Buffer.concat([Buffer.from('RIFF'), randomBytes(64)]),
    reset() {
      fake.behaviour = 'accept';
      fake.recordingMissingFor = 0;
      fake.received.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((req, res) => void (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    answer(fake, req, Buffer.concat(chunks).toString('utf8'), res);
  })());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
