import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { DeliveryProvider, OutboundMessage } from '../provider.ts';
import { isSmtpRetryable } from './is-smtp-retryable.ts';
import { createSmtpProvider } from './smtp-provider.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';

const FROM = 'Verity <no-reply@verity.test>';
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Delivered {
  from: string | false;
  to: string[];
  raw: Buffer;
}

/** A plain-text SMTP server on a free local port that keeps what it receives. */
async function startSmtpServer(options: Partial<SMTPServerOptions> = {}): Promise<{ url: string; delivered: Delivered[] }> {
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
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${port}`, delivered };
}

function provider(url: string): DeliveryProvider {
  const p = createSmtpProvider({ url, from: FROM, transportOptions: { connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 2000 } });
  cleanups.push(async () => p.close?.());
  return p;
}

const email: OutboundMessage = {
  channel: 'email',
  to: 'Alice@Example.com',
  subject: 'Your Acme verification code',
  body: 'Your Acme verification code is: 482913',
  html: '<p>Your Acme verification code is: <b>482913</b></p>',
  locale: 'en',
  verificationSid: 'VE00000000000000000000000000000001',
};

function rejectRecipient(responseCode: number): Partial<SMTPServerOptions> {
  return {
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error(responseCode < 500 ? 'Try again later' : 'No such user'), { responseCode }));
    },
  };
}

test('delivers a verification email with text and HTML parts', async () => {
  const { url, delivered } = await startSmtpServer();
  const receipt = await provider(url).send(email);

  assert.equal(delivered.length, 1);
  const [message] = delivered;
  assert.equal(message?.from, 'no-reply@verity.test');
  // nodemailer normalises the domain part (IDN); the mailbox part keeps its case.
  assert.deepEqual(message?.to, ['Alice@example.com']);

  const parsed = await simpleParser(message?.raw ?? Buffer.alloc(0));
  assert.equal(parsed.messageId, receipt.providerMessageId);
  assert.deepEqual(parsed.from?.value, [{ address: 'no-reply@verity.test', name: 'Verity' }]);
  assert.equal((parsed.to as AddressObject | undefined)?.value[0]?.address, 'Alice@example.com');
  assert.equal(parsed.subject, email.subject);
  assert.equal(parsed.text?.trim(), email.body);
  assert.equal(parsed.html, email.html);
  assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
});

test('a 451 reply to RCPT TO is retryable', async () => {
  const { url, delivered } = await startSmtpServer(rejectRecipient(451));
  const err = await rejection(provider(url).send(email));
  assert.equal(err.retryable, true);
  assert.match(err.message, /451/);
  assert.equal(delivered.length, 0);
});

test('a 550 reply to RCPT TO is not retryable', async () => {
  const { url } = await startSmtpServer(rejectRecipient(550));
  const err = await rejection(provider(url).send(email));
  assert.equal(err.retryable, false);
  assert.match(err.message, /550/);
});

test('a 4xx reply to the message data is retryable, a 5xx is not', async () => {
  for (const [responseCode, retryable] of [[452, true], [554, false]] as const) {
    const { url } = await startSmtpServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Message refused'), { responseCode })));
      },
    });
    const err = await rejection(provider(url).send(email));
    assert.equal(err.retryable, retryable, `reply ${responseCode}`);
  }
});

test('a refused connection is retryable', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const err = await rejection(provider(`smtp://127.0.0.1:${port}`).send(email));
  assert.equal(err.retryable, true);
});

test('only email is supported', async () => {
  const err = await rejection(provider('smtp://127.0.0.1:1').send({ ...email, channel: 'sms', to: '+15551234567' }));
  assert.equal(err.retryable, false);
});

test('connection errors count as retryable only when they certainly came before DATA', () => {
  const nodemailerError = (fields: Record<string, unknown>) => Object.assign(new Error('x'), fields);
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'EDNS', command: 'CONN' })), true);
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', command: 'CONN' })), true);
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' })), true);
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'ECONNECTION', responseCode: 421, command: 'CONN' })), true);
  // A drop mid-session may have come after the server queued the message.
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'ESOCKET', originalCode: 'ECONNRESET', command: 'CONN' })), false);
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT', command: 'CONN' })), false);
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })), false);
  assert.equal(isSmtpRetryable(nodemailerError({ code: 'EENVELOPE', command: 'API' })), false);
  assert.equal(isSmtpRetryable('not an error'), false);
});
