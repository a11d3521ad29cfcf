import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Delivered {
  from: string | false;
  to: string[];
  raw: Buffer;
}

/** A plain-text SMTP server (the `smtp-server` package) on a free local port that keeps what it receives. */
export async function startSmtpSink(options: Partial<SMTPServerOptions> = {}): Promise<{ url: string; delivered: Delivered[]; close: () => Promise<void> }> {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        delivered.push({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, delivered, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Server options that refuse every recipient with `responseCode` (4xx: try again later, 5xx: no such user). */
export function rejectRecipient(responseCode: number): Partial<SMTPServerOptions> {
  return {
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error(responseCode < 500 ? 'Try again later' : 'No such user'), { responseCode }));
    },
  };
}
