import { createRequire } from 'node:module';
import type * as Nodemailer from 'nodemailer';
import type { NodemailerError, SMTPTransportOptions } from 'nodemailer';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../provider.ts';
import { isSmtpRetryable } from './is-smtp-retryable.ts';

export interface SmtpProviderOptions {
  /** `smtp://user:pass@host:port` or `smtps://…` for implicit TLS. */
  url: string;
  /** From header, e.g. `Verity <no-reply@example.com>`. */
  from: string;
  /** Extra nodemailer SMTP options (timeouts, TLS, …); settings in `url` take precedence. */
  transportOptions?: Omit<SMTPTransportOptions, 'url'>;
}

/**
 * nodemailer (~40 modules) is loaded when an SMTP provider is created, not at start: a deployment or
 * test that sends email another way never needs it. Its CommonJS build, so creation stays synchronous.
 */
const loadNodemailer = (): typeof Nodemailer => createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;

/** Email through any SMTP relay. */
export function createSmtpProvider(options: SmtpProviderOptions): DeliveryProvider {
  const transport = loadNodemailer().createTransport({ ...options.transportOptions, url: options.url });
  return {
    name: 'smtp',
    async send(message: OutboundMessage): Promise<DeliveryReceipt> {
      if (message.channel !== 'email') {
        throw new DeliveryError(`the smtp provider does not deliver the ${message.channel} channel`, { retryable: false });
      }
      try {
        const info = await transport.sendMail({
          // nodemailer encodes the display name (RFC 2047) and quotes it: no header can be injected through it.
          from: message.emailSender ? { name: message.emailSender.name ?? '', address: message.emailSender.address } : options.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.body,
          ...(message.html !== undefined ? { html: message.html } : {}),
          // RFC 3834: keeps vacation responders from answering a machine-sent code.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { providerMessageId: info.messageId };
      } catch (err) {
        throw new DeliveryError(`SMTP delivery failed: ${describe(err)}`, { retryable: isSmtpRetryable(err), cause: err });
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}

/** The server's reply (never the message itself) and the step that failed. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as NodemailerError;
  const details = [e.code, e.command].filter((part): part is string => typeof part === 'string' && part !== '');
  return details.length ? `${e.message} [${details.join(' ')}]` : e.message;
}
