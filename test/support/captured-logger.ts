import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A debug-level pino logger whose JSON lines are kept, parsed, in `lines` (empty it with `lines.length = 0`). */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}
