import type { NodemailerError } from 'nodemailer';

/** System errors of a TCP connect that never succeeded. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Timeouts nodemailer reports only before the session reaches MAIL FROM. */
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
/** Commands sent before DATA: a failure there means no message was handed over. */
const PRE_DATA_COMMANDS = /^(EHLO|HELO|LHLO|STARTTLS|AUTH\b|MAIL FROM|RCPT TO)/;

/**
 * Whether retrying cannot deliver the email twice. Any 4xx reply is transient and means the server
 * did not take the message (RFC 5321 §4.2.1), 5xx is permanent. Without a reply, only failures
 * known to happen before DATA count: a socket dropped mid-session may have dropped after the
 * server queued the message, and nodemailer does not say how far the session got.
 */
export function isSmtpRetryable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as NodemailerError & { timeoutType?: string };
  if (typeof e.responseCode === 'number') return e.responseCode >= 400 && e.responseCode < 500;
  if (e.code === 'EDNS' || e.code === 'ETLS') return true;
  if (e.code === 'ETIMEDOUT') return e.timeoutType !== undefined && SETUP_TIMEOUTS.has(e.timeoutType);
  if (e.code === 'ESOCKET' || e.code === 'ECONNECTION') {
    const system = e.originalCode ?? (e.cause as NodeJS.ErrnoException | undefined)?.code;
    if (system !== undefined && CONNECT_FAILURES.has(system)) return true;
    return e.command !== undefined && PRE_DATA_COMMANDS.test(e.command);
  }
  return false;
}
