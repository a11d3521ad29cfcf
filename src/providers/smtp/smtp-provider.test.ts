import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DeliveryProvider, OutboundMessage } from '../provider.ts';
import { isSmtpRetryable } from './is-smtp-retryable.ts';
import { createSmtpProvider } from './smtp-provider.ts';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import { startSmtpSink } from '../../../test/providers/smtp-sink.ts';

// Delivery (envelope, headers, text and HTML parts), refused recipients (451, 550), a refused
// connection and the channels it does not deliver are in the shared provider contract
// (test/providers/provider-contract.ts, against a real smtp-server); these are SMTP's own cases.

const FROM = 'Verity <no-reply@verity.test>';
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

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
  verificationSid: 'VE00000000000000000000000000000001', attemptId: 'VL00000000000000000000000000000001',
};

test('a 4xx reply to the message data is retryable, a 5xx is not', async () => {
  for (const [responseCode, retryable] of [[452, true], [554, false]] as const) {
    const { url, close } = await startSmtpSink({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Message refused'), { responseCode })));
      },
    });
    cleanups.push(close);
    const err = await rejection(provider(url).send(email));
    assert.equal(err.retryable, retryable, `reply ${responseCode}`);
  }
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
